# The bmctl registry mirror package lacks the auditproxy image before 1.8.2 (seed 002).
signature registry-mirror-auditproxy-missing
  title      "Registry mirror lacks the auditproxy image: Cloud Audit Logging's proxy cannot be pulled"
  kind       issue
  severity   medium
  component  install
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, registry mirror and Cloud Audit Logging"
  affects    anthos-bare-metal < 1.8.2
  fixed      anthos-bare-metal 1.8.2

  # kubelet (`PullImage "…/auditproxy:gke_master_auditproxy_20201115_RC00" from image service
  # failed`, `ErrImagePull`, `ImagePullBackOff: "Back-off pulling image …"`) and containerd
  # (`msg="PullImage \"…\" failed"`) failing on the auditproxy image, whatever registry host the
  # image name carries (gcr.io, or the mirror's address). The whole line is read: kubelet's
  # structured form (`"PullImage from image service failed" err="…" image="…"`) names the image
  # only in its fields.
  evidence pull "pulls of the auditproxy image fail" weight 2
    from log where text ~ /auditproxy:gke_master_auditproxy_\d+_RC\d+/
      and text ~ /ImagePullBackOff|ErrImagePull|Back-off pulling image|PullImage (?:\\?"[^"\\]+\\?" )?(?:from image service )?failed|Pull image \\?"[^"\\]+\\?" failed|Failed to pull image/
    needs "kubelet and containerd journals of the control-plane nodes (journalctl --utc -u kubelet, -u containerd)"

  # containerd is set up with a mirror for gcr.io (its CRI configuration, logged at start-up).
  evidence mirror "containerd pulls gcr.io images through a registry mirror" weight 1
    from log where source == "containerd"
      and message ~ /Mirrors:map\[.*\bgcr\.io:\{Endpoints:\[https?:\/\//
    needs "containerd journal from its start (journalctl --utc -u containerd)"

  # A pull of the same image that went through afterwards (the fallback to gcr.io worked).
  evidence pulled "the auditproxy image was pulled after all" weight 4
    from log where text ~ /auditproxy/
      and text ~ /Successfully pulled image|PullImage \\?"[^"\\]+\\?" returns image reference/

  condition pull and mirror and not (pulled after pull)

  explanation """
    Before 1.8.2 the registry mirror package that bmctl builds does not contain
    gcr.io/anthos-baremetal-release/auditproxy:gke_master_auditproxy_20201115_RC00, the proxy that
    Cloud Audit Logging runs on the control plane. A cluster that pulls gcr.io images through a
    mirror, with audit logging on, asks the mirror for it, gets nothing, and in an air-gapped site
    cannot fall back to gcr.io, so the pod stays in ErrImagePull / ImagePullBackOff and no audit
    logs leave the cluster. Here the pull failed {pull.count} time(s) on {pull.nodes} and never
    succeeded; the cluster is at {version.anthos-bare-metal}.
    """
  remediation """
    Copy the image into the mirror by hand, from a machine that can reach gcr.io:
      docker pull gcr.io/anthos-baremetal-release/auditproxy:gke_master_auditproxy_20201115_RC00
      docker tag gcr.io/anthos-baremetal-release/auditproxy:gke_master_auditproxy_20201115_RC00 REGISTRY_SERVER/anthos-baremetal-release/auditproxy:gke_master_auditproxy_20201115_RC00
      docker push REGISTRY_SERVER/anthos-baremetal-release/auditproxy:gke_master_auditproxy_20201115_RC00
    (REGISTRY_SERVER is the mirror's address). kubelet picks it up at its next retry. Releases
    1.8.2 and later ship the image in the mirror package.
    """
  check """
    journalctl -u kubelet | grep auditproxy | tail -3
    crictl images | grep auditproxy             # nothing on the control-plane nodes
    curl -sk https://REGISTRY_SERVER/v2/anthos-baremetal-release/auditproxy/tags/list
    """
end
