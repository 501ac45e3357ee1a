/**
 * One row per node for the inventory: name, roles, IP, OS, kernel, runtime and kubelet, joined
 * from every source that names the node. kubectl names nodes (`lab-core-3-cp-1`) while the
 * snapshot layout names their folders by address (`nodes/10.200.0.2/`); the two meet through
 * the node's InternalIP (`node.ip`) or the host name its journal prints (`node` facts).
 */
import type { FactValue } from './model/facts.js';

export interface NodeRow {
  /** Kubernetes node name, else the snapshot folder. */
  name: string;
  /** The node's folder in the snapshot, when it has one. */
  folder?: string;
  roles: string[];
  ip?: string;
  os?: string;
  kernel?: string;
  runtime?: string;
  kubelet?: string;
}

type Facts = Record<string, readonly FactValue[]>;

/** Values of one fact recorded for any of `keys`; the longest first (`Ubuntu 20.04.2 LTS` over `Ubuntu`). */
function valuesFor(facts: Facts, name: string, keys: readonly string[]): string[] {
  const vs = (facts[name] ?? []).filter((f) => f.node !== undefined && keys.includes(f.node)).map((f) => f.value);
  return [...new Set(vs)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

export function nodeTable(facts: Facts, folders: readonly string[]): NodeRow[] {
  // Kubernetes node names: kubectl records `node` with the node as its own key.
  const names = [...new Set((facts.node ?? []).filter((f) => f.node === f.value).map((f) => f.value))].sort();
  const folderOf = new Map<string, string>();
  for (const f of facts['node.ip'] ?? []) if (f.node && folders.includes(f.value)) folderOf.set(f.node, f.value);
  for (const f of facts.node ?? []) {
    if (f.node && f.node !== f.value && folders.includes(f.node) && names.includes(f.value) && !folderOf.has(f.value)) folderOf.set(f.value, f.node);
  }
  const rows: NodeRow[] = [];
  const row = (name: string, folder: string | undefined): NodeRow => {
    const keys = folder ? [name, folder] : [name];
    const one = (fact: string) => valuesFor(facts, fact, keys)[0];
    return {
      name, folder, roles: valuesFor(facts, 'node.role', keys).sort(),
      ip: one('node.ip') ?? (folder && /^[\d.]+$|:/.test(folder) ? folder : undefined),
      os: one('os.name'), kernel: one('kernel'), runtime: one('container-runtime'), kubelet: one('kubelet'),
    };
  };
  for (const name of names) rows.push(row(name, folderOf.get(name)));
  const joined = new Set(folderOf.values());
  for (const folder of folders) {
    if (joined.has(folder) || names.includes(folder)) continue;
    // No kubectl view of this node: its journal's host name, else the folder.
    const host = (facts.node ?? []).find((f) => f.node === folder && f.value !== folder)?.value;
    rows.push(row(host ?? folder, folder));
  }
  return rows;
}
