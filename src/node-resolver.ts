/**
 * Puts every event on one name per machine. kubectl names nodes (`lab-core-3-cp-1`), the
 * snapshot names their folders by address (`10.200.0.2`), and a pod log names only its pod;
 * the node tables and pod listings in the same bundle say how these meet. The name kept is the
 * snapshot folder's address, as in scan reports.
 */
import type { Event } from './model/event.js';

export class NodeResolver {
  private readonly aliases = new Map<string, string>();
  private readonly podNodes = new Map<string, string>();

  /** Learn node addresses and pod placements from kubectl tables and objects. */
  learn(e: Event): void {
    const f = e.fields;
    if (e.kind === 'k8s.row' && f.resource === 'nodes' && typeof f.name === 'string' && typeof f['internal-ip'] === 'string') this.aliases.set(f.name, f['internal-ip']);
    if (e.kind === 'k8s.object' && f.objectKind === 'Node' && typeof f.name === 'string') {
      for (let i = 0; i < 8; i++) {
        const address = f[`status.addresses.${i}.address`];
        if (f[`status.addresses.${i}.type`] === 'InternalIP' && typeof address === 'string') { this.aliases.set(f.name, address); break; }
      }
    }
    if (e.kind === 'k8s.row' && f.resource === 'pods' && typeof f.name === 'string' && typeof f.node === 'string' && f.node !== '<none>') this.podNodes.set(f.name, f.node);
    if (e.kind === 'k8s.object' && f.objectKind === 'Pod' && typeof f.name === 'string' && typeof f['spec.nodeName'] === 'string') this.podNodes.set(f.name, f['spec.nodeName']);
  }

  /** The address a node name stands for, else the name itself. */
  canonical(name: string): string {
    return this.aliases.get(name) ?? name;
  }

  /** The node a pod ran on, as kubectl names it, when the bundle says. */
  nodeOfPod(pod: string): string | undefined {
    return this.podNodes.get(pod);
  }

  /** The node an event happened on: its own, else the node its pod ran on. */
  nodeOf(e: Event): string | undefined {
    const named = e.node ?? (e.pod ? this.podNodes.get(e.pod) : undefined);
    return named === undefined ? undefined : this.canonical(named);
  }
}
