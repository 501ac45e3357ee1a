# The cbr0 bridge of a kubenet node is down: its pods have no network (seed 003).
signature cbr0-bridge-down
  title      "The cbr0 bridge is down: pods on the node have no network connectivity"
  kind       issue
  severity   high
  component  networking
  platforms  gke, kubernetes
  references "seed 003: GKE in-cluster connectivity troubleshooting, pods on some nodes are not available"

  # Administratively down: no UP flag (`cbr0: <BROADCAST,MULTICAST> mtu 1460 … state DOWN`). A
  # bridge that is up but has no port yet shows `<NO-CARRIER,BROADCAST,MULTICAST,UP> … state
  # DOWN`, which is normal on an empty node and does not count.
  evidence down "cbr0 is administratively down" weight 3
    from netif where name == "cbr0" and up == false
    needs "`ip address show cbr0`, `ip addr` or `ip link` from each node"

  # Pods are attached to it (their veths have `master cbr0`): they are the ones cut off.
  evidence attached "pod veths are attached to cbr0" weight 1
    from netif where master == "cbr0"
    needs "`ip addr` or `ip link` from each node"

  condition per node down and attached

  explanation """
    With kubenet networking each node connects its pods to the Linux bridge cbr0, which also
    holds the gateway address of the node's pod range. When cbr0 is down, nothing gets in or out
    of those pods: they cannot reach other pods, Services or DNS, and the kubelet's probes to
    them fail, while the node itself looks healthy. Something on the node took the bridge down
    (a network script or network manager restart, a manual change).
    On {down.nodes} cbr0 is down ({down.flags}, state {down.state}) while {attached.count} pod
    interface(s) are attached to it.
    """
  remediation """
    Bring the bridge up on the node:
      sudo ip link set cbr0 up
    Then check that the node learns the MAC addresses of the pods on cbr0 again (`arp -an`, or
    `ip neigh show dev cbr0`), and find what took it down (network configuration tooling,
    NetworkManager or netplan managing cbr0) so it does not happen again.
    """
  check """
    ip address show cbr0          # must show UP,LOWER_UP and state UP
    ip link show master cbr0      # the pods' veths
    arp -an | grep cbr0
    """
end
