# crictl lives in /usr/local/bin, which sudo's secure_path leaves out: kubeadm init and snapshot
# commands run through sudo do not find it (seed 002).
signature crictl-not-in-sudo-path
  title      "crictl: command not found under sudo: /usr/local/bin is not in sudo's secure_path"
  kind       issue
  severity   low
  component  snapshot
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, containerd requires /usr/local/bin in PATH",
             "seed 002: Anthos clusters on bare metal known issues, snapshots as a non-root login user"

  # A node output of the snapshot that holds only the shell's complaint (`sudo: crictl: command
  # not found`, `bash: line 1: crictl: command not found`).
  evidence snapshot "snapshot commands: crictl not found" weight 3
    from command.error where program == "crictl" and reason == "not-found"
    needs "the snapshot's crictl outputs (nodes/<ip>/crictl …)"

  # kubeadm init's preflight (`[ERROR FileExisting-crictl]: crictl not found in system path`) or
  # the shell's message in a log.
  evidence kubeadm "kubeadm / logs: crictl not found" weight 3
    from log where text ~ /crictl not found in system path|crictl: (?:command )?not found/

  evidence kubeadm-task "install task: crictl not found" weight 3
    from ansible.fatal where message ~ /crictl not found in system path|crictl: (?:command )?not found/

  # crictl is the containerd runtime's client: the problem matters on containerd nodes.
  evidence containerd "node runtime is containerd" weight 1
    from fact where name == "container-runtime" and value ~ /^containerd/
    needs "`kubectl get nodes -o wide` or the cluster config (containerRuntime)"

  condition (snapshot or kubeadm or kubeadm-task) and containerd

  explanation """
    On clusters that use containerd, crictl is installed in /usr/local/bin. Commands run through
    sudo get sudo's secure_path, which on many distributions leaves /usr/local/bin out, so
    `sudo crictl …` fails with "command not found". Before 1.8.2 this made `kubeadm init`
    (run with sudo by a non-root login user) fail, and cluster creation with it; in later
    releases the PATH is extended for cluster operations, but a snapshot taken as a non-root
    user still cannot run crictl, so the bundle lacks every container listing.
    Here crictl was not found {snapshot.count} time(s) in the snapshot's node outputs (nodes
    {snapshot.nodes}) and {kubeadm.count} time(s) in install logs.
    """
  remediation """
    On every node, add /usr/local/bin to sudo's secure_path (edit with `sudo visudo`):
      Defaults    secure_path = /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    or make crictl reachable from a directory already on it:
      sudo ln -s /usr/local/bin/crictl /usr/bin/crictl
    Then run the command again (for a snapshot: bmctl check cluster --snapshot …, or take it as
    root / with --login-user set to root).
    """
  check """
    sudo sh -c 'command -v crictl' || echo 'not in sudo PATH'
    sudo grep secure_path /etc/sudoers /etc/sudoers.d/*
    ls -l /usr/local/bin/crictl
    """
end
