# Upgrading to Anthos clusters on bare metal 1.8.3 or 1.8.4 fails with a nil context error
# unless GOOGLE_APPLICATION_CREDENTIALS points at a service account key (seed 002).
signature upgrade-nil-context-18x
  title      "Upgrade to 1.8.3/1.8.4 fails with a nil context error (GOOGLE_APPLICATION_CREDENTIALS not set)"
  kind       issue
  severity   high
  component  upgrade
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, upgrades: upgrading to 1.8.3 or 1.8.4"
  affects    anthos-bare-metal 1.8.3, 1.8.4

  # Go's HTTP client refuses a request built without a context: "net/http: nil Context". The
  # context package says "cannot create context from nil parent" for the same mistake. Matched
  # whatever wraps it (bmctl's "Error upgrading cluster: …", a structured err="…").
  evidence nil-context "bmctl failed with a nil context error" weight 3
    from log where message ~ /\bnil context\b|cannot create context from nil parent/i
    needs "the bmctl upgrade log (bmctl-workspace/<cluster>/log/upgrade-cluster-<timestamp>/upgrade-cluster.log) or its console output"

  evidence upgrading "an upgrade was run with bmctl" weight 1
    from log where source == "bmctl"
      and message ~ /\bbmctl upgrade cluster\b|^Upgrading (?:admin |hybrid |standalone |user )?cluster\b/
    needs "the bmctl upgrade log"

  evidence done "the upgrade completed" weight 1
    from log where source == "bmctl"
      and message ~ /upgraded successfully|successfully upgraded|upgrade (?:is )?completed?\b/i

  # A successful rerun after the nil context failure means the workaround was applied.
  condition nil-context and upgrading and not (done after nil-context)

  explanation """
    bmctl 1.8.3 and 1.8.4 can end an upgrade with a "nil context" error: when no service
    account key is named in GOOGLE_APPLICATION_CREDENTIALS, a code path that looks up Google
    credentials builds its request without a context and fails before anything is upgraded.
    The upgrade log shows the error {nil-context.count} time(s), last at {nil-context.last},
    and no upgrade completed afterwards. Version in the cluster config:
    {version.anthos-bare-metal}.
    """
  remediation """
    On the admin workstation, point GOOGLE_APPLICATION_CREDENTIALS at a service account key file
    (JSON) and run the upgrade again:
      export GOOGLE_APPLICATION_CREDENTIALS=KEY_PATH
      bmctl upgrade cluster -c CLUSTER_NAME --kubeconfig ADMIN_KUBECONFIG
    KEY_PATH is the path of the JSON key (for example one of the keys under
    bmctl-workspace/.sa-keys/ that the cluster config references).
    """
  check """
    grep -ri 'nil context' bmctl-workspace/CLUSTER_NAME/log/upgrade-cluster-*/
    echo "$GOOGLE_APPLICATION_CREDENTIALS"      # empty on the workstation that ran the upgrade
    bmctl version
    """
end
