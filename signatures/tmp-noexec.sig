# Preflight checks fail with "/bin/sh: /tmp/disks_check.sh: Permission denied" because /tmp is
# mounted noexec on the node (seed 002).
signature tmp-noexec
  title      "Preflight fails with '/tmp/disks_check.sh: Permission denied': /tmp is mounted noexec"
  kind       issue
  severity   medium
  component  install
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, preflight check and permission denied"

  # The check scripts are copied to /tmp on the node and run from there; with noexec the shell
  # refuses them: `/bin/sh: /tmp/disks_check.sh: Permission denied` (also `sh: 1: …`,
  # `bash: line 1: …`). Seen in the preflight task's result (its stderr) …
  evidence denied-task "preflight task: /tmp script permission denied" weight 1
    from ansible.fatal where message ~ /\/tmp\/[\w.-]+\.sh: Permission denied/
    needs "bmctl preflight logs (bmctl-workspace/<cluster>/log/<operation>-<timestamp>/…)"

  # … or as a plain line of bmctl's log or of a check job's log.
  evidence denied-log "/tmp script permission denied in a log" weight 1
    from log where text ~ /\/tmp\/[\w.-]+\.sh: Permission denied/
    needs "bmctl logs or the preflight check job's log"

  # /tmp (its own mount: tmpfs or a partition) carries noexec; fstab entries count as well.
  evidence noexec "/tmp mounted with noexec" weight 3
    from mount where mountpoint ~ /^\/tmp\/?$/ and noexec == true
    needs "`mount` or /proc/mounts from the node"

  condition per node (denied-task or denied-log) and noexec

  explanation """
    The preflight checks of bmctl copy small scripts such as disks_check.sh to /tmp on each node
    and execute them there. A /tmp mounted with the noexec option (common in CIS-hardened
    images) makes the kernel refuse to execute any file on it, so the shell reports "Permission
    denied" and the check, and with it cluster creation or upgrade, fails.
    The preflight reported "{denied-task.stderr}" ({denied-task.count} time(s), host
    {denied-task.host}), and /tmp on {noexec.nodes} is mounted with "{noexec.options}".
    """
  remediation """
    Remove noexec from the /tmp mount on every node, then run the preflight checks (or the bmctl
    command) again:
      sudo mount -o remount,exec /tmp
    and make it permanent by deleting `noexec` from the /tmp line of /etc/fstab (or from the
    tmp.mount unit: `systemctl edit tmp.mount`, Options= without noexec). If the hardening policy
    requires noexec afterwards, restore it only once the operation has finished.
    """
  check """
    findmnt -no OPTIONS /tmp       # must not list noexec
    grep -w /tmp /etc/fstab
    grep -r 'Permission denied' bmctl-workspace/<cluster>/log/
    """
end
