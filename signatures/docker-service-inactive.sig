# Preflight fails with "Docker service is not active": Docker is installed on the node (on the
# PATH) but its service is not running (seed 002).
signature docker-service-inactive
  title      "Preflight fails with 'Docker service is not active': docker is on the PATH but its service is stopped"
  kind       issue
  severity   medium
  component  install
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, Docker service"

  # The preflight's verdict, in a task result …
  evidence inactive-task "preflight task: Docker service is not active" weight 1
    from ansible.fatal where message ~ /docker service is not active/i
    needs "bmctl preflight logs (bmctl-workspace/<cluster>/log/<operation>-<timestamp>/…)"

  # … or as a line of bmctl's log or a check job's log.
  evidence inactive-log "Docker service is not active" weight 1
    from log where text ~ /docker service is not active/i

  # The unit exists (Docker is installed) and is not running: `Active: inactive (dead)` or
  # `failed`. A missing unit (`Unit docker.service could not be found.`) is the fixed state.
  evidence unit "docker.service installed but not active" weight 3
    from systemd.unit where unit == "docker.service" and loaded == "loaded" and active != "active"
    needs "`systemctl status docker` from the node"

  condition per node (inactive-task or inactive-log) and unit

  explanation """
    The preflight checks look for a docker executable on the PATH. When they find one they
    expect the Docker service to run, whatever the cluster's container runtime is, so a node
    with Docker installed but its service disabled or stopped fails the checks with "Docker
    service is not active", and cluster creation or upgrade stops.
    The preflight reported it {inactive-task.count} time(s) (host {inactive-task.host}); on
    {unit.nodes} docker.service is {unit.active} ({unit.sub}), unit file {unit.enabledState}.
    """
  remediation """
    Either remove Docker from the node, if nothing needs it (the cluster runs containerd):
      sudo apt-get remove docker-ce docker-ce-cli      # or: sudo dnf remove docker-ce docker-ce-cli
      which docker                                     # must print nothing
    or enable and start the service:
      sudo systemctl enable --now docker
      systemctl is-active docker                       # active
    then run the preflight checks (or the bmctl command) again.
    """
  check """
    which docker
    systemctl status docker
    grep -r 'Docker service is not active' bmctl-workspace/<cluster>/log/
    """
end
