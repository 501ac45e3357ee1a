# Occasional readiness / liveness probe failures that pass again on the next period.
signature probe-failure-recovered-benign
  title      "Occasional probe failures that recovered (harmless)"
  kind       benign
  severity   info
  component  kubelet
  platforms  any

  # klog text (`Readiness probe for "pod_ns(uid):container" failed (failure): …`, kubelet ≤ 1.20)
  # and the structured form (`"Probe failed" probeType="Readiness" pod="ns/pod" …`, kubelet ≥ 1.21).
  evidence failed "kubelet logged a readiness, liveness or startup probe failure"
    from log where source == "kubelet"
      and (message ~ /(?:Readiness|Liveness|Startup) probe for "[^"]+" failed \((?:failure|unknown)\)/
        or (message == "Probe failed" and probeType exists))
    needs "kubelet journal (journalctl --utc -u kubelet)"

  # The same lines arriving in a stream: a probe that keeps failing is not a blip.
  evidence persistent "probe failures keep coming on the node (10 or more within 30 minutes)"
    from log where source == "kubelet"
      and (message ~ /(?:Readiness|Liveness|Startup) probe for "[^"]+" failed \((?:failure|unknown)\)/
        or (message == "Probe failed" and probeType exists))
    count >= 10 within 30m

  condition per node failed and not persistent

  explanation """
    kubelet logs every probe that fails, but nothing when the next one passes. A probe that times
    out now and then (a busy checkpoint, a garbage-collection pause, a slow health endpoint) and
    passes again is normal. On {failed.nodes} kubelet logged {failed.count} isolated probe
    failure(s) and no run of failures, so the containers stayed or became ready again.
    """
  remediation """
    Nothing to do for these lines. If one container's probe fails often, consider a longer
    timeoutSeconds or periodSeconds for that probe.
    """
  check """
    journalctl -u kubelet | grep -E 'probe for .* failed|"Probe failed"'
    kubectl get pods -A -o wide     # the pods named are Running and READY
    """
end
