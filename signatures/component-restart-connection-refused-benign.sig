# `connection refused` from the apiserver or a local component while it (re)starts.
signature component-restart-connection-refused-benign
  title      "Connection refused while the apiserver or a local component restarted (harmless)"
  kind       benign
  severity   info
  component  node
  platforms  any

  # Clients that start before the server they call: kubelet informers, kube-proxy and anetd calling
  # the apiserver (VIP:443, :6443, :6444), etcd (:2379), kubelet's own ports. Calls through an HTTP
  # proxy (`proxyconnect`) and webhook calls are somebody else's business. Structured kubelet and
  # kube-proxy lines (1.21+) carry the dial error in a field (`"Unable to register node with API
  # server" err="Post \"https://…:6443/api/v1/nodes\": dial tcp …: connect: connection refused"`),
  # so the whole line is read.
  evidence refused "connection refused by the apiserver or a local component"
    from log where text ~ /dial tcp (?:\[[0-9a-fA-F:.]+\]|\d+\.\d+\.\d+\.\d+|localhost):(?:443|6443|6444|2379|2380|10248|10250|10256|10257|10259): connect: connection refused|The connection to the server \S+ was refused/
      and text !~ /proxyconnect|failed calling webhook/
    needs "kubelet journal and kube-proxy / anetd pod logs"

  # The same components then report normal operation (`Caches are synced for service config`,
  # or the structured `"Caches are synced" controller="…"` of newer client-go).
  evidence recovered "the components then reached the server"
    from log where message ~ /Successfully registered node|Node \S+ was previously registered|Successfully retrieved node IP|Connected to apiserver|Caches are synced\b|successfully acquired lease/

  # A server that never comes back: refusals keep coming.
  evidence persistent "connection refused keeps coming (30 or more within 15 minutes)"
    from log where text ~ /dial tcp (?:\[[0-9a-fA-F:.]+\]|\d+\.\d+\.\d+\.\d+|localhost):(?:443|6443|6444|2379|2380|10248|10250|10256|10257|10259): connect: connection refused|The connection to the server \S+ was refused/
      and text !~ /proxyconnect|failed calling webhook/
    count >= 30 within 15m

  condition per node refused and (recovered after refused) and not persistent

  explanation """
    When a node boots or a control-plane component restarts, its clients start before the server
    they call is listening and get `connection refused` until it is. On {refused.nodes} there were
    {refused.count} such line(s), followed by the components reaching the server (registering the
    node, syncing their caches) and no lasting stream of refusals.
    """
  remediation """
    Nothing to do for these lines: they belong to the start-up of the component.
    """
  check """
    journalctl -u kubelet | grep 'connection refused' | head
    journalctl -u kubelet | grep -E 'Successfully registered node|was previously registered'
    """
end
