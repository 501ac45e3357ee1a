# Cluster creation fails with containerd + multi-NIC pods + an HTTP proxy whose NO_PROXY lacks the Service CIDR (seed 002).
signature multinic-containerd-proxy
  title      "Cluster creation fails: containerd, multi-NIC and a proxy send Multus's apiserver calls through the proxy"
  kind       issue
  severity   high
  component  install
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, cluster creation fails with multi-NIC, containerd and a proxy"
  affects    anthos-bare-metal >= 1.8.0

  # The three settings together: containerd (the 1.8 default), multiple network interfaces for
  # pods, and a proxy. The proxy settings end up in containerd's environment
  # (/etc/systemd/system/containerd.service.d/09-proxy.conf) and from there in every CNI plugin.
  evidence cfg "cluster config: containerd, multipleNetworkInterfaces and spec.proxy.url together" weight 2
    from k8s.object where objectKind == "Cluster"
      and "spec.nodeConfig.containerRuntime" == "containerd"
      and "spec.clusterNetwork.multipleNetworkInterfaces" == true
      and "spec.proxy.url" exists
    needs "the cluster config (bmctl-workspace/<cluster>/<cluster>.yaml or kubectl get clusters -A -o yaml)"

  # Multus (or its IPAM) cannot read the pod from the apiserver's Service IP because the request
  # went to the proxy: the proxy refuses the CONNECT (`Service Unavailable`, `Forbidden`, `Bad
  # Gateway`…), cannot be reached (`proxyconnect tcp: …`), or hangs until the client times out.
  # Seen in kubelet (`RunPodSandbox from runtime service failed`, `CreatePodSandboxError`) and in
  # containerd (`RunPodSandbox for … failed, error`). The structured kubelet form (1.21+) holds the
  # error in a field (`"RunPodSandbox from runtime service failed" err="…multus…"`), so the whole
  # line is read.
  evidence sandbox "pod sandboxes fail: Multus cannot reach the apiserver Service IP through the proxy" weight 3
    from log where text ~ /[Mm]ultus[^\n]*(?:proxyconnect tcp|: (?:Service Unavailable|Forbidden|Bad Gateway|Gateway Timeout|Proxy Authentication Required)|Client\.Timeout exceeded|i\/o timeout|context deadline exceeded)/
    needs "kubelet and containerd journals of the nodes (journalctl --utc -u kubelet, -u containerd)"

  condition cfg and sandbox

  explanation """
    With `nodeConfig.containerRuntime: containerd`, `clusterNetwork.multipleNetworkInterfaces: true`
    and a proxy in `spec.proxy`, cluster creation writes the proxy settings into containerd's
    environment, and every CNI plugin containerd runs inherits them. With multiple interfaces
    enabled, Multus runs in front of the pod network and asks the apiserver about each pod at its
    Service IP. When NO_PROXY does not cover the Service CIDR ({version.service.cidr}), that request
    goes to the proxy ({cfg.spec.proxy.url}), which cannot reach it, so no pod gets a sandbox and
    the cluster never becomes ready. Here sandbox creation failed {sandbox.count} time(s) on
    {sandbox.nodes}.
    """
  remediation """
    On every node machine, add the Service CIDR (clusterNetwork.services.cidrBlocks, here
    {version.service.cidr}) to NO_PROXY, where containerd reads it, and restart containerd:
      sudo sed -i 's|NO_PROXY=|NO_PROXY={version.service.cidr},|' /etc/systemd/system/containerd.service.d/09-proxy.conf
      sudo systemctl daemon-reload && sudo systemctl restart containerd
    Also add it to spec.proxy.noProxy in the cluster config so nodes added later get it, then retry
    the creation (or let the pods retry their sandboxes).
    """
  check """
    grep -A8 '^  proxy:' bmctl-workspace/<cluster>/<cluster>.yaml       # noProxy lacks the Service CIDR
    sudo systemctl show containerd -p Environment | tr ' ' '\n' | grep -i no_proxy
    journalctl -u kubelet | grep -m3 'Multus'
    """
end
