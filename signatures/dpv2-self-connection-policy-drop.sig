# A pod that reaches itself through a Service or internal load balancer VIP is dropped by its own
# ingress NetworkPolicy on Dataplane V2: the reply misses its conntrack entry (seed 001).
signature dpv2-self-connection-policy-drop
  title      "Dataplane V2 drops a pod's connections to itself through a Service (ingress NetworkPolicy, wrong conntrack lookup)"
  kind       advisory
  severity   medium
  component  dataplane-v2
  platforms  gke
  references "seed 001: GKE Dataplane V2 known issues, network policy drops a connection due to incorrect connection tracking lookup"
  # GKE versions (the Kubernetes version of a GKE node); Dataplane V2 is GA from 1.20.6-gke.700.
  affects    kubernetes >= 1.20.6-gke.700 < 1.28.3-gke.1090000
  fixed      kubernetes 1.28.3-gke.1090000

  # Policy verdicts for a flow whose source and destination are the same pod. Three shapes:
  # GKE network policy logging (`"src_ip":"10.8.1.7","dest_ip":"10.8.1.7"` … `"disposition":"deny"`),
  # `cilium monitor --type drop` (`xx drop (Policy denied) … identity 48213->48213: 10.8.1.7:43822 -> 10.8.1.7:6379 tcp SYN`)
  # and `hubble observe` (`shop/cart-x:43822 (ID:48213) -> shop/cart-x:6379 (ID:48213) policy-verdict:none DENIED` / `Policy denied DROPPED`).
  evidence self-denied "policy drops of flows from a pod to itself" weight 3
    from log where text ~ /"src_ip":"([0-9a-f.:]+)","dest_ip":"\1".*"disposition":"deny"|drop \(Policy denied\).*: ([0-9a-f.:]+):\d+ -> \2:\d+ |(\S+\/\S+):\d+ \(ID:\d+\) -> \3:\d+ \(ID:\d+\) .*(?:Policy denied|DENIED)/
    needs "Dataplane V2 policy logs or drops (GKE network policy logging, `cilium monitor --type drop`, `hubble observe --verdict DROPPED`)"

  # Only pods selected by an ingress policy are hit: every policy but an egress-only one
  # (without policyTypes, Ingress is implied).
  evidence ingress-policy "NetworkPolicy objects restricting ingress" weight 1
    from k8s.object where objectKind == "NetworkPolicy"
      and ("spec.policyTypes.0" != "Egress" or "spec.policyTypes.1" exists)
    needs "`kubectl get networkpolicies -A -o yaml`"

  evidence anetd "anetd (Dataplane V2) pods" weight 1
    from k8s.row where resource == "pods" and name ~ /^anetd-[a-z0-9]{5}$/
    needs "`kubectl get pods -n kube-system -o wide`"

  condition per node self-denied and (anetd or ingress-policy)

  explanation """
    When a pod connects to itself through a Service ClusterIP or an internal passthrough load
    balancer VIP, Dataplane V2 translates the destination back to the pod itself. On affected
    versions the reply packet is looked up in the eBPF connection-tracking table under the wrong
    tuple, is not recognised as part of the connection, and is evaluated against the pod's own
    ingress NetworkPolicy as if it were a new connection. A policy that does not allow the pod
    to reach itself drops it. With one backend the Service always fails for that pod; with two
    backends about half its connections fail, when the load balancing picks the caller itself.
    {self-denied.count} policy drop(s) of a pod talking to itself were recorded on
    {self-denied.nodes}; Kubernetes {version.kubernetes}.
    """
  remediation """
    Upgrade the cluster to GKE 1.28.3-gke.1090000 or later.
    Until then, set the Service's `port` to the same value as the container's `containerPort`
    (and `targetPort`), for example `port: 6379, targetPort: 6379` for a container listening on
    6379, so the self-connection does not need a port translation:
      kubectl -n <namespace> edit service <name>
    Alternatively allow the pod's own labels as a source in its ingress NetworkPolicy.
    """
  check """
    kubectl get networkpolicies -A -o yaml
    kubectl -n <namespace> get svc <name> -o jsonpath='{.spec.ports}'   # port vs targetPort
    kubectl -n kube-system exec <anetd pod on the node> -- cilium monitor --type drop   # src and dst are the same pod IP
    gcloud logging read 'jsonPayload.disposition="deny"' --limit 50                       # with network policy logging on
    """
end
