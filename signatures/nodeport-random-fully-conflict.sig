# ip-masq-agent >= 2.10 masquerades with --random-fully into the NodePort range (seed 001).
signature nodeport-random-fully-conflict
  title      "ip-masq-agent masquerades with --random-fully: source ports collide with NodePorts (Dataplane V2)"
  kind       issue
  severity   medium
  component  ip-masq-agent
  platforms  gke
  references "seed 001: GKE Dataplane V2 known issues, intermittent connectivity from NodePort range conflicts",
             "kubernetes-sigs/ip-masq-agent#124", "kubernetes-sigs/ip-masq-agent#126", "cilium/cilium#23604"
  affects    ip-masq-agent >= 2.10.0

  # What the node does: the agent's last rule masquerades with --random-fully, which picks any
  # source port from 1024-65535, NodePorts included. With `--to-ports` (2.12+) the ports can be
  # kept out of the NodePort range, so such a rule does not count.
  evidence masq-rule "the ip-masq-agent MASQUERADE rule uses --random-fully" weight 3
    from iptables.rule where target == "MASQUERADE" and comment contains "ip-masq-agent"
      and rule contains "--random-fully" and rule not contains "--to-ports"
    needs "`iptables-save` from each node"

  # What is deployed: an ip-masq-agent image from 2.10 on (the first to add --random-fully) that
  # was not told otherwise — no `--random-fully=false` (2.11+) or `--to-ports=` (2.12+) among its
  # container arguments.
  evidence agent "ip-masq-agent 2.10+ DaemonSet without --random-fully=false" weight 3
    from k8s.object where objectKind == "DaemonSet" and name ~ /ip-masq-agent/
      and "spec.template.spec.containers.0.image" ~ /ip-masq-agent[\w-]*:v?(2\.(1\d|[2-9]\d)|[3-9]\.\d+)\./
      and not ("spec.template.spec.containers.0.args.0" ~ /^--(random-fully=false|to-ports=)/
           or "spec.template.spec.containers.0.args.1" ~ /^--(random-fully=false|to-ports=)/
           or "spec.template.spec.containers.0.args.2" ~ /^--(random-fully=false|to-ports=)/
           or "spec.template.spec.containers.0.args.3" ~ /^--(random-fully=false|to-ports=)/
           or "spec.template.spec.containers.0.args.4" ~ /^--(random-fully=false|to-ports=)/
           or "spec.template.spec.containers.0.args.5" ~ /^--(random-fully=false|to-ports=)/
           or "spec.template.spec.containers.0.args.6" ~ /^--(random-fully=false|to-ports=)/
           or "spec.template.spec.containers.0.args.7" ~ /^--(random-fully=false|to-ports=)/)
    needs "kubectl get ds -n kube-system -o yaml"

  # Or its log says so: 2.10 (`ip-masq-agent version: v2.10.0`) cannot turn the flag off; later
  # versions print their flags at start-up (`FLAG: --random-fully="true"`).
  evidence agent-210-log "ip-masq-agent 2.10 logs its version" weight 2
    from log where message ~ /ip-masq-agent version: v?2\.10\./
    needs "ip-masq-agent pod logs"
  evidence flag-on-log "ip-masq-agent logs --random-fully=true" weight 2
    from log where message ~ /FLAG: --random-fully="true"/
    needs "ip-masq-agent pod logs"

  # NodePort or LoadBalancer Services exist (their node ports are what the source ports hit) …
  evidence nodeports "NodePort or LoadBalancer Services" weight 1
    from k8s.row where resource == "services" and type in ("NodePort", "LoadBalancer")
    needs "kubectl get svc -A"
  evidence nodeports-object "NodePort or LoadBalancer Service objects" weight 1
    from k8s.object where objectKind == "Service" and "spec.type" in ("NodePort", "LoadBalancer")
    needs "kubectl get svc -A -o yaml"

  # … on Dataplane V2 (anetd / Cilium agents), whose eBPF NodePort handling takes the replies.
  evidence dpv2 "Dataplane V2 agents (anetd) run in the cluster" weight 1
    from k8s.row where resource == "pods" and name ~ /^(anetd|cilium)-[a-z0-9]{5}$/
    needs "kubectl get pods -n kube-system -o wide"

  condition (masq-rule or agent or agent-210-log or flag-on-log) and (nodeports or nodeports-object) and dpv2

  explanation """
    From version 2.10 ip-masq-agent adds --random-fully to its MASQUERADE rule: the source port of
    every masqueraded connection is drawn at random from the whole unprivileged range, so some
    land inside the NodePort range (30000-32767). On Dataplane V2 the reply to such a connection
    is taken for traffic to the NodePort or LoadBalancer Service that owns that port and never
    reaches the pod, so a small share of outbound connections fails at random (resets, time-outs).
    Here ip-masq-agent {agent.spec.template.spec.containers.0.image} runs without opting out, its
    rule on {masq-rule.nodes} masquerades with --random-fully, and the cluster has NodePort or
    LoadBalancer Services ({nodeports.name}) on Dataplane V2.
    """
  remediation """
    Add --random-fully=false to the ip-masq-agent container arguments (the flag exists from
    ip-masq-agent 2.11; upgrade a 2.10 image first):
      kubectl -n kube-system edit daemonset ip-masq-agent
        args:
        - --masq-chain=IP-MASQ-AGENT
        - --random-fully=false
    With 2.12 or later, --to-ports=32768-65535 instead keeps the random ports outside the NodePort
    range. The agent rewrites its chain on its next resync; check the rule afterwards.
    """
  check """
    iptables-save -t nat | grep 'ip-masq-agent: outbound'       # no --random-fully at the end
    kubectl -n kube-system get ds ip-masq-agent -o jsonpath='{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].args}'
    kubectl get svc -A | grep -E 'NodePort|LoadBalancer'
    """
end
