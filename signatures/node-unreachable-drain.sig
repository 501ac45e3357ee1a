# A node the cluster cannot reach is never drained, so an upgrade that reaches it stalls
# (seed 002, upgrades: node drain cannot start when the node is out of reach).
signature node-unreachable-drain
  title      "Upgrade stalled: a node is unreachable, so its drain never starts"
  kind       issue
  severity   high
  component  upgrade
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, upgrades: node drain cannot start when the node is out of reach"

  evidence notready "a node is NotReady" weight 3
    from k8s.row where resource == "nodes" and status ~ /^NotReady\b/
    needs "kubectl get nodes -o wide"

  # The node controller's view when the kubelet stopped reporting: the unreachable taints and
  # conditions in state Unknown ("Kubelet stopped posting node status.").
  evidence unreachable "a node carries the unreachable taint or reports Unknown" weight 3
    from k8s.describe where objectKind == "Node"
      and (taints contains "node.kubernetes.io/unreachable" or "condition.Ready" == "Unknown")
    needs "kubectl describe nodes"

  # bmctl waiting on the upgrade: "Waiting for upgrade to complete...", "Waiting for node pool np1
  # to upgrade... 1/3 machines upgraded", "Upgrading cluster …".
  evidence upgrading "an upgrade is in progress" weight 2
    from log where source == "bmctl" and message ~ /^(?:Upgrading (?:admin |hybrid |standalone |user )?cluster\b|Waiting for [\w -]*upgrad)/i
    needs "the bmctl upgrade log (bmctl-workspace/<cluster>/log/upgrade-cluster-<timestamp>/upgrade-cluster.log)"

  # Nodes on two kubelet versions at once: an upgrade went part of the way.
  evidence mixed "nodes run different Kubernetes versions" weight 2
    from k8s.row where resource == "nodes"
    distinct version >= 2
    needs "kubectl get nodes -o wide"

  # The whole upgrade, not a step of it ("Waiting for control plane to be upgraded... OK").
  evidence finished "the upgrade completed" weight 1
    from log where source == "bmctl"
      and message ~ /upgraded successfully|successfully upgraded|upgrade (?:is )?completed?\b|Waiting for (?:the )?(?:cluster )?upgrade to complete\s*\.{3} ?OK$/i

  # A node that goes NotReady for a minute while it is upgraded, and an upgrade that then
  # completes, is normal.
  condition (notready or unreachable) and (upgrading or mixed) and not (finished after upgrading)

  explanation """
    A cluster upgrade drains and upgrades the nodes one by one. When the cluster cannot reach a
    node (powered off, network cut, kubelet down), the drain of that node never starts and the
    upgrade waits on it indefinitely; the nodes upgraded so far and those still waiting stay on
    different versions.
    Here {notready.name} is NotReady ({unreachable.name} is tainted unreachable or reports
    Unknown), the nodes run {mixed.version}, and bmctl kept waiting
    ({upgrading.count} progress lines, last at {upgrading.last}) without finishing.
    """
  remediation """
    Bring the node back before anything else: power, network, SSH from the admin workstation,
    then `systemctl status kubelet containerd` on the node, until `kubectl get nodes` shows it
    Ready. The waiting upgrade then drains and upgrades it and goes on. If the machine is lost
    for good, remove it from its node pool (edit the NodePool or the cluster config, then
    `bmctl update cluster`) so the upgrade no longer waits for it.
    To avoid it, check that every node is Ready and reachable before starting an upgrade:
      kubectl get nodes
      bmctl check cluster -c CLUSTER_NAME --kubeconfig ADMIN_KUBECONFIG
    """
  check """
    kubectl get nodes -o wide                                   # NotReady, versions differ
    kubectl describe node NODE_NAME | grep -A3 Taints           # node.kubernetes.io/unreachable
    ssh NODE_IP 'systemctl is-active kubelet'                   # from the admin workstation
    tail bmctl-workspace/CLUSTER_NAME/log/upgrade-cluster-*/upgrade-cluster.log
    """
end
