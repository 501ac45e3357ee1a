# The snapshot is incomplete: its node commands ran without root, so their outputs hold errors
# instead of data (seed 002, snapshots: taking a snapshot as a non-root login user, ≤ 1.8.1).
signature snapshot-incomplete-nonroot
  title      "Snapshot is incomplete: node commands ran without root and their evidence is missing"
  kind       issue
  severity   medium
  component  snapshot
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, snapshots: taking a snapshot as a non-root login user",
             "seed 002: Anthos clusters on bare metal known issues, containerd requires /usr/local/bin in PATH"
  affects    anthos-bare-metal <= 1.8.1
  fixed      anthos-bare-metal 1.8.2

  # Outputs that are only a refusal: `dmesg: read kernel buffer failed: Operation not permitted`,
  # `iptables-save v1.8.4 (legacy): Cannot initialize: Permission denied (you must be root)`,
  # `Can't initialize ipvs: Permission denied (you must be root?)`, conntrack's `Operation not
  # permitted`, crictl's `FATA[…] … containerd.sock: connect: permission denied`, the Docker
  # socket's `Got permission denied …`, and sudo asking for a password. Two different commands at
  # least: one refused command can be a local hardening choice, several are a non-root run.
  evidence denied "node command outputs hold a permission error instead of data" weight 3
    from command.error where reason in ("permission-denied", "sudo")
    distinct command >= 2
    needs "the snapshot's node command outputs (nodes/<ip>/…)"

  # The ipvsadm parser reads its own refusal (`Can't initialize ipvs: Permission denied (you must
  # be root?)`) as an ipvs.error rather than a command.error.
  evidence ipvs-denied "ipvsadm refused to run without root" weight 1
    from ipvs.error where message ~ /Permission denied|you must be root/
    count >= 2
    needs "the snapshot's `ipvsadm -Ln` outputs"

  # journalctl run by a user outside the adm/systemd-journal groups shows no system unit at all.
  evidence hidden-journal "journals read by a user who cannot see system messages" weight 2
    from journal.marker where marker == "hint" and message ~ /not seeing messages from other users/
    needs "the snapshot's journalctl outputs (journalctl --utc -u kubelet …)"

  # Tools installed outside the non-root (or sudo) PATH: crictl in /usr/local/bin, runc in
  # /usr/local/sbin. docker and ipvsadm are left out on purpose: containerd nodes and iptables-mode
  # kube-proxy legitimately have neither.
  evidence not-found "cluster tools not found by the user that ran the snapshot" weight 2
    from command.error where reason == "not-found" and program in ("crictl", "runc")
    needs "the snapshot's crictl / runc outputs"

  condition denied or hidden-journal or not-found or ipvs-denied

  explanation """
    The snapshot's node commands did not run as root. Before Anthos clusters on bare metal 1.8.2
    bmctl can only take a complete snapshot when logged in as root; run as another user, the
    commands that need privileges print an error instead of their output, journalctl shows no
    system messages, and tools outside that user's PATH (crictl, runc) are not found.
    What this bundle lacks:
      - outputs that hold a permission error instead of data: {denied.count}
        (commands: {denied.command}; nodes: {denied.nodes});
      - `ipvsadm -Ln` outputs refused: {ipvs-denied.count} (nodes: {ipvs-denied.nodes});
      - journals showing only journalctl's access hint, so no kubelet, containerd or kernel
        journal lines: {hidden-journal.count} (nodes: {hidden-journal.nodes});
      - tools not found: {not-found.count} (commands: {not-found.command}; nodes: {not-found.nodes}).
    Any signature that needs these inputs (container lists, kernel messages, kubelet and
    containerd journals, iptables/IPVS rules, conntrack counts, runc version) could not be
    evaluated on these nodes: "no finding" here says nothing about those areas. Anthos clusters
    on bare metal version: {version.anthos-bare-metal}.
    """
  remediation """
    Take the snapshot again as root on the admin workstation, so the node commands run as root:
      sudo -i
      bmctl check cluster --snapshot --cluster CLUSTER_NAME --kubeconfig ADMIN_KUBECONFIG
    From 1.8.2 on, bmctl uses the cluster's nodeAccess.loginUser (or --login-user when the admin
    cluster cannot be reached) and runs privileged commands through sudo; then make sure sudo
    finds crictl on containerd nodes by adding /usr/local/bin to secure_path (sudo visudo):
      Defaults secure_path = /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    or by linking it into a directory sudo searches:
      sudo ln -s /usr/local/bin/crictl /usr/bin/crictl
    """
  check """
    grep -rl -e 'Permission denied' -e 'Operation not permitted' -e 'command not found' nodes/
    grep -l 'not seeing messages from other users' nodes/*/journalctl*
    # on a node, as the snapshot's login user:
    id; sudo -n true && sudo sh -c 'command -v crictl'
    """
end
