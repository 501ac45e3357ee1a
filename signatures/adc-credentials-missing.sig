# bmctl needs Application Default Credentials when clusterOperations.location is not "global" (seed 002).
signature adc-credentials-missing
  title      "bmctl cannot find Application Default Credentials to validate the cluster's location"
  kind       issue
  severity   medium
  component  bmctl
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, application default credentials and bmctl"

  # The Google auth library's error when ADC is absent (`google: could not find default
  # credentials. See … for more information.`), or when GOOGLE_APPLICATION_CREDENTIALS names a file
  # it cannot read. Matched in any log: bmctl's own log, its console output, a CI job log.
  evidence nocreds "bmctl found no Application Default Credentials" weight 3
    from log where message ~ /google: could not find default credentials|google: error getting credentials using GOOGLE_APPLICATION_CREDENTIALS environment variable/
    needs "the bmctl log of the failing command (bmctl-workspace/<cluster>/log/<command>-<timestamp>/…)"

  # Only a regional location makes bmctl look the location up with ADC.
  evidence location "clusterOperations.location is a region, not global" weight 1
    from k8s.object where objectKind == "Cluster"
      and "spec.clusterOperations.location" exists
      and "spec.clusterOperations.location" != "global"
    needs "the cluster config (bmctl-workspace/<cluster>/<cluster>.yaml)"

  condition nocreds and location

  explanation """
    When `clusterOperations.location` in the cluster spec is a region rather than `global`, bmctl
    checks that location against Google Cloud, and does so with Application Default Credentials
    (ADC), not with the service account key files named in the cluster config. On a workstation
    where neither GOOGLE_APPLICATION_CREDENTIALS is set nor `gcloud auth application-default login`
    was run, the command stops with "could not find default credentials". Here bmctl failed that
    way {nocreds.count} time(s); the cluster's location is {location.spec.clusterOperations.location}.
    """
  remediation """
    Give bmctl Application Default Credentials on the admin workstation, then rerun the command:
      export GOOGLE_APPLICATION_CREDENTIALS=<path to a service account key JSON file>
    or, as a user with access to the project:
      gcloud auth application-default login
    """
  check """
    echo "$GOOGLE_APPLICATION_CREDENTIALS"; ls -l "$GOOGLE_APPLICATION_CREDENTIALS"
    gcloud auth application-default print-access-token >/dev/null && echo ADC ok
    grep -A4 clusterOperations: bmctl-workspace/<cluster>/<cluster>.yaml
    """
end
