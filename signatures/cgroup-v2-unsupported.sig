# cgroup v2 hosts are not supported by Anthos clusters on bare metal 1.6 / Kubernetes 1.18 (seed 002).
signature cgroup-v2-unsupported
  title      "Node uses cgroup v2 (unified hierarchy), which Anthos clusters on bare metal 1.6 / Kubernetes 1.18 do not support"
  kind       issue
  severity   high
  component  os
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, control group v2 incompatibility"
  affects    anthos-bare-metal >= 1.6.0 < 1.7.0

  # The unified hierarchy itself mounted on /sys/fs/cgroup (`cgroup2 on /sys/fs/cgroup type
  # cgroup2`, /proc/mounts `cgroup2 /sys/fs/cgroup cgroup2 …`). A hybrid host, with cgroup2 only on
  # /sys/fs/cgroup/unified next to the v1 controllers, is cgroup v1 as far as Kubernetes goes.
  evidence unified "cgroup2 mounted on /sys/fs/cgroup (cgroup v2 only)" weight 4
    from mount where fstype == "cgroup2" and mountpoint ~ /^\/sys\/fs\/cgroup\/?$/ and origin == "runtime"
    needs "`mount` or /proc/mounts from each node"

  # The preflight check that refuses such machines, in bmctl's or the check job's output.
  evidence preflight "preflight check: cgroup v2 in use" weight 1
    from log where message ~ /cgroup v2|cgroupv2|cgroup2|cgroup\.controllers/i
      and (source in ("bmctl", "ansible") or message ~ /preflight|\[FAILED\]/i)
    needs "bmctl preflight / check logs (bmctl-workspace/<cluster>/log/…)"

  evidence preflight-task "preflight task failed on cgroup v2" weight 1
    from ansible.fatal where message ~ /cgroup v2|cgroupv2|cgroup2|cgroup\.controllers/i
    needs "bmctl preflight logs (bmctl-workspace/<cluster>/log/<operation>-<timestamp>/<node>)"

  # A kubelet built for cgroup v1 on a unified host cannot find the v1 controllers:
  # `failed to run Kubelet: mountpoint for cpu not found` (in the err field of the structured
  # `"Failed to run kubelet" err="…"` form, so the whole line is read).
  evidence kubelet "kubelet cannot find cgroup v1 controllers" weight 1
    from log where source == "kubelet" and text ~ /mountpoint for (?:cpu|cpuset|memory|pids|devices|blkio|cpuacct) not found/
    needs "kubelet journal (journalctl -u kubelet)"

  condition per node unified and (preflight or preflight-task or kubelet)

  explanation """
    Control group v2 replaces the per-controller hierarchies with one unified hierarchy. Anthos
    clusters on bare metal 1.6 runs Kubernetes 1.18, whose kubelet and container runtime expect
    cgroup v1 (Docker supports v2 only experimentally from 20.10), so the preflight checks refuse
    machines that use cgroup v2, and a kubelet started there fails. Distributions switch to v2 by
    default with systemd 247.2-2 and later (Debian 11, Fedora 31+, Ubuntu 21.10+, RHEL 9); the
    presence of /sys/fs/cgroup/cgroup.controllers shows it.
    On {unified.nodes} /sys/fs/cgroup is a cgroup2 mount (options {unified.options}); the kubelet
    failed to find the v1 controllers {kubelet.count} time(s). Anthos clusters on bare metal
    {version.anthos-bare-metal}.
    """
  remediation """
    Boot the node with cgroup v1 (or use an OS release that defaults to it): add
    `systemd.unified_cgroup_hierarchy=0` to the kernel command line, for example
      sudo sed -i 's/^GRUB_CMDLINE_LINUX="/&systemd.unified_cgroup_hierarchy=0 /' /etc/default/grub
      sudo update-grub            # Debian/Ubuntu; RHEL: sudo grub2-mkconfig -o /boot/grub2/grub.cfg
      sudo reboot
    then check that /sys/fs/cgroup/cgroup.controllers is gone and run the preflight checks again
    (bmctl check preflight). Releases of Anthos clusters on bare metal that support cgroup v2 are
    the other way out.
    """
  check """
    stat -fc %T /sys/fs/cgroup/            # cgroup2fs = v2, tmpfs = v1
    ls /sys/fs/cgroup/cgroup.controllers   # present only with v2
    mount | grep cgroup
    cat /proc/cmdline
    """
end
