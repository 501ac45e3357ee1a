# After a cluster CA rotation the `default` ClientConfig in kube-public keeps the old CA, so user
# authentication through it fails (seed 002, security: cluster CA rotation, preview feature).
signature ca-rotation-clientconfig-stale
  title      "ClientConfig still carries the cluster CA from before a CA rotation: user authentication fails"
  kind       issue
  severity   high
  component  security
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, security: cluster CA rotation (preview)"

  # The k8s-objects parser replaces certificate data by its size and a sha256 fingerprint of the
  # base64 text (`[REDACTED 1127 bytes sha256:16766bedf481afb3]`), the same way for a
  # ClientConfig's certificateAuthorityData and a kubeconfig's certificate-authority-data, so
  # equal CAs give equal values.
  evidence current "the cluster's current CA, from the kubeconfig bmctl wrote" weight 1
    from k8s.object where objectKind == "Config"
      and "clusters.0.cluster.certificate-authority-data" ~ /REDACTED \d{3,} bytes sha256:/
    needs "the cluster's kubeconfig after the rotation (bmctl-workspace/<cluster>/<cluster>-kubeconfig), or `kubectl config view --raw --minify`"

  evidence stale "the default ClientConfig's CA is not the cluster's current CA" weight 3
    from k8s.object where objectKind == "ClientConfig" and namespace == "kube-public" and name == "default"
      and "spec.certificateAuthorityData" exists
      and "spec.certificateAuthorityData" not in current."clusters.0.cluster.certificate-authority-data"
    needs "kubectl get clientconfig default -n kube-public -o yaml"

  # `bmctl update credentials certificate-authorities rotate` (1.9 and later) or
  # `bmctl update credentials --cluster-ca` (1.8), from bmctl's update-credentials log.
  evidence rotated "the cluster CA was rotated" weight 2
    from log where source == "bmctl"
      and message ~ /bmctl update credentials\b.*(?:certificate-authorities rotate|--cluster-ca)|CA rotation (?:is )?completed?\b/i
    needs "the bmctl update-credentials log (bmctl-workspace/<cluster>/log/update-credentials-<timestamp>/update-credentials.log)"

  condition stale and current and rotated

  explanation """
    Rotating the cluster CA (a preview feature) replaces the CA of the API server, but does not
    update the ClientConfig that the authentication flows (Anthos Identity Service, OIDC/LDAP
    logins with gcloud or kubectl) read the cluster CA from: the `default` ClientConfig in
    kube-public. Clients then distrust the API server's new certificate and every user login
    fails.
    The CA was rotated with bmctl at {rotated.first}. Compared by size and sha256 fingerprint,
    the default ClientConfig holds {stale.spec.certificateAuthorityData}, while the cluster's
    kubeconfig holds {current.clusters.0.cluster.certificate-authority-data}.
    """
  remediation """
    Put the current cluster CA into the ClientConfig. Take the CA from the kubeconfig bmctl wrote
    after the rotation (already base64-encoded, as the ClientConfig wants it) and patch it in:
      CA=$(kubectl config view --raw --minify --kubeconfig bmctl-workspace/CLUSTER_NAME/CLUSTER_NAME-kubeconfig \
          -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
      kubectl --kubeconfig bmctl-workspace/CLUSTER_NAME/CLUSTER_NAME-kubeconfig -n kube-public \
          patch clientconfig default --type merge -p "{\"spec\":{\"certificateAuthorityData\":\"$CA\"}}"
    Users then fetch the login configuration again (for example `gcloud anthos create-login-config`)
    and log in.
    """
  check """
    kubectl -n kube-public get clientconfig default -o jsonpath='{.spec.certificateAuthorityData}' | sha256sum
    kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | sha256sum
    # the two sums differ when the ClientConfig still has the old CA
    """
end
