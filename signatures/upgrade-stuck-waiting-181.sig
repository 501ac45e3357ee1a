# An admin, hybrid or standalone cluster upgrade from 1.7.x to 1.8.0 or 1.8.1 hangs at
# "Waiting for upgrade to complete ..." without naming a node (seed 002; fixed in 1.8.2).
signature upgrade-stuck-waiting-181
  title      "Upgrade to 1.8.0/1.8.1 hangs at 'Waiting for upgrade to complete' with no node being upgraded"
  kind       issue
  severity   high
  component  upgrade
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, upgrades: upgrades of admin, hybrid and standalone clusters to 1.8.0 and 1.8.1 do not complete"
  affects    anthos-bare-metal >= 1.8.0 < 1.8.2
  fixed      anthos-bare-metal 1.8.2

  # The bare waiting line: a healthy upgrade names the machine it is working on, this one names
  # nothing. Accepts "complete...", "complete ..." and "complete…" at the end of the line, with or
  # without bmctl's `[2021-08-03 18:47:23+0000]` stamp (console captures have none).
  evidence waiting "bmctl keeps waiting for the upgrade without naming a node" weight 3
    from log where message ~ /Waiting for upgrade to complete\s*(?:\.{3}|…)?\s*$/
    count >= 3 span >= 20m
    needs "the bmctl upgrade log (bmctl-workspace/<cluster>/log/upgrade-cluster-<timestamp>/upgrade-cluster.log) or the console output"

  # The control plane already runs the Kubernetes version of 1.8.0/1.8.1.
  evidence at-target "nodes already run Kubernetes v1.20.8-gke.1500" weight 1
    from fact where name in ("kubernetes", "kubelet") and value == "v1.20.8-gke.1500"
    needs "kubectl get nodes -o wide"

  evidence done "the upgrade finished" weight 1
    from log where message ~ /Waiting for upgrade to complete\s*(?:\.{3}|…)\s*OK\b|upgrade (?:is )?completed?\b|upgraded successfully|successfully upgraded/i

  condition waiting and at-target and not (done after waiting)

  explanation """
    Upgrading an admin, hybrid or standalone cluster that was updated after it was created from
    1.7.x to 1.8.0 or 1.8.1 can stall after the preflight checks: the control plane is upgraded
    to Kubernetes v1.20.8-gke.1500, but the cluster's status already reports the new generation
    as reconciled, so the machines are never upgraded and bmctl waits forever. The tell is a
    waiting line that names no machine.
    Here bmctl printed "Waiting for upgrade to complete..." {waiting.count} times over
    {waiting.span} ({waiting.first} to {waiting.last}) without naming a node and without
    finishing, while nodes report Kubernetes v1.20.8-gke.1500. Target version:
    {version.anthos-bare-metal}.
    """
  remediation """
    This is fixed in 1.8.2: upgrade to 1.8.2 or later directly when possible. To unblock an
    upgrade already stuck on 1.8.0/1.8.1, remove the stale status condition that follows
    DashboardReady in the Cluster's systemServiceConditions (the bootstrap cluster's kubeconfig
    is bmctl-workspace/.kindkubeconfig):
      kubectl get --raw=/apis/baremetal.cluster.gke.io/v1/namespaces/CLUSTER_NAMESPACE/clusters/CLUSTER_NAME/status \
          --kubeconfig bmctl-workspace/.kindkubeconfig | \
        sed -e 's/\("systemServiceConditions":\[{[^{]*"type":"DashboardReady"}\),{[^{}]*}/\1/g' | \
        kubectl replace --raw=/apis/baremetal.cluster.gke.io/v1/namespaces/CLUSTER_NAMESPACE/clusters/CLUSTER_NAME/status \
          --kubeconfig bmctl-workspace/.kindkubeconfig -f-
    The upgrade then goes on by itself.
    """
  check """
    # After the preflight checks, during the upgrade: "Bug Detected" means this issue.
    G=$(kubectl get cluster CLUSTER_NAME -n CLUSTER_NAMESPACE --kubeconfig bmctl-workspace/.kindkubeconfig -o=jsonpath='{.metadata.generation}')
    O=$(kubectl get cluster CLUSTER_NAME -n CLUSTER_NAMESPACE --kubeconfig bmctl-workspace/.kindkubeconfig \
        -o=jsonpath='{.status.systemServiceConditions[?(@.type=="Reconciling")].observedGeneration}')
    [ "$G" -le "$O" ] && echo "Bug Detected" || echo OK
    """
end
