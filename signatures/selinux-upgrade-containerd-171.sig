# Upgrading a 1.7.1 cluster that runs containerd on RHEL/CentOS with SELinux enforcing fails
# (seed 002, SELinux: upgrade failure).
signature selinux-upgrade-containerd-171
  title      "1.7.1 cluster on containerd with SELinux enforcing (RHEL/CentOS) cannot be upgraded"
  kind       issue
  severity   high
  component  upgrade
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, SELinux: upgrade failure with containerd on 1.7.1"
  affects    anthos-bare-metal 1.7.1

  # `getenforce` → Enforcing, or sestatus' "Current mode: enforcing" (the runtime mode; the
  # config file's mode alone does not count: a node can be permissive until the next boot).
  evidence enforcing "SELinux is enforcing on the node" weight 3
    from selinux.status where mode == "enforcing"
    needs "`getenforce` or `sestatus` from each node"

  evidence rhel "the node runs RHEL or CentOS" weight 1
    from os-release where id in ("rhel", "centos")
    needs "/etc/os-release from each node"

  # The cluster config's `nodeConfig.containerRuntime: containerd` (a fact without a node) or the
  # node's runtime as Kubernetes reports it (`containerd://1.4.3`).
  evidence containerd "the cluster uses the containerd runtime" weight 1
    from fact where name == "container-runtime" and value ~ /^containerd/
    needs "the cluster config (nodeConfig.containerRuntime) or kubectl get nodes -o wide"

  condition per node enforcing and rhel and containerd

  explanation """
    A cluster on Anthos clusters on bare metal 1.7.1 that uses the containerd runtime fails
    to upgrade when its RHEL or CentOS nodes run SELinux in enforcing mode; the upgrade cannot be
    completed in place. This cluster is on {version.anthos-bare-metal} with containerd, and
    SELinux is enforcing on {enforcing.nodes} ({rhel.prettyName}).
    """
  remediation """
    Do not upgrade this cluster in place. Create a new cluster on 1.8.0 or later, configured
    with `nodeConfig.containerRuntime: containerd`, and move the applications and workloads to
    it; then delete the 1.7.1 cluster. (Clusters created on 1.8 use containerd with the
    supported configuration and upgrade normally with SELinux enforcing.)
    """
  check """
    kubectl get cluster CLUSTER_NAME -n CLUSTER_NAMESPACE -o jsonpath='{.spec.anthosBareMetalVersion} {.spec.nodeConfig.containerRuntime}{"\n"}'
    getenforce                 # on each node: Enforcing
    cat /etc/os-release        # RHEL or CentOS
    """
end
