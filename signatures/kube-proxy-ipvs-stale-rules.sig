# kube-proxy in IPVS mode stops syncing rules (kubernetes/kubernetes#71071, seed 004).
signature kube-proxy-ipvs-stale-rules
  title      "kube-proxy stopped updating IPVS rules; Services lost their backends"
  kind       issue
  severity   high
  component  kube-proxy
  platforms  anthos-bare-metal, gke, kubernetes
  references "kubernetes/kubernetes#71071", "seed 004: kube-proxy IPVS mode stops updating rules"
  affects    kube-proxy >= 1.11.5 < 1.11.7, >= 1.12.2 < 1.12.5, >= 1.13.0 < 1.13.2
  fixed      kube-proxy 1.11.7, 1.12.5, 1.13.2

  # A Service whose virtual server has no real server at all: traffic to it goes nowhere.
  evidence empty "IPVS virtual services with no real servers" weight 3
    from ipvs.service where realServers == 0 and proto != "FWM"
    needs "`ipvsadm -Ln` output from each node"

  # The deadlocked graceful-termination loop: the same attempt every sync period, for a long time.
  # Matches the klog text form and the structured form newer kube-proxy writes.
  evidence stuck "kube-proxy repeats 'Trying to delete rs' every sync period" weight 2
    from log where source == "kube-proxy"
      and message ~ /Trying to delete rs: |Adding rs to graceful delete rsList/
    count >= 3 span >= 10m
    needs "kube-proxy pod logs (kubectl logs -n kube-system kube-proxy-…)"

  # A kube-proxy that still deletes real servers or syncs is not stuck. The structured form's
  # message is `SyncProxyRules complete` (the quotes belong to the klog line, not the message).
  evidence progress "kube-proxy still deletes real servers or syncs rules" weight 1
    from log where source == "kube-proxy"
      and message ~ /Deleting rs: |Not deleting, RS |[sS]yncProxyRules (took|complete)/

  # Progress before the loop started is normal; only progress after it argues against a deadlock.
  condition per node empty and stuck and not (progress after stuck)

  explanation """
    kube-proxy in IPVS mode deadlocked inside its graceful-termination loop: two goroutines
    called libipvs at the same time, and from then on kube-proxy only retries the same
    "Trying to delete rs" every sync period and never applies Service or Endpoints changes.
    Virtual services keep their IP but lose their real servers, so connections to those
    Services time out or show as filtered, while pod-to-pod traffic by pod IP still works.
    Here {empty.count} virtual service(s) have no real server ({empty.address}).
    kube-proxy repeated the delete attempt {stuck.count} times over {stuck.span} on {stuck.nodes}.
    """
  remediation """
    Upgrade kube-proxy to 1.11.7, 1.12.5, 1.13.2 or later, which serialise calls to libipvs.
    Until then, switch kube-proxy to iptables mode (`mode: iptables` in the kube-proxy
    ConfigMap, then restart the kube-proxy pods). Deleting the stuck kube-proxy pod on the
    node restores the rules for a while but the deadlock comes back.
    """
  check """
    ipvsadm -Ln | grep -A1 <service IP>      # no "->" line under the service
    kubectl -n kube-system logs <kube-proxy pod on the node> | grep -c 'Trying to delete rs'
    kubectl get endpoints -A | grep <service name>   # endpoints exist while IPVS has none
    """
end
