# An upgrade hangs because the cluster operator cannot update a resource that carries a stale
# last-applied-configuration (seed 002).
signature upgrade-resourceversion-invalid
  title      "Upgrade stuck: the cluster operator's update of a resource is rejected (resourceVersion 0x0)"
  kind       issue
  severity   high
  component  anthos-cluster-operator
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, upgrade does not progress with error during manifests operations"

  # The operator's reconcile error, in klogr (`controllers/Cluster "msg"="error during manifests
  # operations" "error"="1 error occurred: …"`) or zap / JSON form; the parsed message carries the
  # error text after the message.
  evidence manifests "the cluster operator reports 'error during manifests operations'" weight 1
    from log where message ~ /error during manifests operations/
    needs "anthos-cluster-operator logs (kubectl logs -n kube-system deploy/anthos-cluster-operator)"

  # The apiserver rejecting the operator's update: `<Kind> "<name>" is invalid:
  # metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`.
  evidence invalid "the update of a resource is rejected: metadata.resourceVersion: Invalid value: 0x0" weight 3
    from log where message ~ /metadata\.resourceVersion: Invalid value: 0x0: must be specified for an update/
    needs "anthos-cluster-operator logs (kubectl logs -n kube-system deploy/anthos-cluster-operator)"

  condition manifests and invalid

  explanation """
    During an upgrade the cluster operator applies the new release's manifests to the cluster.
    A resource that was once changed with `kubectl apply` keeps a
    `kubectl.kubernetes.io/last-applied-configuration` annotation; the operator's update of such a
    resource goes out without a resourceVersion and the apiserver rejects it ("metadata.resourceVersion:
    Invalid value: 0x0: must be specified for an update"). The operator retries forever, the upgrade
    never finishes and bmctl waits without an answer. Here the operator logged the rejection
    {invalid.count} time(s) between {invalid.first} and {invalid.last}; the resource is named on the
    continuation line of the cited entries (`* <Kind> "<name>" is invalid: …`).
    """
  remediation """
    For each resource named in the error, remove the last-applied annotation, then run the upgrade
    again:
      kubectl edit <kind> <name> -n <namespace>
        # delete the line metadata.annotations."kubectl.kubernetes.io/last-applied-configuration"
    or in one command:
      kubectl annotate <kind> <name> -n <namespace> kubectl.kubernetes.io/last-applied-configuration-
      bmctl upgrade cluster -c CLUSTER_NAME --kubeconfig ADMIN_KUBECONFIG
    """
  check """
    kubectl -n kube-system logs deploy/anthos-cluster-operator | grep -A2 'error during manifests operations'
    kubectl get <kind> <name> -n <namespace> -o yaml | grep last-applied-configuration
    """
end
