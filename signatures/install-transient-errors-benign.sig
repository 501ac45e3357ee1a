# Webhook and registration errors that bmctl retries while it creates a cluster (seed 002).
signature install-transient-errors-benign
  title      "Transient webhook and registration errors during cluster creation (retried, harmless)"
  kind       benign
  severity   info
  component  install
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, harmless error messages during installation"

  # While the cluster API webhooks and the Connect registration come up, bmctl logs the failed
  # attempt and retries: `failed calling webhook "vcluster.kb.io": … connection refused, retrying`,
  # `no endpoints available for service "cap-webhook-service"`, `Registering cluster … failed: …,
  # retrying`. The final `Error creating cluster: …` line is left out on purpose: a create that gave
  # up is not harmless, and that line must stay visible to the other signatures.
  evidence transient "bmctl retried a webhook call or the cluster registration"
    from log where source == "bmctl"
      and message !~ /^Error /
      and message ~ /failed calling webhook "[^"]+"|no endpoints available for service "[^"]+"|Registering cluster \S+ to project \S+ ?failed|failed to register cluster/
    needs "bmctl create-cluster log (bmctl-workspace/<cluster>/log/create-cluster-<timestamp>/create-cluster.log)"

  # Steps bmctl reports as done once the retried call went through.
  evidence done "bmctl then completed the install steps"
    from log where source == "bmctl"
      and message ~ /^(?:Applying resources for new cluster|Waiting for cluster (?:kubeconfig )?to become ready|Waiting for node pools to become ready|Waiting for node update jobs to finish|Deleting bootstrap cluster)\.*\s*OK\b/
    needs "bmctl create-cluster log (bmctl-workspace/<cluster>/log/create-cluster-<timestamp>/create-cluster.log)"

  condition transient and done after transient

  explanation """
    While bmctl creates a cluster it applies resources whose validating webhooks, and registers the
    cluster with Connect, before those services are ready. The first attempts fail (connection
    refused, no endpoints for the webhook service, registration unavailable) and bmctl retries until
    they succeed. Here bmctl logged {transient.count} such error(s) and then reported the install
    steps as OK, so these lines say nothing about the problem being investigated.
    """
  remediation """
    Nothing to do: the installation retried the calls and went on. Look elsewhere for the cause of
    the problem at hand.
    """
  check """
    grep -E 'failed calling webhook|no endpoints available|Registering cluster' bmctl-workspace/<cluster>/log/create-cluster-*/create-cluster.log
    grep -E '\.\.\. OK|become ready OK' bmctl-workspace/<cluster>/log/create-cluster-*/create-cluster.log
    """
end
