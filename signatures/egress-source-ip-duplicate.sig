# Two EgressNATPolicy objects share one egressSourceIP (egress NAT gateway preview, seed 002).
signature egress-source-ip-duplicate
  title      "Two EgressNATPolicy objects use the same egressSourceIP: egress routing conflicts"
  kind       issue
  severity   medium
  component  egress-nat
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, duplicate egressSourceIP addresses"

  # Every policy that names a source address.
  evidence policies "EgressNATPolicy objects with an egressSourceIP" weight 1
    from k8s.object where objectKind == "EgressNATPolicy" and "spec.egressSourceIP" exists
    needs "kubectl get egressnatpolicies -A -o yaml"

  # A shared address, by counting: N policies with fewer than N distinct egressSourceIP values
  # means two of them share one. One rung per N covers up to five distinct addresses (a gateway
  # rarely floats more). A bundle that lists the same policy twice (two output formats of one
  # command) would count it twice: check the names in the evidence.
  evidence shared-2 "2+ policies, fewer than 2 distinct egressSourceIPs"
    from k8s.object where objectKind == "EgressNATPolicy" and "spec.egressSourceIP" exists
    count >= 2 distinct "spec.egressSourceIP" < 2
  evidence shared-3 "3+ policies, fewer than 3 distinct egressSourceIPs"
    from k8s.object where objectKind == "EgressNATPolicy" and "spec.egressSourceIP" exists
    count >= 3 distinct "spec.egressSourceIP" < 3
  evidence shared-4 "4+ policies, fewer than 4 distinct egressSourceIPs"
    from k8s.object where objectKind == "EgressNATPolicy" and "spec.egressSourceIP" exists
    count >= 4 distinct "spec.egressSourceIP" < 4
  evidence shared-5 "5+ policies, fewer than 5 distinct egressSourceIPs"
    from k8s.object where objectKind == "EgressNATPolicy" and "spec.egressSourceIP" exists
    count >= 5 distinct "spec.egressSourceIP" < 5
  evidence shared-6 "6+ policies, fewer than 6 distinct egressSourceIPs"
    from k8s.object where objectKind == "EgressNATPolicy" and "spec.egressSourceIP" exists
    count >= 6 distinct "spec.egressSourceIP" < 6

  condition policies and (shared-2 or shared-3 or shared-4 or shared-5 or shared-6)

  explanation """
    With the egress NAT gateway (preview), an EgressNATPolicy selects pods and destinations and
    names the floating address (egressSourceIP) their traffic leaves with. Nothing stops a second
    policy from naming an address another policy already uses; the gateway then has two routing
    rules for one source address, and traffic of one or both policies leaves the wrong way or
    with the wrong address, so allow-lists at the destination reject it.
    The bundle has {policies.count} policies ({policies.name}) but only
    {policies.spec.egressSourceIP} as source addresses: at least two share one.
    """
  remediation """
    Give every EgressNATPolicy its own egressSourceIP. Agree with the teams that own the policies
    which floating addresses (spec.floatingIPs of the gateway resource) are free before assigning
    one, add an address to the gateway if needed, and edit the newer policy:
      kubectl get egressnatpolicies -o custom-columns=NAME:.metadata.name,IP:.spec.egressSourceIP
      kubectl edit egressnatpolicy NAME
    """
  check """
    kubectl get egressnatpolicies -o custom-columns=NAME:.metadata.name,IP:.spec.egressSourceIP --sort-by=.spec.egressSourceIP
    kubectl get anthosnetworkgateways -A -o yaml | grep -A5 floatingIPs
    """
end
