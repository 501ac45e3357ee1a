# anetd (Cilium) cannot start on Linux kernels older than 4.17 after an upgrade to 1.8.1 / 1.8.2 (seed 002).
signature kernel-too-old-bpf-nodeport
  title      "anetd crash-loops: BPF NodePort services need kernel 4.17 or newer (Ubuntu 18.04, kernel 4.15)"
  kind       issue
  severity   critical
  component  anetd
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, Ubuntu 18.04 and 18.04.1 incompatibility", "cilium/cilium#20726"
  affects    anthos-bare-metal >= 1.8.1 < 1.8.3
  fixed      anthos-bare-metal 1.8.3

  # The fatal start-up error of the Cilium agent in anetd, in logfmt (`level=fatal msg="…"
  # error="BPF NodePort services needs kernel 4.17.0 or newer" subsys=daemon`) or as the message
  # itself. The warning `… Disabling BPF NodePort.` of a Cilium that falls back and keeps running
  # is not this issue. The related check for host-reachable services fails the same way.
  evidence fatal "anetd stops at start-up: BPF NodePort services need kernel 4.17.0 or newer" weight 3
    from log where message ~ /BPF (?:NodePort services|host reachable services for TCP) needs kernel \d+\.\d+(?:\.\d+)? or newer/
      and message !~ /Disabling BPF NodePort|Disabling host reachable/
    needs "anetd pod logs (kubectl logs -n kube-system anetd-… -c cilium-agent, also --previous)"

  # The node runs a kernel older than 4.17 (Ubuntu 18.04 / 18.04.1 ship 4.15): from `uname`,
  # `kubectl get nodes -o wide` or the Node objects.
  evidence old-kernel "the node's kernel is older than 4.17" weight 2
    from fact where name == "kernel" and value < 4.17.0
    needs "`uname -a` from each node, or kubectl get nodes -o wide"

  condition per node fatal and old-kernel

  explanation """
    From Anthos clusters on bare metal 1.8.1, anetd runs Cilium with BPF NodePort services enabled
    in strict mode. That needs eBPF helpers first shipped in Linux 4.17, so on older kernels the
    agent exits at start-up and the pod crash-loops; pods on the node get no networking. Ubuntu
    18.04 and 18.04.1 use kernel 4.15, which is why upgrades of such clusters to 1.8.1 or 1.8.2
    break. Here anetd logged the fatal error {fatal.count} time(s) on {fatal.nodes}, whose kernel is
    {old-kernel.value}; the cluster is at {version.anthos-bare-metal}.
    """
  remediation """
    Either move the nodes (and the admin workstation that runs bmctl) to a kernel 4.17.0 or later,
    for example the Ubuntu 18.04 HWE kernel or Ubuntu 20.04:
      sudo apt update && sudo apt install --install-recommends linux-generic-hwe-18.04 && sudo reboot
    or upgrade the cluster to Anthos clusters on bare metal 1.8.3 or later, which no longer needs
    it. anetd starts normally once the node runs a supported kernel; delete the crash-looping pod
    (kubectl -n kube-system delete pod <anetd pod>) to restart it at once.
    """
  check """
    uname -r                                           # below 4.17 on the affected nodes
    kubectl -n kube-system get pods -o wide | grep anetd
    kubectl -n kube-system logs <anetd pod> -c cilium-agent --previous | grep 'needs kernel'
    """
end
