# NetworkPolicy port ranges (endPort) are not enforced by GKE Dataplane V2 (seed 001).
signature dpv2-netpol-endport-ignored
  title      "NetworkPolicy endPort has no effect on Dataplane V2: only the first port of the range is allowed"
  kind       issue
  severity   medium
  component  dataplane-v2
  platforms  gke, gke-on-vmware, anthos-bare-metal
  references "seed 001: GKE Dataplane V2 known issues, network policy port ranges do not take effect",
             "https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/2079-network-policy-port-range"
  # endPort exists in the NetworkPolicy API from Kubernetes 1.22 (KEP-2079); older API servers drop it.
  affects    kubernetes >= 1.22.0

  # A stored NetworkPolicy (as the API server returns it) whose port entry carries endPort. The
  # object is flattened under dotted paths, one per rule and port entry, so the first rules and
  # ports of both directions are listed; policies rarely carry more than four of either.
  evidence endport "NetworkPolicy objects with a port range (endPort)" weight 3
    from k8s.object where objectKind == "NetworkPolicy"
      and ("spec.ingress.*.ports.*.endPort" exists or "spec.egress.*.ports.*.endPort" exists)
    needs "`kubectl get networkpolicies -A -o yaml`"

  # Dataplane V2 is anetd (Cilium) enforcing policy: its DaemonSet pods, as kubectl lists them…
  evidence anetd-pods "anetd (Dataplane V2) pods run in kube-system" weight 1
    from k8s.row where resource == "pods" and name ~ /^anetd-[a-z0-9]{5}$/
    needs "`kubectl get pods -n kube-system -o wide`"

  # …or as objects (the anetd DaemonSet, its pods, the cilium-config ConfigMap).
  evidence anetd-objects "anetd DaemonSet, pods or cilium-config present" weight 1
    from k8s.object where namespace == "kube-system"
      and ((objectKind in ("DaemonSet", "Pod") and name ~ /^anetd(-[a-z0-9]{5})?$/)
        or (objectKind == "ConfigMap" and name == "cilium-config"))
    needs "`kubectl get ds,cm -n kube-system -o yaml`"

  condition endport and (anetd-pods or anetd-objects)

  explanation """
    Since Kubernetes 1.22 a NetworkPolicy port entry can name a range with `port` and `endPort`
    (KEP-2079). Calico enforces the range, but GKE Dataplane V2 (anetd, built on Cilium) does
    not: the policy is accepted and stored with its endPort, yet only the single `port` is
    allowed, so connections to the other ports of the range are dropped (ingress) or blocked
    (egress) although the policy seems to permit them.
    {endport.count} NetworkPolicy object(s) use endPort ({endport.namespace}/{endport.name})
    in a cluster whose policies are enforced by Dataplane V2 (Kubernetes {version.kubernetes}).
    """
  remediation """
    Rewrite the affected rules without ranges: list every port of the range as its own entry
    under `ports:` (one `- port: N` and `protocol:` per port), then apply the policy again:
      kubectl get networkpolicy -n <namespace> <name> -o yaml > policy.yaml
      # replace `port: 32000, endPort: 32010` by ports 32000, 32001, … 32010
      kubectl apply -f policy.yaml
    Large ranges can be covered by allowing the whole peer instead (drop the `ports:` list for
    that rule) if that is acceptable. The object stored by the API server is the source of truth:
    read it back after applying and check that no `endPort` remains.
    """
  check """
    kubectl get networkpolicies -A -o yaml | grep -n -B8 endPort
    kubectl -n kube-system get pods -l k8s-app=cilium -o wide      # anetd-… pods: Dataplane V2
    kubectl get networkpolicy -n <namespace> <name> -o jsonpath='{.spec}'
    """
end
