# Zombie processes pile up until the PID space of a pod or node is exhausted (seed 003).
signature zombie-pid-exhaustion
  title      "Zombie (<defunct>) processes pile up and exhaust PIDs"
  kind       issue
  severity   high
  component  node
  platforms  any
  references "seed 003: GKE in-cluster connectivity troubleshooting, zombie processes accumulate and exhaust PID namespaces"

  # A few zombies come and go on any busy node; hundreds mean a parent that never reaps its
  # children (a shell or an application running as PID 1 of its container without an init).
  # `ps` shows them as state Z, or with `<defunct>` after the command. Distinct PIDs, so a node
  # captured by both `ps -edF` and `ps -eo … -H` is not counted twice.
  evidence heap "hundreds of zombie processes on the node" weight 3
    from process where defunct == true
    distinct pid >= 200
    needs "`ps -edF` or `ps aux` from each node"

  evidence pile "dozens of zombie processes on the node" weight 2
    from process where defunct == true
    distinct pid >= 30
    needs "`ps -edF` or `ps aux` from each node"

  # The consequence: forks refused. The kernel's pids controller (`cgroup: fork rejected by pids
  # controller in /kubepods…`), shells (`fork: retry: Resource temporarily unavailable`, `fork:
  # Resource temporarily unavailable`), Go runtimes (`runtime: failed to create new OS thread`,
  # `fork/exec …: resource temporarily unavailable`), glibc (`pthread_create failed`), Node.js
  # (`Error: spawn /bin/sh EAGAIN`). JSON logs carry the error in a field, so the whole line is read.
  evidence fork-failed "forks refused for lack of PIDs" weight 2
    from log where text ~ /fork rejected by pids controller|fork: (?:retry: )?Resource temporarily unavailable|failed to create new OS thread|fork\/exec [^:]+: resource temporarily unavailable|pthread_create failed|\bspawn (?:\S+ )?EAGAIN/i
    needs "kernel messages (dmesg) and the kubelet / runtime journals"

  condition per node heap or (pile and fork-failed)

  explanation """
    A process that exits stays in the process table as a zombie until its parent reads its exit
    status. When the parent never does (typically an application or shell running as PID 1 of a
    container without an init that reaps orphans), zombies accumulate; each still holds a PID.
    Once the pod's pids limit, the PID namespace or the node's kernel.pid_max is reached, every
    fork fails: probes and exec calls time out, containers cannot start, and the container
    runtime itself can fail (which can then leave stale containers behind).
    The process listings of {pile.nodes} show zombies ({pile.count} rows across the listings;
    parent PIDs {pile.ppid}; commands {pile.command}), and forks were refused
    {fork-failed.count} time(s).
    """
  remediation """
    Find the parent that does not reap its children and fix or restart it:
      ps -eo pid,ppid,stat,comm,args | awk '$3 ~ /^Z/ {print $2}' | sort | uniq -c | sort -rn | head
      ps -o pid,comm,args,cgroup -p <parent pid>      # which container the parent belongs to
    Restarting that container (delete its pod) releases the zombies at once. For a lasting fix,
    run the workload under an init that reaps orphans (tini or dumb-init as the entrypoint,
    `docker run --init`, or `shareProcessNamespace: true` so the pause process reaps), or fix
    the application to wait() for its children. Set a pod PID limit (kubelet podPidsLimit) so one
    pod cannot exhaust the node.
    """
  check """
    ps -eo stat | grep -c '^Z'                          # zombies on the node
    ps -eo pid,ppid,stat,comm | awk '$3 ~ /^Z/' | head
    cat /proc/sys/kernel/pid_max; ls /proc | grep -c '^[0-9]'
    dmesg | grep 'fork rejected by pids controller'
    """
end
