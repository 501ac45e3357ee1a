# A container crash-loops on "bind: Address already in use" because a stale container of the
# same pod, forgotten by Docker, still listens on the port in the pod's network namespace (seed 003).
signature stale-container-port-in-use
  title      "Container crash-loops with 'bind: Address already in use': a stale container Docker lost still holds the port"
  kind       issue
  severity   high
  component  docker
  platforms  gke, anthos-bare-metal, kubernetes
  references "seed 003: GKE in-cluster connectivity troubleshooting, \"bind: Address already in use\" reported for a container"

  # The application cannot bind its port. `kubectl logs` keeps only the current attempt of a
  # crash-looping container, so one line is all a bundle may hold. Any wording: Redis `Creating Server TCP listening socket *:6379: bind: Address already in use`,
  # Go `listen tcp :8080: bind: address already in use`, nginx `bind() to 0.0.0.0:80 failed
  # (98: Address already in use)`.
  evidence bind "container log: bind: Address already in use" weight 2
    from log where text ~ /bind(?:\(\) to \S+ failed \(98: |: )address already in use/i
    needs "the crash-looping container's logs (kubectl logs --previous)"

  # Docker's shims name the container they run: `docker-containerd-shim <id> /var/run/docker/
  # libcontainerd/<id> docker-runc` (Docker ≤ 18.06) or `containerd-shim -namespace moby -workdir
  # …/moby/<id> …` (18.09+). A shim whose container Docker does not list is a stale container.
  # The commands the seed has you run cut ids short: `ps -eo …,args:50,…` leaves about 21
  # characters of the shim's id, plain `docker ps -a` prints 12. Ids are compared on their first
  # 12 characters, so any mix of full and truncated outputs works.
  evidence stale "Docker shim processes whose container Docker no longer lists" weight 4
    from process where command ~ /docker-containerd-shim [0-9a-f]{12}|containerd-shim .*-namespace moby/
      and containerShortId exists
      and containerShortId not in known.shortId
    needs "`ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H` or `ps -edF` from the node"

  # What Docker knows: every container of `docker ps -a` (with or without --no-trunc).
  evidence known "containers Docker lists" weight 1
    from container where runtime == "docker" and shortId exists
    needs "`docker ps -a` from the node"

  condition per node bind and stale and known

  explanation """
    When dockerd crashes or restarts uncleanly, it can lose track of a running container: the
    container's processes (and the docker-containerd-shim above them) keep running inside the
    pod's network namespace and keep listening on their port, but neither Docker nor the kubelet
    knows about them any more. The kubelet starts a new container for the pod, which joins the
    same network namespace and fails to bind the port that the stale copy still holds, so the
    container crash-loops.
    On {stale.nodes} {stale.count} shim process(es) run containers that `docker ps -a` does not
    list ({stale.containerId}), and a container of pod {bind.pod} logged "address already
    in use" ({bind.count} line(s)).
    """
  remediation """
    Short term: kill the stale container's processes on the node, after confirming they are the
    ones holding the port (the PIDs below the stale docker-containerd-shim, not the shim of the
    current container):
      kubectl get pod <pod> -o custom-columns=name:.metadata.name,UID:.metadata.uid
      ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H | grep -B1 <pod UID>
      docker ps -a --no-trunc | grep -e <shim container id> …      # missing from docker ps = stale
      nsenter -t <pid of a container process> --net netstat -anp    # who listens on the port
      kill <pid>
    The kubelet's next restart of the container then binds the port.
    Long term: find out why Docker crashed and fix that: zombie processes piling up until PID
    namespaces are exhausted, a Docker bug (upgrade Docker), or resource pressure / OOM kills of
    dockerd.
    """
  check """
    kubectl -n <namespace> logs <pod> -c <container> --previous | grep -i 'address already in use'
    ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H | grep -B1 <pod UID>
    docker ps -a --no-trunc | grep <container id from the shim's command line>
    journalctl -u docker | grep -i -e panic -e 'fatal' -e 'restarting'
    """
end
