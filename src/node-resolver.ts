/**
 * Puts every event on one name per machine. kubectl names nodes (`lab-core-3-cp-1`), the
 * snapshot names their folders by address (`10.200.0.2`), and a pod log names only its pod;
 * the node tables and pod listings in the same bundle say how these meet. The name kept is the
 * snapshot folder's address, as in scan reports.
 */
import type { Event } from './model/event.js';

const NODE_IP_MESSAGE = 'Successfully retrieved node IP';
const IP_ADDRESS = /\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\b/i;

export class NodeResolver {
  private readonly aliases = new Map<string, string>();
  private readonly podNodes = new Map<string, string>();
  /** Pod → node address, from what the pod's own log says. */
  private readonly logNodes = new Map<string, string>();

  /** Learn node addresses and pod placements from kubectl tables and objects. */
  learn(e: Event): void {
    if (e.kind === 'log') { this.learnFromLog(e); return; }
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

  /**
   * Learn a pod's node from its own log when no kubectl listing says: kube-proxy logs the node's
   * IP when it starts (`Successfully retrieved node IP: 10.200.0.9`, or structured
   * `"Successfully retrieved node IP(s)" IPs=[10.200.0.9]`). A kubectl listing still wins.
   */
  learnFromLog(e: Event): void {
    if (e.pod === undefined || this.logNodes.has(e.pod) || !e.message?.startsWith(NODE_IP_MESSAGE)) return;
    const ips = e.fields.IPs;
    const ip = IP_ADDRESS.exec(typeof ips === 'string' ? ips : e.message.slice(NODE_IP_MESSAGE.length));
    if (ip) this.logNodes.set(e.pod, ip[0]);
  }

  /** The address a node name stands for, else the name itself. */
  canonical(name: string): string {
    return this.aliases.get(name) ?? name;
  }

  /** The node a pod ran on, as kubectl names it, when the bundle says. */
  nodeOfPod(pod: string): string | undefined {
    return this.podNodes.get(pod) ?? this.logNodes.get(pod);
  }

  /** The node an event happened on: its own, else the node its pod ran on. */
  nodeOf(e: Pick<Event, 'node' | 'pod'>): string | undefined {
    const named = e.node ?? (e.pod ? this.nodeOfPod(e.pod) : undefined);
    return named === undefined ? undefined : this.canonical(named);
  }
}
