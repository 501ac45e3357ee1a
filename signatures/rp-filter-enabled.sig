# Reverse-path filtering switched back on: pods time out reaching Service IPs (seed 002).
signature rp-filter-enabled
  title      "Reverse-path filtering is on (rp_filter 1/2): pods time out reaching Service IPs"
  kind       issue
  severity   high
  component  networking
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, pod connectivity failures from I/O timeouts and reverse path filtering"

  # The live value: `sysctl -a`, or /proc/sys/net/ipv4/conf/all/rp_filter copied into the bundle
  # (also flattened as `_proc_sys_net_ipv4_conf_all_rp_filter`). 1 is strict, 2 loose; both break
  # the return path of Service traffic through anetd's devices.
  evidence rpf "net.ipv4.conf.all.rp_filter is 1 or 2 on the running node" weight 3
    from sysctl where key == "net.ipv4.conf.all.rp_filter" and number >= 1 and origin == "runtime"
    needs "/proc/sys/net/ipv4/conf/all/rp_filter or `sysctl -a` from each node"

  # The live value is 0 (anetd reset it): a configuration file asking for more has not been
  # applied since, so it does not count on that node. Read only to rule nodes out below.
  evidence rpf-off "net.ipv4.conf.all.rp_filter is 0 on the running node"
    from sysctl where key == "net.ipv4.conf.all.rp_filter" and number == 0 and origin == "runtime"
    needs "/proc/sys/net/ipv4/conf/all/rp_filter or `sysctl -a` from each node"

  # When the bundle has no live value: a sysctl.d / sysctl.conf file that turns strict filtering
  # on for all interfaces (`60-gce-network-security.conf` does). Ubuntu's stock
  # `10-network-security.conf` asks for 2 and is on every Ubuntu node, so only 1 counts here.
  evidence rpf-config "a sysctl configuration file sets rp_filter = 1 for all interfaces" weight 1
    from sysctl where node not in rpf-off.node
      and key in ("net.ipv4.conf.all.rp_filter", "net.ipv4.conf.*.rp_filter") and number == 1 and origin == "config"
    needs "/etc/sysctl.conf and /etc/sysctl.d/*.conf from each node"

  # The symptom, in the pods of that node: connections to a Service IP time out, e.g.
  # `dial tcp 172.26.0.1:443: i/o timeout` in klog, JSON or plain logs (structured klog keeps it in
  # `err="…"`, so the whole line is read). Node agents (kubelet,
  # containerd) are left out; a handful during an API server restart is normal, so it takes a few.
  evidence timeout "pods on the node time out connecting to Service IPs" weight 2
    from log where text ~ /dial tcp \d+\.\d+\.\d+\.\d+:\d+: i\/o timeout/
      and source not in ("kubelet", "containerd", "kernel", "systemd", "kube-proxy")
    count >= 3
    needs "pod logs of the node's workloads (logs/<namespace>/<pod>/…) and kubectl get pods -o wide"

  condition per node (rpf or rpf-config) and timeout

  explanation """
    Anthos clusters on bare metal turn source validation off on the nodes
    (net.ipv4.conf.all.rp_filter = 0): Service traffic handled by anetd (Dataplane V2) comes back
    on a different device than the route to its source, and with reverse-path filtering on the
    kernel drops those packets. When something sets rp_filter to 1 or 2 again — a sysctl.d file
    applied by `sysctl --system`, a hardening tool, a reboot — every pod on that node times out
    talking to Service IPs, including the API server's, while other nodes are fine.
    On {timeout.nodes} rp_filter for all interfaces reads {rpf.value} (a configuration file asks
    for {rpf-config.value}), and the node's pods logged {timeout.count} connection timeouts
    between {timeout.first} and {timeout.last}.
    """
  remediation """
    Put the value back to 0 on the node, at once:
      sysctl -w net.ipv4.conf.all.rp_filter=0
    or restart the node's anetd pod, which sets it again when it starts:
      kubectl get pods -n kube-system -o wide | grep anetd        # the one on the node
      kubectl delete pods -n kube-system ANETD_XYZ
    Then remove the setting that turned it on, or the next `sysctl --system` or reboot brings the
    timeouts back: look for rp_filter in /etc/sysctl.conf and /etc/sysctl.d/*.conf (for example
    /etc/sysctl.d/60-gce-network-security.conf) and in the node hardening tooling.
    """
  check """
    sysctl net.ipv4.conf.all.rp_filter           # must be 0
    grep -rn rp_filter /etc/sysctl.conf /etc/sysctl.d/ /run/sysctl.d/ /usr/lib/sysctl.d/ 2>/dev/null
    kubectl exec -n <ns> <pod on the node> -- wget -qO- -T 5 https://kubernetes.default.svc:443 2>&1 | head -1
    """
end
