# Node addresses inside the kind bootstrap cluster's default CIDRs (seed 002).
signature bootstrap-cidr-overlap
  title      "Node addresses overlap the bootstrap (kind) cluster CIDRs 192.168.122.0/24 / 10.96.0.0/27: preflight fails"
  kind       issue
  severity   high
  component  bmctl
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, bootstrap (kind) cluster IP addresses overlap cluster node IP addresses"

  # The machines of the cluster being created, as its configuration lists them (Cluster control
  # plane and load balancer node pools, NodePools): an address in 192.168.122.0/24 (the bootstrap
  # cluster's pod CIDR) or 10.96.0.0/27 (10.96.0.0–10.96.0.31, its Service CIDR). The cluster's
  # own pod and Service CIDRs, and a libvirt bridge holding 192.168.122.1, are not node addresses.
  evidence overlap-config "the cluster configuration puts a machine inside a bootstrap cluster CIDR" weight 3
    from k8s.object where objectKind in ("Cluster", "NodePool") and (
         "spec.controlPlane.nodePoolSpec.nodes.*.address" ~ /^(192\.168\.122\.\d{1,3}|10\.96\.0\.([0-9]|[12][0-9]|3[01]))$/
         or "spec.loadBalancer.nodePoolSpec.nodes.*.address" ~ /^(192\.168\.122\.\d{1,3}|10\.96\.0\.([0-9]|[12][0-9]|3[01]))$/
         or "spec.nodes.*.address" ~ /^(192\.168\.122\.\d{1,3}|10\.96\.0\.([0-9]|[12][0-9]|3[01]))$/)
    needs "the cluster configuration (bmctl-workspace/<cluster>/<cluster>.yaml)"

  # bmctl's preflight report names each machine it checked: `- [FAILED] 192.168.122.11 (log: …)`.
  evidence overlap-log "bmctl checked a machine whose address is inside a bootstrap cluster CIDR" weight 2
    from log where source == "bmctl"
      and message ~ /\[(PASSED|FAILED)\] (192\.168\.122\.\d{1,3}|10\.96\.0\.([0-9]|[12][0-9]|3[01]))\b/
    needs "bmctl logs of the create or upgrade (bmctl-workspace/<cluster>/log/…)"

  # Nodes of a running cluster (an upgrade also starts a bootstrap cluster).
  evidence overlap-nodes "a node's internal IP is inside a bootstrap cluster CIDR" weight 1
    from k8s.row where resource == "nodes" and "internal-ip" ~ /^(192\.168\.122\.\d{1,3}|10\.96\.0\.([0-9]|[12][0-9]|3[01]))$/
    needs "kubectl get nodes -o wide"

  # The preflight checks failed.
  evidence preflight "bmctl preflight checks failed" weight 2
    from log where source == "bmctl" and message ~ /preflight checks? (job )?failed|\[FAILED\]/
    needs "bmctl logs of the create or upgrade (bmctl-workspace/<cluster>/log/…)"

  condition (overlap-config or overlap-log or overlap-nodes) and preflight

  explanation """
    bmctl runs a temporary kind cluster (the bootstrap cluster) on the admin workstation to
    create or upgrade a cluster, with pod CIDR 192.168.122.0/24 and Service CIDR 10.96.0.0/27 unless
    told otherwise. The preflight checks run from that cluster; when cluster machines have
    addresses inside those ranges, traffic to them is routed to the bootstrap cluster's own pod or
    Service network instead, so the checks cannot reach them and the preflight fails.
    Here the configuration objects {overlap-config.name} ({overlap-config.objectKind}) put machines inside
    those ranges, bmctl's preflight report has {overlap-log.count} line(s) about such machines
    (shown above), and it reported the failure {preflight.count} time(s), last at {preflight.last}.
    """
  remediation """
    Give the bootstrap cluster ranges that no machine uses, and run bmctl again:
      bmctl create cluster -c CLUSTER_NAME \
        --bootstrap-cluster-pod-cidr=10.240.0.0/24 \
        --bootstrap-cluster-service-cidr=10.240.1.0/24
    (the same flags exist for the other bmctl commands that start a bootstrap cluster, such as
    upgrades). Pick ranges outside the node network, the cluster's pod and Service CIDRs and the
    load balancer pools.
    """
  check """
    grep -n 'address:' bmctl-workspace/CLUSTER_NAME/CLUSTER_NAME.yaml
    grep -n 'FAILED' bmctl-workspace/CLUSTER_NAME/log/create-cluster-*/create-cluster.log
    bmctl create cluster --help | grep bootstrap-cluster
    """
end
