/**
 * The bundle inventory: what the bundle is, which files each parser read, which files were not
 * understood, and which command outputs a complete snapshot would have had but this one lacks —
 * so an engineer knows what to ask the customer for.
 */
import type { FileRecord } from './ingest/read-bundle.js';

interface Expected {
  what: string;
  test: (f: FileRecord) => boolean;
}

const byParser = (...ids: string[]) => (f: FileRecord) => !!f.parser && ids.includes(f.parser);
const byName = (re: RegExp) => (f: FileRecord) => re.test(f.address.toLowerCase().replace(/_/g, ' '));

/** Node command outputs a complete bmctl snapshot carries (docs: bmctl check cluster --snapshot). */
export const EXPECTED_PER_NODE: Expected[] = [
  { what: 'journalctl --utc -u kubelet', test: (f) => byParser('journal', 'klog')(f) && byName(/kubelet/)(f) },
  { what: 'journalctl --utc -u containerd (or docker)', test: (f) => byParser('journal')(f) && byName(/containerd|docker/)(f) },
  { what: 'dmesg or journalctl --dmesg', test: (f) => byParser('dmesg')(f) || (byParser('journal')(f) && byName(/dmesg| -k\b/)(f)) },
  { what: 'ps -edF / ps -eo …', test: byParser('ps') },
  { what: 'iptables-save', test: byParser('iptables') },
  { what: 'mount', test: byParser('mount') },
  { what: 'ip addr', test: byParser('ip') },
  { what: 'conntrack --count', test: byParser('conntrack') },
  { what: 'crictl ps -a or docker ps -a', test: byParser('containers') },
  { what: 'uname -a', test: byParser('uname', 'os-release') },
];

export const EXPECTED_CLUSTER: Expected[] = [
  { what: 'kubectl get pods -o wide --all-namespaces', test: (f) => byParser('kubectl-table', 'k8s-objects')(f) && byName(/pods?\b/)(f) },
  { what: 'kubectl get nodes -o wide', test: (f) => byParser('kubectl-table', 'k8s-objects')(f) && byName(/nodes?\b/)(f) },
  { what: 'kube-proxy pod logs', test: (f) => f.component === 'kube-proxy' },
  { what: 'cluster config (bmctl-workspace/<cluster>/<cluster>.yaml)', test: (f) => byParser('k8s-objects', 'cluster-config')(f) && byName(/bmctl-workspace|cluster.*\.ya?ml/)(f) },
];

export interface Inventory {
  byParser: { parser: string; files: number; lines: number; events: number; bytes: number }[];
  notUnderstood: { address: string; reason: string; bytes: number }[];
  missing: { node?: string; what: string }[];
}

export function buildInventory(files: FileRecord[], nodes: string[]): Inventory {
  const agg = new Map<string, { parser: string; files: number; lines: number; events: number; bytes: number }>();
  for (const f of files) {
    if (!f.parser) continue;
    const a = agg.get(f.parser) ?? { parser: f.parser, files: 0, lines: 0, events: 0, bytes: 0 };
    a.files++; a.lines += f.lines; a.events += f.events; a.bytes += f.bytes;
    agg.set(f.parser, a);
  }
  const missing: { node?: string; what: string }[] = [];
  for (const node of nodes) {
    const nodeFiles = files.filter((f) => f.node === node);
    for (const e of EXPECTED_PER_NODE) if (!nodeFiles.some(e.test)) missing.push({ node, what: e.what });
  }
  for (const e of EXPECTED_CLUSTER) if (!files.some(e.test)) missing.push({ what: e.what });
  return {
    byParser: [...agg.values()].sort((a, b) => (a.parser < b.parser ? -1 : 1)),
    notUnderstood: files.filter((f) => !f.parser).map((f) => ({ address: f.address, reason: f.reason ?? 'not understood', bytes: f.bytes })),
    missing,
  };
}
