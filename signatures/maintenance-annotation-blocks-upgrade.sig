# A 1.8 cluster whose nodes were once in maintenance mode cannot be upgraded to 1.9 (seed 002).
signature maintenance-annotation-blocks-upgrade
  title      "Leftover maintenance-mode annotation on BareMetalMachines blocks the upgrade from 1.8 to 1.9"
  kind       issue
  severity   medium
  component  upgrade
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, upgrading a 1.8 cluster fails after maintenance mode"
  affects    anthos-bare-metal >= 1.8.0 < 1.9.0

  # The annotation a node keeps after it left maintenance mode, on its BareMetalMachine
  # (`kubectl get baremetalmachines -n <cluster namespace> -o yaml`, or -o json).
  evidence annotated "BareMetalMachines still carry baremetal.cluster.gke.io/maintenance-mode-duration" weight 3
    from k8s.object where objectKind == "BareMetalMachine"
      and "metadata.annotations.baremetal.cluster.gke.io/maintenance-mode-duration" exists
    needs "kubectl get baremetalmachines -A -o yaml (from the admin cluster)"

  condition annotated

  explanation """
    Putting a node into maintenance mode leaves the annotation
    `baremetal.cluster.gke.io/maintenance-mode-duration` on its BareMetalMachine, and it stays there
    after the node leaves maintenance. The upgrade from 1.8.x to 1.9.x trips over it on those
    machines and fails. This cluster is at {version.anthos-bare-metal} and {annotated.count}
    machine(s) carry the annotation: {annotated.name} (namespace {annotated.namespace}).
    """
  remediation """
    Remove the annotation from each machine listed, then start the upgrade again:
      kubectl --kubeconfig ADMIN_KUBECONFIG annotate BareMetalMachine -n {annotated.namespace} \
          NODE_MACHINE_NAME baremetal.cluster.gke.io/maintenance-mode-duration-
    with NODE_MACHINE_NAME one of: {annotated.name}.
    """
  check """
    kubectl --kubeconfig ADMIN_KUBECONFIG get cluster CLUSTER_NAME -n CLUSTER_NAMESPACE -o jsonpath='{.spec.anthosBareMetalVersion}'
    kubectl --kubeconfig ADMIN_KUBECONFIG get BareMetalMachines -n CLUSTER_NAMESPACE -o jsonpath='{.items[*].metadata.annotations}'
    """
end
