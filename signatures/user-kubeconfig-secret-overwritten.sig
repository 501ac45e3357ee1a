# `bmctl check cluster` on a user cluster overwrites the user cluster's kubeconfig Secret with the
# admin cluster's kubeconfig (seed 002, operations; Anthos clusters on bare metal ≤ 1.11.1).
#
# The Secret itself cannot be compared: the k8s-objects parser redacts Secret data to its size,
# so "the user cluster's kubeconfig Secret names the admin cluster" is not visible in a bundle.
# What is visible is the trigger: a check of a user cluster, run with the admin cluster's
# kubeconfig, on an affected version. The check below confirms the Secret's content by hand.
signature user-kubeconfig-secret-overwritten
  title      "bmctl check cluster on a user cluster overwrote its kubeconfig Secret with the admin kubeconfig"
  kind       issue
  severity   high
  component  bmctl
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, operations: kubeconfig secret overwritten"
  affects    anthos-bare-metal <= 1.11.1
  fixed      anthos-bare-metal 1.11.2

  # The command line bmctl logs first: a cluster named by --cluster/-c checked through another
  # cluster's kubeconfig (`--kubeconfig bmctl-workspace/<admin>/<admin>-kubeconfig`), in either
  # flag order, or through --admin-kubeconfig (older releases). A cluster checked with its own
  # `<name>-kubeconfig` does not match.
  evidence check-on-user "bmctl check cluster ran on a cluster through another cluster's (admin) kubeconfig" weight 3
    from log where source == "bmctl"
      and message ~ /bmctl check cluster\b.*--admin-kubeconfig[= ]|bmctl check cluster\b.*(?:--cluster|-c)[= ]([\w.-]+)(?!\S).*--kubeconfig[= ]\S*?(?<![^\s=\/])(?!\1-kubeconfig(?!\S))[\w.-]+-kubeconfig(?!\S)|bmctl check cluster\b.*--kubeconfig[= ]\S*?(?<![^\s=\/])([\w.-]+)-kubeconfig(?!\S).*(?:--cluster|-c)[= ](?!\2(?!\S))[\w.-]+/
    needs "bmctl check-cluster logs (bmctl-workspace/<cluster>/log/check-cluster-<timestamp>/check-cluster.log)"

  evidence user-cluster "the bundle's clusters include a user cluster" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
    needs "the user cluster's config (bmctl-workspace/<cluster>/<cluster>.yaml) or kubectl get clusters -A -o yaml"

  condition check-on-user and user-cluster

  explanation """
    In Anthos clusters on bare metal 1.11.1 and earlier, `bmctl check cluster` run on a user
    cluster (with the admin cluster's kubeconfig, which is how user clusters are checked and
    snapshotted) writes the admin cluster's kubeconfig into the user cluster's kubeconfig Secret
    (<user cluster>-kubeconfig in the user cluster's namespace of the admin cluster). From then
    on, the admin cluster's controllers reach the wrong cluster for that user cluster, and
    updates and upgrades of the user cluster fail.
    Here bmctl check cluster ran {check-on-user.count} time(s) that way ({check-on-user.first}
    to {check-on-user.last}) and the bundle holds user cluster {user-cluster.name}; version
    {version.anthos-bare-metal}. The Secret's content itself is redacted in bundles: confirm it
    with the check below.
    """
  remediation """
    Restore the user cluster's own kubeconfig in the Secret (USER_CLUSTER_NAME, its namespace
    USER_CLUSTER_NAMESPACE, usually cluster-USER_CLUSTER_NAME):
      1. Find the kubeconfig bmctl generated when it created the user cluster, by default
         bmctl-workspace/USER_CLUSTER_NAME/USER_CLUSTER_NAME-kubeconfig, and make sure it is the
         user cluster's: its nodes must be the user cluster's machines.
           kubectl get nodes --kubeconfig PATH_TO_GENERATED_FILE
      2. Delete the overwritten Secret from the admin cluster:
           kubectl --kubeconfig ADMIN_KUBECONFIG delete secret -n USER_CLUSTER_NAMESPACE USER_CLUSTER_NAME-kubeconfig
      3. Store the correct kubeconfig again:
           kubectl --kubeconfig ADMIN_KUBECONFIG create secret generic -n USER_CLUSTER_NAMESPACE \
               USER_CLUSTER_NAME-kubeconfig --from-file=value=PATH_TO_GENERATED_FILE
    Upgrade bmctl and the clusters past 1.11.1 so checks no longer overwrite it.
    """
  check """
    kubectl --kubeconfig ADMIN_KUBECONFIG get secret -n cluster-USER_CLUSTER_NAME USER_CLUSTER_NAME-kubeconfig \
        -o json | jq -r '.data.value' | base64 -d | grep -A2 'contexts:'
    # affected when contexts[].context.cluster names the admin cluster instead of the user cluster
    """
end
