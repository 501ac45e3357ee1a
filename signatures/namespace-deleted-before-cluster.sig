# Deleting a user cluster's namespace before its Cluster object stops the machine reset jobs
# from being created, so the machines are never cleaned (seed 002, reset / deletion).
signature namespace-deleted-before-cluster
  title      "Cluster namespace deleted before the Cluster: machine reset jobs are refused, machines are not cleaned"
  kind       issue
  severity   medium
  component  cluster-lifecycle
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, reset / deletion: namespace deletion"

  evidence ns-terminating "a namespace is Terminating (kubectl get namespaces)" weight 2
    from k8s.row where resource == "namespaces" and status == "Terminating"
    needs "kubectl get namespaces"

  evidence ns-object "a namespace is Terminating (namespace object)" weight 2
    from k8s.object where objectKind == "Namespace" and "status.phase" == "Terminating"
    needs "kubectl get namespaces -o yaml"

  # The Cluster object still lives in the namespace being deleted: the wrong order.
  evidence cluster-in-ns "a Cluster object sits in that Terminating namespace" weight 3
    from k8s.object where objectKind == "Cluster" and namespace in ns-terminating.name
    needs "kubectl get clusters -A -o yaml"

  evidence cluster-in-ns-object "a Cluster object sits in that Terminating namespace" weight 3
    from k8s.object where objectKind == "Cluster" and namespace in ns-object.name
    needs "kubectl get clusters -A -o yaml"

  # The API server's refusal, as the cluster operator logs it (klogr `"error"="jobs.batch … is
  # forbidden: …"`) and as events show it. Only cluster namespaces (`cluster-<name>`, the
  # default) count: other namespaces being deleted refuse new pods too, harmlessly.
  evidence forbidden "the reset jobs cannot be created in the cluster namespace" weight 3
    from log where message ~ /unable to create new content in namespace cluster-[a-z0-9.-]+ because it is being terminated/
    needs "anthos-cluster-operator logs (kubectl logs -n kube-system deploy/anthos-cluster-operator)"

  evidence forbidden-event "events: creation refused in the terminating cluster namespace" weight 2
    from k8s.event where message ~ /unable to create new content in namespace cluster-[a-z0-9.-]+ because it is being terminated/
    needs "kubectl get events -A"

  # Required: a Cluster inside a Terminating namespace. The refused jobs confirm the consequence
  # and add to the score; the namespace clauses feed the joins.
  condition (cluster-in-ns or cluster-in-ns-object) and (forbidden or forbidden-event or ns-terminating or ns-object)

  explanation """
    Deleting a namespace forbids creating anything new in it, including the jobs that reset a
    deleted cluster's machines. When the namespace of a user cluster is deleted while its Cluster
    object still exists, the deletion of the cluster cannot create those reset jobs, so it skips
    the cleanup of the machines (they keep the old Kubernetes, containerd and network setup) and
    the Cluster and the namespace can stay stuck in deletion.
    Here a Cluster object still exists in a namespace that is being deleted. As seen through
    `kubectl get namespaces` / through namespace objects: Terminating namespaces
    {ns-terminating.name} / {ns-object.name}; Clusters inside them {cluster-in-ns.name} /
    {cluster-in-ns-object.name}.
    Creating reset jobs there was refused {forbidden.count} time(s) in the operator log
    ({forbidden.first} to {forbidden.last}) and {forbidden-event.count} time(s) in events.
    """
  remediation """
    Delete a user cluster by deleting its Cluster object first and the namespace only after the
    Cluster is gone:
      kubectl --kubeconfig ADMIN_KUBECONFIG delete cluster USER_CLUSTER_NAME -n USER_CLUSTER_NAMESPACE
      # wait until it has disappeared, then:
      kubectl --kubeconfig ADMIN_KUBECONFIG delete namespace USER_CLUSTER_NAMESPACE
    Once the namespace is already Terminating, the reset jobs cannot run: clean the user
    cluster's machines by hand (for example `bmctl reset` against them, or reinstall the
    machines) before reusing them, and when the Cluster stays stuck, remove its finalizer only
    after the machines are clean.
    """
  check """
    kubectl get namespaces | grep Terminating
    kubectl get clusters -A                          # a Cluster in that namespace
    kubectl -n kube-system logs deploy/anthos-cluster-operator | grep 'because it is being terminated'
    """
end
