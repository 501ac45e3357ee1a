# kube-proxy dies because nf_conntrack_max cannot be written from its network namespace
# (seed 002; the same failure on kind and minikube: kubernetes/minikube#11418).
signature conntrack-max-readonly
  title      "kube-proxy crash-loops: nf_conntrack_max is read-only in its network namespace"
  kind       issue
  severity   high
  component  kube-proxy
  platforms  anthos-bare-metal, kubernetes
  references "seed 002: Anthos clusters on bare metal known issues, Ubuntu 20.04 LTS and bmctl",
             "kubernetes/minikube#11418", "k3d-io/k3d#612"
  affects    anthos-bare-metal < 1.8.2
  fixed      anthos-bare-metal 1.8.2

  # The fatal error. klog text: `F0624 19:05:08.009646 1 server.go:495] open
  # /proc/sys/net/netfilter/nf_conntrack_max: permission denied`; structured (1.2x+):
  # `"Error running ProxyServer" err="could not set conntrack parameters …: open
  # /proc/sys/net/netfilter/nf_conntrack_max: permission denied"` and `"command failed" err=…`.
  # Matched on the whole line so the structured `err` value counts too.
  evidence denied "kube-proxy cannot write nf_conntrack_max: permission denied" weight 3
    from log where text ~ /(open|write) \/proc\/sys\/net\/netfilter\/nf_conntrack_max: permission denied/
    needs "kube-proxy logs (for a bootstrap cluster: bmctl-workspace/<cluster>/log/create-cluster-…/bootstrap-cluster/, or kubectl logs -n kube-system -l k8s-app=kube-proxy --kubeconfig bmctl-workspace/.kindkubeconfig)"

  # What kube-proxy tried to write, logged just before: the value to set on the host by hand.
  # `conntrack.go:100] Set sysctl 'net/netfilter/nf_conntrack_max' to 393216`, or structured
  # `"Set sysctl" entry="net/netfilter/nf_conntrack_max" value=393216`.
  evidence setting "kube-proxy sets nf_conntrack_max" weight 1
    from log where message ~ /Set sysctl 'net\/netfilter\/nf_conntrack_max' to \d+/
      or (message == "Set sysctl" and entry == "net/netfilter/nf_conntrack_max")
    needs "kube-proxy logs"

  # The pod keeps restarting.
  evidence crashloop "kube-proxy pod in CrashLoopBackOff" weight 2
    from k8s.row where name ~ /^kube-proxy-/ and status in ("CrashLoopBackOff", "Error")
    needs "kubectl get pods -n kube-system -o wide (of the bootstrap cluster when bmctl failed)"

  evidence crashloop-describe "kube-proxy container waiting in CrashLoopBackOff" weight 2
    from k8s.describe where name ~ /^kube-proxy-/ and waitingReason == "CrashLoopBackOff"
    needs "kubectl describe pods -n kube-system"

  # Per node: the bootstrap cluster's kube-proxy, not the cluster's own healthy ones.
  condition per node denied and (setting or crashloop or crashloop-describe)

  explanation """
    kube-proxy sets net.netfilter.nf_conntrack_max when it starts and exits if that fails. Some
    Ubuntu 20.04 kernels (5.8 and later, including the GCP Ubuntu images) make this file
    read-only in any network namespace but the host's. kube-proxy pods on cluster nodes use the
    host network and are fine, but the kind bootstrap cluster that bmctl starts to create or
    upgrade a cluster runs kube-proxy in a container's namespace: it dies, restarts, dies again,
    and the bootstrap cluster never becomes ready. bmctl before 1.8.2 does not work around it.
    On {denied.nodes} kube-proxy logged the permission error {denied.count} time(s), right after
    trying to set the limit ({setting.message}; the evidence lines show the value), and its pod
    is {crashloop.status}. Anthos bare metal version in the bundle: {version.anthos-bare-metal}.
    """
  remediation """
    Set the value kube-proxy wants on the machine that runs bmctl (the admin workstation), where
    the host namespace can write it, then run bmctl again; kube-proxy sees the value already in
    place and does not write it. Take N from the "Set sysctl 'net/netfilter/nf_conntrack_max' to
    N" line (it depends on the number of cores):
      sudo sysctl net.netfilter.nf_conntrack_max=393216
      echo 'net.netfilter.nf_conntrack_max=393216' | sudo tee /etc/sysctl.d/90-conntrack.conf
    Upgrading bmctl to 1.8.2 or later removes the problem. On other kind/minikube clusters the
    equivalent fix is `conntrack: {maxPerCore: 0}` in the kube-proxy configuration, which tells
    kube-proxy to leave the limit alone.
    """
  check """
    kubectl --kubeconfig bmctl-workspace/.kindkubeconfig -n kube-system get pods -l k8s-app=kube-proxy
    kubectl --kubeconfig bmctl-workspace/.kindkubeconfig -n kube-system logs -l k8s-app=kube-proxy | grep -E 'nf_conntrack_max'
    sysctl net.netfilter.nf_conntrack_max; uname -r
    """
end
