# gke-connect-agent runs out of memory under heavy Connect gateway use and crash-loops
# (seed 002, GKE Connect; fixed in Anthos clusters on bare metal 1.8.2).
signature gke-connect-agent-oom
  title      "gke-connect-agent is OOM-killed and crash-loops: memory limit below 256Mi"
  kind       issue
  severity   medium
  component  gke-connect-agent
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, GKE Connect: gke-connect-agent pod crash loop"
  affects    anthos-bare-metal < 1.8.2
  fixed      anthos-bare-metal 1.8.2

  # The kubelet records the kill in the container status: `lastState.terminated.reason: OOMKilled`
  # (pod YAML) or `Last State: Terminated / Reason: OOMKilled` (kubectl describe).
  evidence oom-pod "the Connect agent pod was OOM-killed (pod status)" weight 3
    from k8s.object where objectKind == "Pod" and name ~ /^gke-connect-agent/ and oomKilled == true
    needs "kubectl get pods -n gke-connect -o yaml"

  evidence oom-describe "the Connect agent pod was OOM-killed (kubectl describe)" weight 3
    from k8s.describe where name ~ /^gke-connect-agent/ and oomKilled == true
    needs "kubectl describe pods -n gke-connect"

  # The kernel's memory-cgroup OOM killer names the agent's binary (gkeconnect_bin): in dmesg
  # (`[ 8123.4] Memory cgroup out of memory: Killed process 51234 (gkeconnect_bin) …`), in the
  # kernel journal, and in the `oom-kill:…,task=gkeconnect_bin,…` summary line.
  evidence oom-kernel "the kernel OOM-killed the Connect agent's process" weight 2
    from log where source == "kernel"
      and message ~ /Killed process \d+ \(gke-?connect[\w-]*\)|oom-kill:.*\btask=gke-?connect/
    needs "`dmesg` or `journalctl --utc --boot --dmesg` from the node running gke-connect-agent"

  evidence restarts "the Connect agent pod keeps restarting" weight 2
    from k8s.row where resource == "pods" and name ~ /^gke-connect-agent/
      and (restarts >= 3 or status == "CrashLoopBackOff")
    needs "kubectl get pods -n gke-connect -o wide"

  # memoryLimit is the smallest container limit in bytes (256Mi = 268435456).
  evidence small-limit "the Connect agent's memory limit is below 256Mi" weight 2
    from k8s.object where name ~ /^gke-connect-agent/ and memoryLimit < 268435456
    needs "kubectl get pods,deployments -n gke-connect -o yaml"

  condition (oom-pod or oom-describe or oom-kernel) and (restarts or small-limit)

  explanation """
    gke-connect-agent carries the Connect gateway traffic between Google Cloud and the cluster's
    API server. Before Anthos clusters on bare metal 1.8.2 its Deployment has a memory limit
    that heavy gateway use exceeds; the kernel then kills the agent, the pod restarts again and
    again until it stays in CrashLoopBackOff, and the Connect gateway (and the Cloud Console
    view of the cluster) stops working.
    In this bundle the agent's container status says OOMKilled, the kernel logged
    {oom-kernel.count} OOM-kill line(s) for it on {oom-kernel.nodes}, the pod shows
    {restarts.restarts} restart(s) ({restarts.status}), and its memory limit is
    {small-limit.memoryLimit} bytes (256Mi is 268435456).
    Anthos clusters on bare metal version: {version.anthos-bare-metal}.
    """
  remediation """
    Raise the agent's memory limit to 256Mi or more by patching its Deployment (the name
    carries a date, so look it up by label):
      kubectl patch deploy $(kubectl get deploy -l app=gke-connect-agent -n gke-connect \
          -o jsonpath='{.items[0].metadata.name}') -n gke-connect \
          --patch '{"spec":{"containers":[{"resources":{"limits":{"memory":"256Mi"}}}]}}'
    The new pod starts with the higher limit. Upgrading to 1.8.2 or later fixes the limit.
    """
  check """
    kubectl get pods -n gke-connect                       # RESTARTS growing, CrashLoopBackOff
    kubectl describe pods -n gke-connect | grep -A3 'Last State'    # Reason: OOMKilled
    kubectl get deploy -n gke-connect -o jsonpath='{.items[*].spec.template.spec.containers[*].resources.limits.memory}'
    dmesg | grep -i 'killed process' | grep gkeconnect
    """
end
