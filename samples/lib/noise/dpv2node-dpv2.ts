/**
 * Dataplane V2 flow records for the policy and conntrack scenarios: GKE network policy logging
 * (one JSON object per connection verdict) and a `cilium monitor --type drop` capture taken in
 * the anetd pod, both kept with that pod's logs (`logs/kube-system/<anetd pod>/…`), where a
 * support engineer who ran them puts them.
 *
 * Sample output:
 *   {"connection":{"src_ip":"192.168.2.14","dest_ip":"192.168.2.14","src_port":43822,"dest_port":3000,"protocol":"tcp","direction":"ingress"},"disposition":"deny",…}
 *   xx drop (Policy denied) flow 0x5a9e1b2c to endpoint 1529, ifindex 27, file bpf_lxc.c:1865, , identity 48213->48213: 192.168.2.14:43822 -> 192.168.2.14:3000 tcp SYN
 */
import type { Cluster, Node, Pod } from '../cluster.js';
import { rfc3339Nano } from '../time.js';

/** The anetd pod of a node. */
export function anetdPod(c: Cluster, node: Node): Pod {
  const p = c.pods.find((x) => x.workload.name === 'anetd' && x.node === node.name);
  if (!p) throw new Error(`no anetd pod on ${node.name}`);
  return p;
}

/** Where a capture taken in a node's anetd pod is kept in the bundle. */
export function anetdCapturePath(c: Cluster, node: Node, file: string): string {
  const p = anetdPod(c, node);
  return `logs/${p.namespace}/${p.name}/${file}`;
}

/** One end of a connection as policy logging names it. */
export interface Peer {
  pod: Pod;
  port: number;
}

export interface PolicyVerdict {
  t: number;
  src: Peer;
  dest: Peer;
  disposition: 'allow' | 'deny';
  /** Policies that allowed the flow (allow only). */
  policies?: string[];
  node: Node;
}

function peer(p: Pod): Record<string, string> {
  const kind = p.workload.kind === 'Static' ? 'Pod' : p.workload.kind;
  return { pod_name: p.name, pod_namespace: p.namespace, workload_name: p.workload.name, workload_kind: kind };
}

/** GKE network policy logging: one JSON line per verdict, oldest first. */
export function policyActionLog(verdicts: readonly PolicyVerdict[]): string {
  const lines = verdicts.slice().sort((a, b) => a.t - b.t).map((v) => JSON.stringify({
    connection: { src_ip: v.src.pod.ip, dest_ip: v.dest.pod.ip, src_port: v.src.port, dest_port: v.dest.port, protocol: 'tcp', direction: 'ingress' },
    disposition: v.disposition,
    ...(v.policies ? { policies: v.policies.map((name) => ({ name, namespace: v.dest.pod.namespace })) } : {}),
    src: peer(v.src.pod),
    dest: peer(v.dest.pod),
    count: 1,
    node_name: v.node.name,
    timestamp: rfc3339Nano(v.t),
  }));
  return `${lines.join('\n')}\n`;
}

/** A datapath drop as `cilium monitor --type drop` prints it. */
export interface Drop {
  reason: string;
  flow: string;
  endpoint: number;
  ifindex: number;
  file: string;
  srcIdentity: number;
  dstIdentity: number;
  src: string;
  dst: string;
  flags: string;
}

/** `cilium monitor --type drop` output: the banner, then one line per drop. */
export function ciliumMonitorDrops(cpus: number, drops: readonly Drop[]): string {
  const lines = [
    `Listening for events on ${cpus} CPUs with 64x4096 of shared memory`,
    'Press Ctrl-C to quit',
    'level=info msg="Initializing dissection cache..." subsys=monitor',
    ...drops.map((d) => `xx drop (${d.reason}) flow ${d.flow} to endpoint ${d.endpoint}, ifindex ${d.ifindex}, file ${d.file}, , identity ${d.srcIdentity}->${d.dstIdentity}: ${d.src} -> ${d.dst} tcp ${d.flags}`),
  ];
  return `${lines.join('\n')}\n`;
}
