# Node readiness flapping from an unhealthy PLEG caused by a runc race (seed 002).
signature pleg-unhealthy-runc
  title      "Node flaps Ready/NotReady: PLEG is unhealthy because runc init processes hang"
  kind       issue
  severity   high
  component  runc
  platforms  anthos-bare-metal, kubernetes
  references "seed 002: Anthos clusters on bare metal known issues, node readiness flapping"
  affects    runc <= 1.0.0-rc93

  # kubelet's Pod Lifecycle Event Generator stopped relisting containers for over 3 minutes.
  # klog text (`skipping pod synchronization - [PLEG is not healthy: pleg was last seen active
  # 3m0.79s ago; threshold is 3m0s]`) and the structured form of kubelet 1.21+ (`"Skipping pod
  # synchronization" err="[PLEG is not healthy: …]"`), whose text sits in the err field: hence the
  # whole line is read. Each line already means 3 minutes without a relist and kubelet repeats it
  # every 5 s, so three lines are one real stall, however short the excerpt around them.
  # The start-up variant "pleg has yet to be successful" is left out on purpose: it is normal.
  evidence pleg "kubelet reports PLEG is not healthy" weight 3
    from log where source == "kubelet" and text ~ /PLEG is not healthy: pleg was last seen active/
    count >= 3
    needs "kubelet journal (journalctl --utc -u kubelet)"

  # The runc race leaves `runc init` processes behind; ps shows them as `runc init` or `runc:[2:INIT]`.
  evidence stuck-runc "runc init processes left behind" weight 2
    from process where command ~ /runc(:\[2:INIT\]| init)/ and kernelThread != true
    needs "`ps -edF` or `ps aux` output from each node"

  condition per node pleg and stuck-runc

  explanation """
    kubelet's PLEG (Pod Lifecycle Event Generator) periodically relists the containers of every
    pod through the container runtime. A known race in runc up to 1.0.0-rc93 leaves `runc init`
    processes stuck; the runtime calls that wait on them hang, the relist stops, and after 3
    minutes kubelet declares PLEG unhealthy and the node NotReady. When a relist gets through the
    node turns Ready again, so the node flaps.
    On {pleg.nodes} kubelet logged "PLEG is not healthy" {pleg.count} times over {pleg.span}.
    {stuck-runc.count} `runc init` process(es) are present; runc is {version.runc}.
    """
  remediation """
    Install a runc newer than 1.0.0-rc93 on every node, from the containerd.io or docker-ce
    package matching the node's runtime (see the cluster config's containerRuntime), for example
    on Ubuntu with containerd:
      sudo apt update && sudo apt install containerd.io
      cp /usr/local/sbin/runc ~/ && sudo cp /usr/bin/runc /usr/local/sbin/runc
      /usr/local/sbin/runc --version     # must print a version above 1.0.0-rc93
    Then reboot the node, or kill the stuck `runc init` processes, so kubelet relists again.
    """
  check """
    journalctl -u kubelet | grep -i 'PLEG is not healthy'
    ps aux | grep 'runc init'
    runc --version
    """
end
