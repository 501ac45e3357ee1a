/**
 * The closed vocabularies of the signature language. A signature that uses a word outside
 * these lists is a load error (a typo must never become a signature that silently never fires).
 */

export const SIGNATURE_KINDS = ['issue', 'benign', 'advisory'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

export const PLATFORMS = ['anthos-bare-metal', 'gke', 'gke-on-vmware', 'kubernetes', 'any'] as const;

/** Components a signature can be filed under (`signatures list --component`). */
export const COMPONENTS = [
  'anetd', 'anthos-cluster-operator', 'bmctl', 'cilium', 'cluster-lifecycle', 'containerd', 'dataplane-v2',
  'docker', 'egress-nat', 'gke-connect-agent', 'install', 'ip-masq-agent', 'kernel', 'kube-proxy', 'kubelet',
  'load-balancer', 'logging', 'networking', 'node', 'os', 'runc', 'security', 'selinux', 'snapshot', 'storage', 'upgrade',
] as const;

/** Facts that hold versions, usable in `affects` / `fixed`. */
export const VERSION_FACTS = [
  'anthos-bare-metal', 'cilium', 'containerd', 'docker', 'gke', 'ip-masq-agent', 'kernel', 'kube-proxy', 'kubelet',
  'kubernetes', 'os.version', 'runc',
] as const;

/** Properties every event has, whatever its kind. */
export const EVENT_PROPERTIES = ['source', 'kind', 'node', 'time', 'severity', 'message', 'text'] as const;
