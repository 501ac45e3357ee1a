# stackdriver-log-forwarder (fluent-bit) keeps restarting on a corrupt buffer chunk after a
# hard node shutdown (seed 002, logging and monitoring; fixed in Anthos bare metal 1.9.0).
signature log-forwarder-chunk-corrupt
  title      "stackdriver-log-forwarder crash-loops on a corrupt fluent-bit buffer chunk after a hard shutdown"
  kind       issue
  severity   medium
  component  logging
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, logging and monitoring: stackdriver-log-forwarder stuck restarting",
             "fluent/fluent-bit#3544", "fluent/fluent-bit#3229"
  affects    anthos-bare-metal < 1.9.0
  fixed      anthos-bare-metal 1.9.0

  # fluent-bit's storage backlog found a chunk it cannot read. Both endings exist:
  # "Found N valid records, failed content starts right after byte B." and
  # "No valid records found, the chunk will be discarded." The level is `[error]`; the plugin tag
  # carries the instance number (storage_backlog.1, .7 …), so only the message is matched.
  evidence corrupt "fluent-bit reports a corrupt chunk in its on-disk buffer" weight 3
    from log where source in ("stackdriver-log-forwarder", "fluent-bit")
      and message ~ /chunk validation failed, data might be corrupted/
    needs "stackdriver-log-forwarder (fluent-bit) pod logs (kubectl logs -n kube-system stackdriver-log-forwarder-…)"

  # The stuck part: the forwarder container does not stay up. kubelet's CrashLoopBackOff text is
  # the same in klog (1.20: `back-off 5m0s restarting failed container=…`) and in the structured
  # `"Error syncing pod, skipping" err="… back-off 5m0s restarting failed container=…"` form
  # (1.21+), where it sits in the err field: the whole line is read.
  evidence backoff "kubelet keeps backing off the forwarder container" weight 2
    from log where source == "kubelet"
      and text ~ /back-off \S+ restarting failed container=stackdriver-log-forwarder\b/
    count >= 2
    needs "kubelet journal of the node (journalctl --utc -u kubelet)"

  evidence looping "the forwarder pod is crash-looping or has restarted many times" weight 2
    from k8s.row where resource == "pods" and name ~ /^stackdriver-log-forwarder-/
      and (status in ("CrashLoopBackOff", "Error") or restarts >= 5)
    needs "kubectl get pods -o wide -n kube-system"

  evidence waiting "kubectl describe shows the forwarder waiting in CrashLoopBackOff" weight 2
    from k8s.describe where name ~ /^stackdriver-log-forwarder-/ and waitingReason == "CrashLoopBackOff"
    needs "kubectl describe pods -n kube-system"

  # A corrupt chunk that fluent-bit drops once and then keeps flushing is harmless: the issue is
  # the pod that never gets past it, on the same node.
  condition per node corrupt and (backoff or looping or waiting)

  explanation """
    After a node is powered off or crashes without a clean shutdown, the fluent-bit buffer that
    stackdriver-log-forwarder keeps in /var/log/fluent-bit-buffers/ can hold a half-written
    chunk. Before Anthos clusters on bare metal 1.9 the forwarder does not get past it: each
    start reads the backlog, fails chunk validation and the container dies again, so the pod
    stays in a restart loop. While it loops, almost no logs from that node reach Cloud Logging
    and the buffered data that was never flushed is lost.
    On {corrupt.nodes} fluent-bit reported a corrupt chunk {corrupt.count} time(s); the kubelet
    backed off the forwarder container {backoff.count} time(s) between {backoff.first} and
    {backoff.last}, and the pod table shows {looping.name} not running normally. Anthos clusters
    on bare metal version: {version.anthos-bare-metal}.
    """
  remediation """
    Reset the logging pipeline so the broken buffers are removed (fixed for good in 1.9.0):
      1. Stop the operator that recreates the forwarder:
           kubectl --kubeconfig KUBECONFIG -n kube-system scale deploy stackdriver-operator --replicas=0
      2. Delete the forwarder DaemonSet and wait until its pods are gone:
           kubectl --kubeconfig KUBECONFIG -n kube-system delete daemonset stackdriver-log-forwarder
      3. Run a one-off privileged DaemonSet `fluent-bit-cleanup` in kube-system (image
         debian:10-slim, hostPath /var/log mounted at /var/log, tolerations for
         CriticalAddonsOnly, node-role.kubernetes.io/master and node-role.gke.io/observability)
         whose container runs:
           rm -rf /var/log/fluent-bit-buffers/ && echo "Fluent Bit local buffer is cleaned up." && sleep 3600
      4. Check that every node was cleaned: the two numbers must be equal.
           kubectl --kubeconfig KUBECONFIG logs -n kube-system -l app=fluent-bit-cleanup | grep "cleaned up" | wc -l
           kubectl --kubeconfig KUBECONFIG -n kube-system get pods -l app=fluent-bit-cleanup --no-headers | wc -l
      5. Remove it:  kubectl --kubeconfig KUBECONFIG -n kube-system delete ds fluent-bit-cleanup
      6. Bring the operator back; it redeploys the forwarder:
           kubectl --kubeconfig KUBECONFIG -n kube-system scale deploy stackdriver-operator --replicas=1
    Data that was only in the removed buffers is lost. Upgrade to 1.9.0 or later to avoid it.
    """
  check """
    kubectl -n kube-system get pods -o wide | grep stackdriver-log-forwarder    # CrashLoopBackOff, many restarts
    kubectl -n kube-system logs <forwarder pod> --previous | grep 'chunk validation failed'
    ls -la /var/log/fluent-bit-buffers/     # on the node: the chunk files (*.flb)
    """
end
