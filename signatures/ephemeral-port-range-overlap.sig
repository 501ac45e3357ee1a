# The ephemeral port range reaches into the NodePort range (seed 001).
signature ephemeral-port-range-overlap
  title      "net.ipv4.ip_local_port_range overlaps the NodePort range 30000-32767 (Dataplane V2)"
  kind       issue
  severity   medium
  component  dataplane-v2
  platforms  gke
  references "seed 001: GKE Dataplane V2 known issues, intermittent connectivity from NodePort range conflicts",
             "cilium/cilium#23604"

  # A range that keeps clear of the NodePorts on the running node, or the NodePorts reserved
  # (`net.ipv4.ip_local_reserved_ports` covering 30000-32767: the kernel never picks those ports).
  # Read only to rule nodes out below.
  evidence clear "ephemeral range clear of 30000-32767, or those ports reserved"
    from sysctl where (key == "net.ipv4.ip_local_port_range" and origin == "runtime" and (low > 32767 or high < 30000))
      or (key == "net.ipv4.ip_local_reserved_ports"
          and value ~ /(^|,)\s*([0-9]{1,4}|[12][0-9]{4}|30000)-(3276[7-9]|327[7-9][0-9]|32[89][0-9]{2}|3[3-9][0-9]{3}|[4-6][0-9]{4})\s*(,|$)/)
    needs "`sysctl -a` from each node"

  # The running range overlaps 30000-32767 (`net.ipv4.ip_local_port_range = 1024	65000`; the
  # kernel default `32768	60999` starts just above it).
  evidence overlap "the node's ephemeral port range overlaps 30000-32767" weight 3
    from sysctl where node not in clear.node and key == "net.ipv4.ip_local_port_range"
      and origin == "runtime" and low <= 32767 and high >= 30000
    needs "`sysctl -a` or /proc/sys/net/ipv4/ip_local_port_range from each node"

  # Without the live value: a sysctl.d / sysctl.conf file that sets an overlapping range.
  evidence overlap-config "a sysctl configuration file sets an overlapping ephemeral range" weight 1
    from sysctl where node not in clear.node and key == "net.ipv4.ip_local_port_range"
      and origin == "config" and low <= 32767 and high >= 30000
    needs "/etc/sysctl.conf and /etc/sysctl.d/*.conf from each node"

  # Dataplane V2 (anetd / Cilium agent) runs on the node: its eBPF NodePort handling is what
  # takes the replies.
  evidence dpv2 "a Dataplane V2 agent (anetd) runs on the node" weight 1
    from k8s.row where resource == "pods" and name ~ /^(anetd|cilium)-[a-z0-9]{5}$/
    needs "kubectl get pods -n kube-system -o wide"

  condition per node (overlap or overlap-config) and dpv2

  explanation """
    Connections a node opens take their source port from net.ipv4.ip_local_port_range. When
    that range includes ports of the NodePort range (30000-32767), a connection can leave with
    a source port that is also a NodePort; on Dataplane V2 the reply then matches the NodePort
    Service handling in eBPF instead of reaching the connection, and it fails — rarely and at
    random, which makes it hard to pin down.
    On {overlap.nodes} the ephemeral port range is {overlap.value} (configured: {overlap-config.value})
    with no reserved ports covering 30000-32767.
    """
  remediation """
    Keep the ephemeral range out of the NodePort range on every node, for example back to the
    kernel default, and persist it:
      sysctl -w net.ipv4.ip_local_port_range="32768 60999"
      echo 'net.ipv4.ip_local_port_range = 32768 60999' > /etc/sysctl.d/90-ephemeral-ports.conf
    If a wide range is needed, reserve the NodePorts instead, so the kernel never hands them out:
      sysctl -w net.ipv4.ip_local_reserved_ports=30000-32767
    Fix the file that widened the range (look for ip_local_port_range in /etc/sysctl.conf and
    /etc/sysctl.d/) or the next reboot brings it back.
    """
  check """
    sysctl net.ipv4.ip_local_port_range net.ipv4.ip_local_reserved_ports
    grep -rn 'ip_local_port_range\|ip_local_reserved_ports' /etc/sysctl.conf /etc/sysctl.d/
    kubectl get svc -A | grep -E 'NodePort|LoadBalancer'
    """
end
