# 1.7 → 1.8 upgrade with a manual load balancer, or bundled load balancing on its own node pool:
# cal-update's "Check apiserver health" curls port 443 where nothing listens (seed 002).
signature upgrade-apiserver-health-443
  title      "Upgrade 1.7 → 1.8 fails at cal-update 'Check apiserver health': nothing listens on 127.0.0.1:443"
  kind       issue
  severity   high
  component  upgrade
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, cluster upgrade from 1.7.x fails with some load balancer configurations"
  affects    anthos-bare-metal >= 1.7.0 < 1.9.0
  fixed      anthos-bare-metal 1.9.0

  # Ansible's retries of the task, with or without the `[host]: ` prefix newer Ansible prints:
  # `FAILED - RETRYING: Check apiserver health (29 retries left).`
  evidence retrying "cal-update keeps retrying 'Check apiserver health'" weight 2
    from ansible.retry where task ~ /^Check apiserver health$/i
    count >= 3
    needs "the cal-update job log (kubectl logs -n <cluster namespace> bm-system-cal-update-…, or the bmctl upgrade logs)"

  # The final result: `fatal: [10.50.116.79]: FAILED! => {… "cmd": "curl -k https://127.0.0.1/healthz",
  # … "stderr": "…curl: (7) Failed to connect to 127.0.0.1 port 443: Connection refused" …}`; newer
  # curl adds `after N ms`.
  evidence refused "curl to https://127.0.0.1:443 is refused" weight 4
    from ansible.fatal where stderr ~ /Failed to connect to (?:127\.0\.0\.1|localhost) port 443(?: after \d+ ms)?: Connection refused/
      or msg ~ /Failed to connect to (?:127\.0\.0\.1|localhost) port 443(?: after \d+ ms)?: Connection refused/
    needs "the cal-update job log (kubectl logs -n <cluster namespace> bm-system-cal-update-…)"

  # The load balancer set-ups the issue needs: manual, or bundled on its own node pool.
  evidence lb "load balancer is manual, or bundled on a separate node pool" weight 1
    from k8s.object where objectKind == "Cluster"
      and ("spec.loadBalancer.mode" == "manual" or "spec.loadBalancer.nodePoolSpec.nodes.0.address" exists)
    needs "the cluster config (bmctl-workspace/<cluster>/<cluster>.yaml)"

  # The check passing after all, or the workaround already in place.
  evidence passed "the health check passed" weight 2
    from ansible.task where task ~ /^Check apiserver health$/i and status in ("ok", "changed")

  evidence forwarded "port 443 is already redirected to 6444 on the node" weight 1
    from iptables.rule where table == "nat" and chain == "OUTPUT" and target == "REDIRECT"
      and rule ~ /--dport 443\b.*--to-ports 6444/

  condition retrying and refused and lb and not passed and not forwarded

  explanation """
    During an upgrade from 1.7.x to 1.8.y, the cal-update job on each control-plane node checks the
    apiserver with `curl -k https://127.0.0.1/healthz`, that is on port 443. The apiserver listens on
    6444; port 443 on the node is only served when the bundled load balancer runs on the control
    plane nodes. With a manual load balancer (`loadBalancer.mode: manual`), or bundled load balancing
    on its own node pool (`loadBalancer.nodePoolSpec`), nothing listens there, every retry is
    refused and the upgrade stops. Here Ansible retried the check {retrying.count} time(s) and the
    task failed on {refused.host} with "Connection refused"; the target version is
    {version.anthos-bare-metal}.
    """
  remediation """
    Before the upgrade (or before retrying it), forward port 443 to 6444 on every control-plane node:
      sudo iptables -t nat -I OUTPUT -p tcp -o lo --dport 443 -j REDIRECT --to-ports 6444
    cal-update runs again at every reconciliation, so keep the rule while the cluster is on 1.8.x.
    Once the cluster is at 1.9.0 or later, remove it on every control-plane node:
      sudo iptables -t nat -D OUTPUT -p tcp -o lo --dport 443 -j REDIRECT --to-ports 6444
    """
  check """
    kubectl -n <cluster namespace> logs <bm-system-cal-update pod> | grep -E 'Check apiserver health|Failed to connect'
    curl -k https://127.0.0.1/healthz; curl -k https://127.0.0.1:6444/healthz     # on a control-plane node
    sudo iptables -t nat -S OUTPUT | grep 6444
    """
end
