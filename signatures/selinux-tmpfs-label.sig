# Pod creation fails because SELinux does not let the container runtime label a tmpfs volume
# (a kernel bug of RHEL / CentOS before 8.3) (seed 002).
signature selinux-tmpfs-label
  title      "Pods fail to start: SELinux denies labelling tmpfs volumes (RHEL/CentOS kernel before 8.3)"
  kind       issue
  severity   high
  component  selinux
  platforms  anthos-bare-metal, kubernetes
  references "seed 002: Anthos clusters on bare metal known issues, SELinux error during pod creation",
             "containers/container-selinux#141", "kubernetes/kubernetes#103833"
  # RHEL / CentOS 8.3 ship kernel 4.18.0-240; 8.2 runs 4.18.0-193, 8.1 4.18.0-147.
  affects    kernel < 4.18.0-240

  # The runtime failed to relabel a volume before starting a container: `error setting label on
  # mount source '/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~secret/<name>': failed to set
  # file label on …: permission denied`. Logged by dockerd (`Handler for POST …/start returned
  # error: …`) or containerd, and passed on by the kubelet (`Error response from daemon: …`,
  # pod_workers `failed to "StartContainer"`) and as Failed events. Secret, projected and
  # emptyDir{medium: Memory} volumes are the tmpfs ones.
  evidence label "container runtime cannot set the SELinux label on a volume" weight 3
    from log where text ~ /error setting label on mount source '[^']*'(?:: failed to set file label on [^:]*)?: (?:permission denied|operation not supported)/i
    needs "kubelet and container runtime journals (journalctl -u kubelet, -u docker or -u containerd)"

  evidence label-events "Failed events: error setting label on mount source" weight 2
    from k8s.event where message ~ /error setting label on mount source/i
    needs "`kubectl get events -A`"

  # The matching SELinux denial: the runtime may not associate the container file label with a
  # tmpfs filesystem (`avc: denied { associate } for … comm="dockerd" name="/" dev="tmpfs" …
  # tclass=filesystem permissive=0`).
  evidence avc "SELinux AVC: associate denied on a tmpfs filesystem" weight 2
    from audit.avc where result == "denied" and permissions contains "associate" and tclass == "filesystem"
    needs "`ausearch -m avc` or /var/log/audit/audit.log from the node"

  condition per node (label or label-events) and avc

  explanation """
    Before starting a container the runtime relabels its volumes with the container's SELinux
    context. Kernels of RHEL and CentOS releases before 8.3 have a bug that makes SELinux, in
    enforcing mode, refuse to associate that label with a tmpfs filesystem, so the relabel of
    secret, projected and memory-backed volumes fails with "permission denied" and the container
    never starts. The failure is rare and comes and goes; a reboot usually clears it.
    The runtime failed to label a volume {label.count} time(s) on {label.nodes} (first
    {label.first}; {label-events.count} Failed event(s)), and the audit log holds
    {avc.count} matching denial(s) ({avc.comm} on {avc.dev}, target {avc.tcontext}).
    The node runs kernel {version.kernel}.
    """
  remediation """
    Reboot the affected node: this usually clears the failure for a while. To prevent it, move
    the nodes to RHEL 8.3 / CentOS 8.3 or later, whose kernel carries the fix.
    Do not switch SELinux to permissive to work around it unless your security policy allows it.
    """
  check """
    journalctl -u kubelet | grep 'error setting label on mount source'
    ausearch -m avc | grep 'associate' | grep 'tclass=filesystem'
    getenforce; cat /etc/redhat-release; uname -r
    """
end
