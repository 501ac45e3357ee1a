/**
 * Which component wrote a log, from its content, for logs whose path names none: a customer's
 * `kubectl logs kube-proxy-… > out.txt`, a `proxy.log`, an excerpt pasted into a ticket. klog
 * headers name the Go source file that logged each line (`graceful_termination.go:160]`);
 * some files belong to one component only. Used only when the path gave no component.
 */

/** Source files that only one component logs from; names shared by several are left out. */
const CALLERS: Record<string, string> = {
  'graceful_termination.go': 'kube-proxy',
  'proxier.go': 'kube-proxy',
  'server_others.go': 'kube-proxy',
  'ipset.go': 'kube-proxy',
  'kubelet.go': 'kubelet',
  'kubelet_node_status.go': 'kubelet',
  'kubelet_pods.go': 'kubelet',
  'kubelet_volumes.go': 'kubelet',
  'kubelet_network.go': 'kubelet',
  'kuberuntime_manager.go': 'kubelet',
  'kuberuntime_container.go': 'kubelet',
  'kuberuntime_sandbox.go': 'kubelet',
  'pod_workers.go': 'kubelet',
  'eviction_manager.go': 'kubelet',
  'container_manager_linux.go': 'kubelet',
};

/** `I0517 23:42:46.043950       1 graceful_termination.go:160] …`, or the bare `file.go:NN] …` of an excerpt. */
const CALLER = /(?:^|\s)([a-z0-9_]+\.go):\d+\]/;

/** The component named by most recognised callers in the first lines; none on a tie. */
export function componentFromContent(head: string): string | undefined {
  const votes = new Map<string, number>();
  for (const line of head.split('\n', 40)) {
    const m = CALLER.exec(line);
    const component = m ? CALLERS[m[1]] : undefined;
    if (component) votes.set(component, (votes.get(component) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0 || (ranked.length > 1 && ranked[0][1] === ranked[1][1])) return undefined;
  return ranked[0][0];
}
