# Pod interfaces with a larger MTU than the node's network (seed 003).
signature pod-mtu-mismatch
  title      "Pod interfaces have a larger MTU than the node's network: large packets are dropped"
  kind       issue
  severity   medium
  component  networking
  platforms  any
  references "seed 003: GKE in-cluster connectivity troubleshooting, pods on some nodes have partial connectivity (MTU)"

  # The node's own interface: a physical or bonded NIC with an IPv4 address. Only read for the
  # comparison below.
  evidence primary "the node's primary interface"
    from netif where name ~ /^(eth|ens|eno|enp|em|bond)\d/ and addresses ~ /\d+\.\d+\.\d+\.\d+\/\d+/
    needs "`ip addr` or `ip link` from each node"

  # The language compares a field with constants, so "pod MTU > node MTU" is spelled as
  # thresholds: a node at 1460 or less (GCP's default, most overlays) with pod interfaces above
  # it, or a node at 1500 or less with pod interfaces above 1500 (jumbo pods).
  evidence host-le1460 "the primary interface's MTU is 1460 or less" weight 1
    from netif where name ~ /^(eth|ens|eno|enp|em|bond)\d/ and addresses ~ /\d+\.\d+\.\d+\.\d+\/\d+/ and mtu <= 1460
    needs "`ip addr` or `ip link` from each node"
  evidence host-le1500 "the primary interface's MTU is 1500 or less" weight 1
    from netif where name ~ /^(eth|ens|eno|enp|em|bond)\d/ and addresses ~ /\d+\.\d+\.\d+\.\d+\/\d+/ and mtu <= 1500
    needs "`ip addr` or `ip link` from each node"

  # Pod-side interfaces: host ends of pod veths (veth*, lxc* from Cilium/anetd, cali* from Calico,
  # gke* from Dataplane V2) and the pod bridges cbr0 / cni0.
  evidence pod-gt1460 "pod interfaces with an MTU above 1460" weight 3
    from netif where name ~ /^(veth|lxc|cali|gke[0-9a-f]{4})|^(cbr0|cni0)$/ and mtu > 1460
    needs "`ip addr` or `ip link` from each node"
  evidence pod-gt1500 "pod interfaces with an MTU above 1500" weight 3
    from netif where name ~ /^(veth|lxc|cali|gke[0-9a-f]{4})|^(cbr0|cni0)$/ and mtu > 1500
    needs "`ip addr` or `ip link` from each node"

  # With an overlay, pods must be smaller than the node by the encapsulation overhead; pod
  # interfaces as large as the node's mean the tunnel header no longer fits.
  evidence tunnel "the node has an overlay tunnel device" weight 1
    from netif where kind in ("geneve", "vxlan", "ipip") or name ~ /^(cilium_geneve|cilium_vxlan|flannel\.\d+|vxlan\.calico|weave)$/
    needs "`ip -d link` or `ip addr` from each node"
  evidence pod-same "pod interfaces as large as the node's own interface" weight 3
    from netif where mtu in primary.mtu and name ~ /^(veth|lxc|cali|gke[0-9a-f]{4})|^(cbr0|cni0)$/
    needs "`ip addr` or `ip link` from each node"

  condition per node (host-le1460 and pod-gt1460) or (host-le1500 and pod-gt1500) or (tunnel and pod-same)

  explanation """
    Pods send packets as large as their interface's MTU allows. When that is larger than what
    the node's network carries (minus the encapsulation header when an overlay is used), full-size
    packets are dropped on the way out, often without the ICMP message that would let the sender
    shrink them. Small exchanges work, then connections stall: TCP handshakes complete but TLS
    handshakes (certificate chains), large responses and image pulls hang.
    On {pod-gt1460.nodes} the node's interface {primary.name} has MTU {primary.mtu} while pod
    interfaces ({pod-gt1460.name}) use MTU {pod-gt1460.mtu} (the evidence above says whether an
    overlay tunnel also needs room for its header).
    """
  remediation """
    Make the pod MTU fit the network: equal to the node network's MTU (the VPC MTU on GKE, 1460
    by default), minus the encapsulation overhead when an overlay carries pod traffic (50 bytes
    for VXLAN or GENEVE). Set it where the network plugin takes it (kubenet: the kubelet's
    --network-plugin-mtu; CNI plugins: their mtu setting or ConfigMap), then recreate the pods
    (or drain and reboot the node) so their interfaces get the new value. Alternatively raise the
    underlying network's MTU to match.
    """
  check """
    ip -o link | awk '{print $2, $4, $5}'         # MTU of every interface
    ip address show cbr0
    kubectl exec POD -- ping -M do -s 1472 -c 3 <address on another node>   # fails when 1500 does not fit
    """
end
