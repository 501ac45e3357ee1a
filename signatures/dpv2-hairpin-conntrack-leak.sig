# Hairpin TCP connections (a pod to itself through a Service) leak eBPF conntrack entries on
# Dataplane V2; later connections reusing the tuple lose their return packets (seed 001).
signature dpv2-hairpin-conntrack-leak
  title      "Dataplane V2 leaks conntrack entries of hairpin connections; reused tuples drop return packets"
  kind       advisory
  severity   medium
  component  dataplane-v2
  platforms  gke
  references "seed 001: GKE Dataplane V2 known issues, packet drops for hairpin connection flows"
  # GKE versions (the Kubernetes version of a GKE node); Dataplane V2 is GA from 1.20.6-gke.700.
  affects    kubernetes >= 1.20.6-gke.700 < 1.28.3-gke.1090000
  fixed      kubernetes 1.27.11-gke.1097000, 1.28.3-gke.1090000

  # Datapath drops (not policy verdicts) of packets between a pod and itself. Dataplane V2
  # translates a hairpin connection's source to its loopback address, so the tuple shows the pod
  # on both ends or 169.254.42.1 facing the pod. `cilium monitor --type drop`:
  #   xx drop (CT: Map insertion failed) … identity 48213->48213: 10.8.1.7:6379 -> 10.8.1.7:43822 tcp ACK
  # `hubble observe --verdict DROPPED`:
  #   shop/cart-x:6379 (ID:48213) -> shop/cart-x:43822 (ID:48213) Stale or unroutable IP DROPPED (TCP Flags: ACK)
  evidence hairpin-drops "datapath drops on a pod-to-itself (hairpin) TCP tuple" weight 3
    from log where text ~ /drop \((?!Policy denied)[^)]+\).*: ([0-9a-f.:]+):\d+ -> \1:\d+ tcp|drop \((?!Policy denied)[^)]+\).*: (?:169\.254\.42\.1:\d+ -> [0-9.]+|[0-9.]+:\d+ -> 169\.254\.42\.1):\d+ tcp|(\S+\/\S+):\d+ \(ID:\d+\) (?:->|<-) \2:\d+ \(ID:\d+\) (?!Policy denied).*DROPPED \(TCP/
    count >= 2
    needs "Dataplane V2 drops (`cilium monitor --type drop` or `hubble observe --verdict DROPPED` from the anetd pod)"

  evidence anetd "anetd (Dataplane V2) pods" weight 1
    from k8s.row where resource == "pods" and name ~ /^anetd-[a-z0-9]{5}$/
    needs "`kubectl get pods -n kube-system -o wide`"

  condition per node hairpin-drops and anetd

  explanation """
    When a pod opens a TCP connection to itself (through its own Service, so the pod is both
    source and destination), Dataplane V2's eBPF connection tracking mis-tracks the connection's
    state and never removes its entry when the connection closes. The entry leaks; a later
    connection that happens to reuse the same tuple (protocol, addresses and ports) matches the
    stale entry and its return packets are dropped, so the client sees timeouts or resets,
    especially with many short-lived connections.
    {hairpin-drops.count} datapath drop(s) on hairpin tuples were recorded on
    {hairpin-drops.nodes}; Kubernetes {version.kubernetes}.
    """
  remediation """
    Upgrade the cluster to GKE 1.27.11-gke.1097000, 1.28.3-gke.1090000 or later.
    Until then, either:
    - keep the connections alive and reuse them (TCP keepalive / connection pooling in the
      application that calls its own Service), so no FIN is sent and no entry leaks; or
    - for short-lived connections, expose the workload through a proxy load balancer (for
      example a Gateway) so the connection's destination is the load balancer's address and
      Dataplane V2 does not source-NAT it to its loopback address.
    """
  check """
    kubectl -n kube-system exec <anetd pod on the node> -- cilium monitor --type drop   # same pod IP on both ends
    kubectl -n kube-system exec <anetd pod on the node> -- cilium bpf ct list global | grep <pod IP>
    kubectl get nodes -o wide                                                           # GKE version
    """
end
