# Pod IPs leak on containerd nodes with Dataplane V2 until the node's range is exhausted
# (containerd/containerd#5768, seed 001).
signature dpv2-ip-leak-containerd
  title      "Pod IP addresses leak on containerd + Dataplane V2 nodes until no IP is left for new pods"
  kind       issue
  severity   high
  component  dataplane-v2
  platforms  gke
  references "containerd/containerd#5768",
             "seed 001: GKE Dataplane V2 known issues, pods show failed to allocate for range 0: no IP addresses available in range set"
  # GKE versions; the Kubernetes version of a GKE node is its GKE version (v1.24.9-gke.3200).
  affects    kubernetes >= 1.22.0 < 1.26.0
  fixed      kubernetes 1.22.17-gke.3100, 1.23.16-gke.200, 1.24.9-gke.3200, 1.25.6-gke.200

  # The host-local IPAM has handed out every address of the node's pod range. The message comes
  # wrapped by kubelet (`RunPodSandbox from runtime service failed`, `CreatePodSandbox for pod`,
  # `Error syncing pod … CreatePodSandboxError`, or the structured `"RunPodSandbox from runtime
  # service failed" err="…"`), by containerd (`RunPodSandbox for … failed, error="failed to setup
  # network for sandbox …"`), with `\"` escapes in syslog copies. Each failed sandbox logs it
  # several times, and kubelet retries; repetition is what an exhausted range looks like.
  # (`kubectl get events` shows the same as FailedCreatePodSandBox warnings, but an event does not
  # say which node's range is full, so the journals are the evidence.)
  evidence exhausted "CNI reports no IP addresses left in the node's pod range" weight 3
    from log where text ~ /failed to allocate for range \d+: no IP addresses available in range set: [0-9a-f.:]+-[0-9a-f.:]+/
    count >= 3
    needs "kubelet and containerd journals (journalctl -u kubelet, journalctl -u containerd)"

  # Dataplane V2: the anetd DaemonSet's pod on the node.
  evidence anetd "anetd (Dataplane V2) runs on the node" weight 1
    from k8s.row where resource == "pods" and name ~ /^anetd-[a-z0-9]{5}$/
    needs "`kubectl get pods -n kube-system -o wide`"

  # The leak is containerd's (it forgets the IPAM release when a sandbox is torn down).
  evidence containerd "node runtime is containerd" weight 1
    from fact where name == "container-runtime" and value ~ /^containerd/
    needs "`kubectl get nodes -o wide` (CONTAINER-RUNTIME column)"

  condition per node exhausted and anetd and containerd

  explanation """
    On GKE 1.22 to 1.25 nodes that run containerd with Dataplane V2, containerd sometimes tears a
    pod sandbox down without asking the CNI plugin to release the sandbox's IP
    (containerd/containerd#5768). The host-local IPAM keeps one reservation file per address
    under /var/lib/cni/networks/gke-pod-network, so leaked addresses stay reserved forever. Once
    every address of the node's pod range is held, no new pod can start on the node: sandbox
    creation fails with "no IP addresses available in range set" although the node runs far
    fewer pods than its range holds.
    Here the CNI reported the range exhausted {exhausted.count} time(s) on {exhausted.nodes}
    (first {exhausted.first}, last {exhausted.last}). Kubernetes {version.kubernetes}, runtime
    {containerd.value}.
    """
  remediation """
    Upgrade the cluster (control plane and node pools) to GKE 1.22.17-gke.3100, 1.23.16-gke.200,
    1.24.9-gke.3200, 1.25.6-gke.200 or later.
    Until then, free the leaked addresses: a reservation file whose container no longer exists
    in containerd can be removed. On one node (save it as cleanup.sh and run it there, for
    example with `gcloud compute ssh NODE --command "$(cat cleanup.sh)"`):
      for hash in $(sudo find /var/lib/cni/networks/gke-pod-network -iregex '/var/lib/cni/networks/gke-pod-network/[0-9].*' -exec head -n1 {} \;); do
        hash="${hash%%[[:space:]]}"
        if [ -z $(sudo ctr -n k8s.io c ls | grep $hash | awk '{print $1}') ]; then
          sudo grep -ilr $hash /var/lib/cni/networks/gke-pod-network
        fi
      done | sudo xargs -r rm
    On every node at once, run the same loop from a privileged hostNetwork DaemonSet (kube-system)
    that mounts /var/lib/cni/networks/gke-pod-network and /run/containerd, skips files younger
    than 10 minutes (`find … -mmin +10`) and repeats every two minutes; check its work with
    `kubectl -n kube-system logs -l name=cleanup-ipam`. Remove the DaemonSet after the upgrade.
    """
  check """
    kubectl get events -A --field-selector reason=FailedCreatePodSandBox | grep 'no IP addresses available'
    journalctl -u kubelet | grep -c 'no IP addresses available in range set'
    ls /var/lib/cni/networks/gke-pod-network | wc -l        # reservations on the node
    sudo crictl pods | wc -l                                  # sandboxes that really exist
    kubectl get nodes -o wide                                 # VERSION and CONTAINER-RUNTIME
    """
end
