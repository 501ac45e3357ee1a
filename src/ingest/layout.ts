/**
 * What a file's path says about it, in a bmctl / gkectl snapshot or a loose folder of node
 * outputs: which node it came from, which command produced it, which component a log is about.
 *
 * Real snapshots vary (design.md): the top folder need not match the archive name, command
 * output files keep spaces or turn them into `_`, node folders are IPs or host names, copied
 * files keep their path or are flattened. So everything here is a hint that parsers confirm by
 * content; nothing here rejects a file.
 */

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const NODE_PARENTS = new Set(['nodes', 'node', 'hosts', 'machines']);

/** Node name or IP from a path: `…/nodes/<node>/…`, else the closest ancestor that is an IPv4. */
export function nodeFromPath(path: string): string | undefined {
  const parts = path.split('/').filter(Boolean);
  for (let i = parts.length - 2; i >= 1; i--) {
    if (NODE_PARENTS.has(parts[i - 1].toLowerCase()) && HOSTNAME.test(parts[i])) return parts[i];
  }
  for (let i = parts.length - 2; i >= 0; i--) if (IPV4.test(parts[i])) return parts[i];
  return undefined;
}

/**
 * Normalise a file name to the command that produced it: lower-case, `_` and quotes as spaces,
 * a trailing `.txt`/`.log`/`.out` dropped. `journalctl_--utc_-u_kubelet` → `journalctl --utc -u kubelet`.
 * Names like `sudo_kubeadm_certs_check-expiration` keep their `sudo ` prefix removed too.
 */
export function commandFromName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\.(txt|out|log)$/, '')
    .replace(/[_"']/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^sudo /, '');
}

/**
 * Components whose logs kubesleuth knows by name, longest first so `kube-proxy` wins over
 * `kube`. Pod names carry generated suffixes (`kube-proxy-87b8t`, `anetd-5x2lq`).
 */
const COMPONENTS = [
  'stackdriver-log-forwarder', 'anthos-cluster-operator', 'gke-connect-agent', 'cluster-operator',
  'kube-controller-manager', 'kube-apiserver', 'kube-scheduler', 'kube-proxy', 'ip-masq-agent',
  'cilium-operator', 'cilium-agent', 'cilium', 'anetd', 'fluent-bit', 'containerd', 'dockerd',
  'coredns', 'kube-dns', 'kubelet', 'etcd', 'keepalived', 'haproxy', 'metallb', 'bmctl',
].sort((a, b) => b.length - a.length);

/** Component named in a file or pod name: `kube-proxy-87b8t` → `kube-proxy`. */
export function componentFromName(name: string): string | undefined {
  const n = name.toLowerCase();
  for (const c of COMPONENTS) {
    if (n === c || n.startsWith(`${c}-`) || n.startsWith(`${c}.`) || n.startsWith(`${c}_`)) return normaliseComponent(c);
  }
  return undefined;
}

/** anetd is GKE's Cilium; cilium-agent logs are read as cilium. */
function normaliseComponent(c: string): string {
  if (c === 'cilium-agent') return 'cilium';
  if (c === 'cluster-operator') return 'anthos-cluster-operator';
  return c;
}

/**
 * Pod name of a pod/container log from its path: `/var/log/pods/<ns>_<pod>_<uid>/…`,
 * `/var/log/containers/<pod>_<ns>_<container>-<id>.log`, `kubectl logs <pod>`, or a
 * `<pod>/<container>.log` folder whose name is a known component plus a generated suffix.
 */
export function podFromPath(path: string): string | undefined {
  const parts = path.split('/').filter(Boolean);
  const base = parts[parts.length - 1] ?? '';
  const logs = /^kubectl logs (?:.* )?(?:-n \S+ )?([a-z0-9][a-z0-9.-]*)/.exec(commandFromName(base));
  if (logs) return logs[1];
  const containers = /^([a-z0-9.-]+)_([a-z0-9-]+)_([a-z0-9-]+)-[0-9a-f]{64}\.log$/.exec(base);
  if (containers) return containers[1];
  // Snapshot layout: logs/<namespace>/<pod>/<container>.log
  const n = parts.length;
  if (n >= 4 && parts[n - 4] === 'logs' && /\.log(\.\d+)?$/.test(base)) return parts[n - 2];
  for (let i = parts.length - 2; i >= Math.max(0, parts.length - 3); i--) {
    const pods = /^([a-z0-9-]+)_([a-z0-9][a-z0-9.-]*)_[0-9a-f-]{36}$/.exec(parts[i]);
    if (pods) return pods[2];
    const c = componentFromName(parts[i]);
    if (c && parts[i].length > c.length + 1 && /-[a-z0-9]{5}$|-[a-z0-9]{8,10}-[a-z0-9]{5}$/.test(parts[i])) return parts[i];
  }
  return undefined;
}

/**
 * Component of a pod/container log from its path. Understands the kubelet layouts
 * (`/var/log/pods/<ns>_<pod>_<uid>/<container>/0.log`, `/var/log/containers/<pod>_<ns>_<container>-<id>.log`)
 * and snapshot layouts that put logs under `<ns>/<pod>/<container>.log` or name them after
 * `kubectl logs <pod>`.
 */
export function componentFromPath(path: string): string | undefined {
  const parts = path.split('/').filter(Boolean);
  const base = parts[parts.length - 1] ?? '';
  const cmd = commandFromName(base);
  const logs = /^kubectl logs (?:.* )?(?:-n \S+ )?([a-z0-9][a-z0-9.-]*)/.exec(cmd);
  if (logs) return componentFromName(logs[1]);
  // /var/log/containers/<pod>_<ns>_<container>-<id>.log
  const containers = /^([a-z0-9.-]+)_([a-z0-9-]+)_([a-z0-9-]+)-[0-9a-f]{64}\.log$/.exec(base);
  if (containers) return componentFromName(containers[3]) ?? componentFromName(containers[1]);
  // The file itself, its folder (container), then the pod folder.
  for (let i = parts.length - 1; i >= Math.max(0, parts.length - 3); i--) {
    const seg = parts[i].includes('_') && i < parts.length - 1 ? parts[i].split('_')[1] ?? parts[i] : parts[i];
    const c = componentFromName(seg);
    if (c) return c;
  }
  return undefined;
}
