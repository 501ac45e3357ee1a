# `bmctl update cluster` fails when the .manifests folder of the admin workstation was deleted (seed 002).
signature manifests-dir-missing
  title      "bmctl update cluster fails: the .manifests folder with the CRD files is missing"
  kind       issue
  severity   low
  component  bmctl
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, bmctl update cluster fails if the .manifests directory is missing"
  affects    anthos-bare-metal < 1.11.0
  fixed      anthos-bare-metal 1.11.0

  # `Error updating cluster resources.: failed to get CRD file .manifests/1.9.0/cluster-operator/
  # base/crd/bases/baremetal.cluster.gke.io_clusters.yaml: open …: no such file or directory`,
  # with a relative or absolute path to .manifests and any version folder.
  evidence missing "bmctl could not read a CRD file under .manifests" weight 3
    from log where message ~ /failed to get CRD file \S*\.manifests\/[^:]+: open [^:]+: no such file or directory/
    needs "the bmctl log or console output of `bmctl update cluster` (bmctl-workspace/<cluster>/log/update-cluster-<timestamp>/)"

  condition missing

  explanation """
    bmctl keeps the CRDs and manifests of each release in a `.manifests` folder next to
    bmctl-workspace, and `bmctl update cluster` reads them from there without recreating them.
    When that folder was deleted (a clean-up of the workstation, a new checkout of the workspace),
    the update stops at the first CRD file it cannot open. Versions up to 1.10 are affected; 1.11
    recreates the folder. Here bmctl failed this way {missing.count} time(s); the cluster is at
    {version.anthos-bare-metal}.
    """
  remediation """
    Run `bmctl check cluster` once, which extracts the `.manifests` folder again, then rerun the
    update:
      bmctl check cluster -c CLUSTER_NAME --kubeconfig ADMIN_KUBECONFIG
      bmctl update cluster -c CLUSTER_NAME --kubeconfig ADMIN_KUBECONFIG
    (Taking a snapshot with `bmctl check cluster --snapshot` also recreates it.)
    """
  check """
    ls .manifests/                     # in the folder bmctl runs from: missing or without the version
    grep 'failed to get CRD file' bmctl-workspace/<cluster>/log/update-cluster-*/update-cluster.log
    """
end
