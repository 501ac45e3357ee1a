/**
 * `kubectl get` tables at snapshot time: pods, nodes, services and endpoints, either across all
 * namespaces (with a NAMESPACE column) or for one namespace (without it), laid out the way
 * kubectl's tab writer does (columns padded to the widest cell plus three spaces).
 *
 * Sample output (`kubectl get endpoints -A`):
 *   NAMESPACE     NAME         ENDPOINTS                                        AGE
 *   default       kubernetes   10.200.0.3:6444                                  47d
 *   kube-system   kube-dns     192.168.1.4:53,192.168.2.7:53,192.168.1.4:53 + 3 more...   47d
 */
import { type Cluster, type Service, endpointAddresses, nodeByName } from '../cluster.js';
import { kubectlAge } from '../time.js';

/** kubectl's column layout: every column but the last padded to its widest cell + 3. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] + 3))).join('');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export interface KubectlScope {
  /** One namespace (no NAMESPACE column); all namespaces when absent. */
  namespace?: string;
}

const byNamespaceName = <T extends { namespace: string; name: string }>(a: T, b: T): number =>
  a.namespace === b.namespace ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.namespace < b.namespace ? -1 : 1;

function scoped<T extends { namespace: string; name: string }>(items: T[], scope: KubectlScope): T[] {
  return items.filter((x) => scope.namespace === undefined || x.namespace === scope.namespace).sort(byNamespaceName);
}

function withNamespace(scope: KubectlScope, header: string[], rows: [string, string[]][]): string {
  if (scope.namespace !== undefined) return rows.length ? table(header, rows.map(([, r]) => r)) : `No resources found in ${scope.namespace} namespace.\n`;
  return table(['NAMESPACE', ...header], rows.map(([ns, r]) => [ns, ...r]));
}

/** Namespaces that hold something, sorted. */
export function namespaces(c: Cluster): string[] {
  return [...new Set([...c.pods.map((p) => p.namespace), ...c.services.map((s) => s.namespace)])].sort();
}

export function getPodsWide(c: Cluster, scope: KubectlScope = {}): string {
  const rows = scoped(c.pods, scope).map((p): [string, string[]] => {
    const node = nodeByName(c, p.node);
    const total = p.containers.length;
    const ready = p.phase === 'Succeeded' || !node.ready ? 0 : total;
    const restarts = p.containers.reduce((n, ct) => n + ct.restarts, 0);
    return [p.namespace, [
      p.name, `${ready}/${total}`, p.phase === 'Succeeded' ? 'Completed' : 'Running', String(restarts),
      kubectlAge(c.end - p.created), p.ip, p.node, '<none>', '<none>',
    ]];
  });
  return withNamespace(scope, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'], rows);
}

export function getNodesWide(c: Cluster): string {
  const rows = c.nodes.map((n) => [
    n.name, n.ready ? 'Ready' : 'NotReady', n.role === 'control-plane' ? 'control-plane,master' : '<none>',
    kubectlAge(c.end - c.created - n.index * 9 * 60_000_000), c.kubernetesVersion, n.ip, '<none>',
    c.os.prettyName, c.os.kernel, `containerd://${c.containerdVersion}`,
  ]);
  return table(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'], rows);
}

function ports(s: Service): string {
  return s.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',');
}

export function getServices(c: Cluster, scope: KubectlScope = {}): string {
  const rows = scoped(c.services, scope).map((s): [string, string[]] => [s.namespace, [
    s.name, s.type, s.clusterIP, s.externalIP ?? '<none>', ports(s), kubectlAge(c.end - s.created),
  ]]);
  return withNamespace(scope, ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], rows);
}

/** The ENDPOINTS cell: `ip:port` for every port and address, at most three, then `+ N more...`. */
export function endpointsCell(c: Cluster, s: Service): string {
  const addrs = endpointAddresses(c, s).slice().sort();
  const list: string[] = [];
  for (const p of s.ports) for (const a of addrs) list.push(`${a}:${p.targetPort}`);
  if (list.length === 0) return '<none>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

export function getEndpoints(c: Cluster, scope: KubectlScope = {}): string {
  const rows = scoped(c.services, scope).map((s): [string, string[]] => [s.namespace, [
    s.name, endpointsCell(c, s), kubectlAge(c.end - s.created),
  ]]);
  return withNamespace(scope, ['NAME', 'ENDPOINTS', 'AGE'], rows);
}

