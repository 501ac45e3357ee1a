# A firewalld reload or restart removes the iptables chains anetd installed (seed 002).
signature firewalld-wiped-cilium-chains
  title      "firewalld reload removed anetd's CILIUM_ iptables chains: pods lose off-node connectivity"
  kind       issue
  severity   high
  component  anetd
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, firewalld changes erase Cilium iptables policy chains"

  # systemd's lines for the unit, in `journalctl -u firewalld`, the full journal or
  # /var/log/messages: `Reloaded firewalld - dynamic firewall daemon.` after `firewall-cmd
  # --reload`, `Started firewalld …` after a (re)start; newer systemd writes the unit name
  # (`Reloaded firewalld.service - firewalld - dynamic firewall daemon.`).
  evidence reload "firewalld was reloaded or (re)started" weight 2
    from log where source == "systemd" and message ~ /^(Started|Reloaded) firewalld(\.service)?\b/
    needs "`journalctl -u firewalld` (or the full journal / /var/log/messages) from each node"

  # anetd's agent started on the node: the kubelet's PLEG event for the anetd pod (klog text and
  # structured forms), containerd creating the cilium-agent container, or the agent's own
  # "Daemon initialization completed" when its log carries times.
  evidence anetd "anetd (the Cilium agent) started on the node" weight 1
    from log where text ~ /SyncLoop \(PLEG\)[^\n]*(anetd|cilium)-[a-z0-9]{5}[_"][^\n]*ContainerStarted|ContainerMetadata\{Name:cilium-agent,Attempt:\d+,\} returns container id|Daemon initialization completed/
    needs "kubelet and containerd journals (journalctl -u kubelet, -u containerd) from each node"

  # The node's iptables-save was collected (its filter table has an INPUT chain) …
  evidence ipt "the node's iptables-save is in the bundle" weight 1
    from iptables.chain where table == "filter" and chain == "INPUT"
    needs "`iptables-save` from each node"

  # … and holds no CILIUM_ chain at all (CILIUM_INPUT, CILIUM_FORWARD, CILIUM_POST_nat …): the
  # strongest sign, so it weighs most.
  evidence cilium "anetd's CILIUM_ chains are present" weight 5
    from iptables.chain where chain ~ /^CILIUM_/
    needs "`iptables-save` from each node"

  # A firewalld start at boot, before anetd, is harmless: anetd adds its chains afterwards.
  condition per node (reload after anetd) and ipt and not cilium

  explanation """
    anetd (Cilium, Dataplane V2) adds its CILIUM_ chains and the jumps to them to the node's
    iptables when it starts. On RHEL and CentOS nodes with firewalld enabled, reloading or
    restarting firewalld (`firewall-cmd --reload`, `systemctl restart firewalld`) rebuilds the
    tables from firewalld's own configuration and those chains are gone; anetd does not notice
    and does not put them back. kube-proxy restores its own chains on its next sync, so the
    damage is easy to miss: pods on that node lose connectivity to anything off the node.
    On {reload.nodes} firewalld was reloaded or started ({reload.last}) after anetd started
    ({anetd.first}), and the node's iptables-save has no CILIUM_ chain.
    """
  remediation """
    Restart anetd on the affected node so it installs its chains again — delete its anetd pod
    and the DaemonSet starts a new one:
      kubectl get pods -n kube-system -o wide | grep anetd     # the pod on that node
      kubectl delete pods -n kube-system ANETD_XYZ
    Do it again after every firewalld reload or restart on a cluster node, and make the node's
    firewalld changes (ports for the cluster) permanent ahead of time so reloads are rare.
    """
  check """
    iptables-save | grep -c CILIUM_                  # 0 on the affected node
    journalctl -u firewalld --since -1d | grep -E 'Reload|Start'
    kubectl get pods -n kube-system -o wide | grep anetd   # its start time vs the reload
    """
end
