# Image pulls that fail once or twice (registry timeout) and succeed on a later attempt.
signature image-pull-retry-benign
  title      "Image pull errors retried until the image was pulled (harmless)"
  kind       benign
  severity   info
  component  containerd
  platforms  any

  # kubelet (`PullImage "…" from image service failed`, `Pull image "…" failed`, `ErrImagePull`,
  # `ImagePullBackOff: "Back-off pulling image …"`, `Failed to pull image`) and containerd
  # (`msg="PullImage \"…\" failed"` in the journal, quotes escaped). kubelet 1.21+ writes
  # structured lines whose message names no image (`"PullImage from image service failed"
  # err="…" image="…"`, `"Error syncing pod, skipping" err="… with ImagePullBackOff: …"`), so the
  # whole line is read. The auditproxy image is left to registry-mirror-auditproxy-missing: those
  # lines are never set aside here.
  evidence backoff "image pulls failed and were retried (ErrImagePull / ImagePullBackOff)"
    from log where source in ("kubelet", "containerd")
      and text ~ /ImagePullBackOff|ErrImagePull|Back-off pulling image|PullImage (?:\\?"[^"\\]+\\?" )?(?:from image service )?failed|Pull image \\?"[^"\\]+\\?" failed|Failed to pull image/
      and text !~ /auditproxy/
    needs "kubelet and containerd journals (journalctl --utc -u kubelet, journalctl --utc -u containerd)"

  # A pull that went through: kubelet's event text or containerd's reply to the CRI call.
  evidence pulled "an image pull succeeded afterwards"
    from log where source in ("kubelet", "containerd")
      and text ~ /Successfully pulled image|PullImage \\?"[^"\\]+\\?" returns image reference/
      and text !~ /auditproxy/
    needs "containerd journal (journalctl --utc -u containerd)"

  # Back-off that goes on for half an hour is a pull that does not work, not a retry.
  evidence stuck "pull errors keep coming on the node for 30 minutes or more"
    from log where source in ("kubelet", "containerd")
      and text ~ /ImagePullBackOff|ErrImagePull|Back-off pulling image|PullImage (?:\\?"[^"\\]+\\?" )?(?:from image service )?failed|Pull image \\?"[^"\\]+\\?" failed|Failed to pull image/
      and text !~ /auditproxy/
    count >= 12 span >= 30m

  condition per node backoff and (pulled after backoff) and not stuck

  explanation """
    A pod whose image was not on the node yet waited in ErrImagePull / ImagePullBackOff while the
    registry timed out, and kubelet retried with back-off until the pull succeeded. On
    {backoff.nodes} there were {backoff.count} pull error line(s), followed by a successful pull and
    no lasting back-off, so these lines are not the problem being investigated.
    """
  remediation """
    Nothing to do. If pulls back off often, check the node's route to the registry, or pre-pull
    images / use a registry mirror.
    """
  check """
    journalctl -u containerd | grep -E 'PullImage .*(failed|returns image reference)'
    kubectl get pods -A | grep -E 'ImagePullBackOff|ErrImagePull'     # nothing left
    """
end
