/**
 * Facts of a bundle: versions, cluster identity, nodes, OS/kernel — whatever a signature's
 * version checks or the inventory needs. Every value keeps the location it was read from, so
 * a report can say *why* it believes the bundle runs kube-proxy v1.13.0.
 */
import type { SourceLocation } from './event.js';

export interface FactValue {
  value: string;
  node?: string;
  loc: SourceLocation;
}

/**
 * Well-known fact names. Version facts are named after the component as signatures spell it
 * (`kube-proxy`, `anthos-bare-metal`, `kubernetes`, `kubelet`, `runc`, `containerd`, `docker`,
 * `kernel`, `gke`); others describe the cluster and its nodes.
 */
export const KNOWN_FACTS = [
  'cluster.name', 'snapshot.kind',
  'anthos-bare-metal', 'kubernetes', 'kubelet', 'kube-proxy', 'gke', 'containerd', 'docker', 'runc',
  'cilium', 'ip-masq-agent',
  'kernel', 'os.id', 'os.version', 'os.name', 'container-runtime', 'cgroup.version', 'selinux.mode',
  'pod.cidr', 'service.cidr', 'node', 'node.role', 'node.ip',
] as const;

/** Collects facts; several values per name are kept (one per node, or conflicting sources). */
export class FactStore {
  private readonly byName = new Map<string, FactValue[]>();

  /** Add a fact; false when it was already known (same value, same node) or the list is full. */
  add(name: string, value: string, loc: SourceLocation, node?: string): boolean {
    const list = this.byName.get(name) ?? [];
    // The same value seen again on the same node adds nothing but noise.
    if (list.some((f) => f.value === value && f.node === node)) return false;
    if (list.length >= 256) return false; // bounded: a fleet of 10 000 nodes is not a fact list
    list.push({ value, node, loc });
    this.byName.set(name, list);
    return true;
  }

  get(name: string): readonly FactValue[] {
    return this.byName.get(name) ?? [];
  }

  /** Distinct values of one fact, sorted, for display. */
  values(name: string): string[] {
    return [...new Set(this.get(name).map((f) => f.value))].sort();
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  toJSON(): Record<string, FactValue[]> {
    const out: Record<string, FactValue[]> = {};
    for (const name of this.names()) out[name] = this.byName.get(name)!;
    return out;
  }
}
