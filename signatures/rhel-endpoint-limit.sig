# RHEL and CentOS cap a cluster at about 100,000 Service endpoints (nftables limit) (seed 002).
signature rhel-endpoint-limit
  title      "Service endpoints near the 100,000 limit of RHEL / CentOS nodes (nftables)"
  kind       issue
  severity   high
  component  os
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, operating system endpoint limitation"

  # The language cannot add up endpoints, so this counts nearly full EndpointSlices: the
  # controller packs up to 100 endpoints in a slice, and `kubectl get endpointslices -A` prints
  # the first three then `+ N more...`. 900 slices of at least 88 endpoints make 79,000 or more.
  evidence slices "900 or more nearly full EndpointSlices (88+ endpoints each)" weight 2
    from k8s.row where resource == "endpointslices"
      and endpoints ~ /\+ (?:8[5-9]|9\d|\d{3,}) more\.\.\./
    count >= 900
    needs "kubectl get endpointslices -A (or -o yaml)"

  # The same from the objects (`kubectl get endpointslices -A -o yaml|json`).
  evidence slice-objects "900 or more EndpointSlice objects with 88+ endpoints each" weight 2
    from k8s.object where objectKind == "EndpointSlice" and addresses >= 88
    count >= 900
    needs "kubectl get endpointslices -A -o yaml"

  evidence rhel "the nodes run RHEL or CentOS" weight 1
    from os-release where id in ("rhel", "centos")
    needs "/etc/os-release from each node"

  condition (slices or slice-objects) and rhel

  explanation """
    On RHEL and CentOS the Service data path is built on the distribution's nftables, which holds
    at most about 100,000 endpoints for the whole cluster: every Pod behind every Service counts,
    and a Pod behind two Services counts twice. Past that, new endpoints are not programmed and
    traffic to the Services they belong to fails or goes to stale backends. This is a limit of the
    operating system, not of Anthos clusters on bare metal. Here {slices.count} nearly full
    EndpointSlices (about 100 endpoints each) were listed, on nodes running {rhel.prettyName}.
    """
  remediation """
    Keep the cluster's total Service endpoints well below 100,000: split the workloads across
    clusters, remove Services nobody uses, avoid several Services selecting the same large set of
    Pods, and scale down oversized Deployments behind Services. Count the endpoints with:
      kubectl get endpointslices -A -o json | jq '[.items[].endpoints | length] | add'
    Clusters that need more endpoints should run on an operating system without this limit
    (for example Ubuntu).
    """
  check """
    kubectl get endpointslices -A -o json | jq '[.items[].endpoints | length] | add'    # total endpoints
    cat /etc/os-release | grep -E '^ID='
    """
end
