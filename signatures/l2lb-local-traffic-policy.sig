# externalTrafficPolicy: Local behind the bundled layer 2 load balancer (seed 002).
signature l2lb-local-traffic-policy
  title      "Service with externalTrafficPolicy: Local behind the bundled L2 load balancer: clients may get 'No route to host'"
  kind       issue
  severity   medium
  component  load-balancer
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, client source IP with bundled layer 2 load balancing"

  # LoadBalancer or NodePort Services that keep the client address by handling traffic only on
  # nodes with a local endpoint. `internalTrafficPolicy: Local` is another field and not this.
  evidence local "LoadBalancer/NodePort Services with externalTrafficPolicy: Local" weight 3
    from k8s.object where objectKind == "Service" and "spec.externalTrafficPolicy" == "Local"
      and "spec.type" in ("LoadBalancer", "NodePort")
    needs "kubectl get svc -A -o yaml"

  # The cluster uses the bundled load balancer (layer 2 announcement of the VIPs by a node).
  evidence bundled "the cluster uses bundled load balancing" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.loadBalancer.mode" == "bundled"
    needs "the cluster configuration (bmctl-workspace/<cluster>/<cluster>.yaml or kubectl get clusters -A -o yaml)"

  condition local and bundled

  explanation """
    With bundled layer 2 load balancing one node answers for each Service VIP and forwards the
    traffic to the Service's endpoints. externalTrafficPolicy: Local keeps the client's source
    address but only lets a node deliver to endpoints on itself: when the node holding the VIP
    (or the node a NodePort client picks) has no ready pod of the Service, the traffic has
    nowhere to go and clients see routing errors such as "No route to host" or time-outs, often
    only from some nodes or after pods move.
    Here {local.count} Service(s) use externalTrafficPolicy: Local — {local.name} in namespace(s)
    {local.namespace}, type {local.spec.type}, VIP(s) {local.status.loadBalancer.ingress.0.ip} — in a
    cluster whose load balancer mode is {bundled.spec.loadBalancer.mode}.
    """
  remediation """
    Unless the client source address is needed, use the default policy again:
      kubectl -n NAMESPACE patch svc NAME -p '{"spec":{"externalTrafficPolicy":"Cluster"}}'
    If the workload must see client addresses, follow "Preserving client source IP address" in
    the bundled load balancing documentation for your version, which describes the extra
    configuration needed for the Service IP to stay reachable with externalTrafficPolicy: Local.
    """
  check """
    kubectl get svc -A -o jsonpath='{range .items[?(@.spec.externalTrafficPolicy=="Local")]}{.metadata.namespace}/{.metadata.name}{"\n"}{end}'
    kubectl get endpoints -n NAMESPACE NAME -o wide          # which nodes hold ready endpoints
    curl -v http://<VIP>:<port>/ from a client outside the cluster
    """
end
