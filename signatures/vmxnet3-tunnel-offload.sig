# VMXNET3 UDP tunnel segmentation offload breaks GENEVE between nodes on vSphere (seed 002).
signature vmxnet3-tunnel-offload
  title      "VMXNET3 UDP tunnel segmentation offload is on: GENEVE traffic between nodes breaks"
  kind       issue
  severity   high
  component  networking
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, installing on vSphere"

  # `ethtool -k <nic>`: `tx-udp_tnl-segmentation: on` / `tx-udp_tnl-csum-segmentation: on`
  # (also with `[fixed]`). `rx-udp_tunnel-port-offload` is a different feature.
  evidence offload "UDP tunnel segmentation offload is on" weight 3
    from ethtool.feature where feature in ("tx-udp_tnl-segmentation", "tx-udp_tnl-csum-segmentation") and enabled == true
    needs "`ethtool -k <interface>` for the interface holding the node's IP, on each node"

  # The NIC is a VMXNET3 (`ethtool -i`). Both clauses read ethtool output on purpose: the kernel's
  # vmxnet3 messages and the GENEVE device are on every vSphere node of an ABM cluster, and a
  # bundle without ethtool output must not look half-way to this finding because of them.
  evidence driver "`ethtool -i` names the vmxnet3 driver" weight 1
    from ethtool.driver where driver == "vmxnet3"
    needs "`ethtool -i <interface>` on each node"

  condition per node offload and driver

  explanation """
    anetd carries pod traffic between nodes in GENEVE (UDP) tunnels. VMXNET3, the vSphere
    virtual NIC, offers to segment such tunnelled packets itself
    (tx-udp_tnl-segmentation, tx-udp_tnl-csum-segmentation), and that offload does not work for
    these tunnels: large packets between pods on different nodes are lost or corrupted, so
    connections set up fine and then stall (TLS handshakes, large responses), while traffic on
    one node is fine.
    On {offload.nodes} the offload is on ({offload.feature} on {offload.iface}) and the NIC's
    driver is {driver.driver}; anetd's cilium_geneve device (see `ip addr`) carries the tunnels.
    """
  remediation """
    Turn both features off on every node's interface (the one holding the node IP):
      ethtool -K ens192 tx-udp_tnl-segmentation off
      ethtool -K ens192 tx-udp_tnl-csum-segmentation off
    On RHEL 8.4, ethtool may show the flags off while they are on: set them on first, then off:
      ethtool -K ens192 tx-udp_tnl-segmentation on
      ethtool -K ens192 tx-udp_tnl-csum-segmentation on
      ethtool -K ens192 tx-udp_tnl-segmentation off
      ethtool -K ens192 tx-udp_tnl-csum-segmentation off
    The change does not survive a reboot: apply it from a boot-time script (a systemd unit or
    the network configuration's ethtool hook) on every node.
    """
  check """
    ethtool -k ens192 | grep udp_tnl
    ethtool -i ens192 | grep driver
    ip -d link show cilium_geneve
    """
end
