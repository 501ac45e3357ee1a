# 1.7 clusters on the containerd preview run the cgroupfs cgroup driver; upgrades to 1.8 are blocked (seed 002).
signature containerd-preview-cgroupfs
  title      "1.7 cluster on the containerd preview uses the cgroupfs driver; upgrade to 1.8 is blocked"
  kind       issue
  severity   medium
  component  containerd
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, upgrading 1.7.x clusters that use containerd"
  affects    anthos-bare-metal >= 1.7.0 < 1.8.0

  # containerd selected in the cluster config (`nodeConfig.containerRuntime: containerd`), or
  # nodes reporting `containerd://…` in kubectl get nodes / Node objects.
  evidence runtime "the cluster runs the containerd runtime" weight 3
    from fact where name == "container-runtime" and value ~ /^containerd/
    needs "the cluster config (bmctl-workspace/<cluster>/<cluster>.yaml) or kubectl get nodes -o wide"

  # kubelet's container manager line (`CgroupDriver:cgroupfs`, text and structured forms), its
  # flag dump (`FLAG: --cgroup-driver="cgroupfs"`), or containerd's CRI config with a runc v2
  # runtime that has no SystemdCgroup option.
  evidence cgroupfs "kubelet / containerd run with the cgroupfs cgroup driver" weight 2
    from log where source in ("kubelet", "containerd")
      and message ~ /CgroupDriver:cgroupfs|FLAG: --cgroup-driver="cgroupfs"|Runtimes:map\[runc:\{Type:io\.containerd\.runc\.v2 [^}]*Options:map\[\]/
    needs "kubelet journal (journalctl --utc -u kubelet) from its start, or the containerd journal"

  # Container cgroups laid out by the cgroupfs driver (`/kubepods/burstable/pod<uid>/<id>`) rather
  # than systemd slices (`/kubepods.slice/…`).
  evidence cgroupfs-paths "containers sit in cgroupfs-style cgroups (/kubepods/…)" weight 1
    from process where cgroup ~ /(?:^|:)\/kubepods\/(?:burstable|besteffort|pod[0-9a-f])/
    needs "`ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup` from each node"

  condition runtime and (cgroupfs or cgroupfs-paths)

  explanation """
    In 1.7 the containerd runtime was a preview, and it configured kubelet and containerd with the
    cgroupfs cgroup driver instead of the recommended systemd driver. Two drivers then manage the
    same cgroups, and clusters under resource pressure become unstable. The containerd runtime
    became generally available in 1.8.0 with the systemd driver, and upgrading a 1.7 preview cluster
    to 1.8 is blocked. This cluster runs containerd ({runtime.value}) at {version.anthos-bare-metal},
    and kubelet or containerd report the cgroupfs driver on {cgroupfs.nodes}.
    """
  remediation """
    A preview cluster cannot be converted in place. Create a new cluster at 1.8.0 or later with
    `nodeConfig.containerRuntime: containerd` (it uses the systemd driver), move the applications
    and workloads to it, then delete the old cluster. Until then, keep the 1.7 cluster off any
    upgrade to 1.8 and avoid running it close to its resource limits.
    """
  check """
    grep -n containerRuntime bmctl-workspace/<cluster>/<cluster>.yaml
    journalctl -u kubelet | grep -o 'CgroupDriver:[a-z]*' | sort -u
    grep -n SystemdCgroup /etc/containerd/config.toml     # absent or false on the preview
    """
end
