/**
 * Pod lifecycle on one node, shared by the kubelet and containerd journals so both tell the
 * same story: which pods a node started after booting, which a rollout stopped or added, and
 * which image pulls backed off first.
 */
import { type Cluster, type Node, type Pod, type Rollout } from '../cluster.js';
import { Rng } from '../rng.js';

export interface PodLife {
  pod: Pod;
  /** Sandbox start on this boot. */
  start: number;
  /** Deletion during the window, if any. */
  stop?: number;
  /** Container attempt number on this boot (1 after a reboot restart, else 0). */
  attempt: number;
  /** The rollout that created the pod, when its first image pull backs off. */
  backOff?: Rollout;
}

/** Every pod that ran on the node during the window, in start order. */
export function podLives(c: Cluster, node: Node): PodLife[] {
  const out: PodLife[] = [];
  for (const pod of [...c.pods, ...c.pastPods]) {
    if (pod.node !== node.name || pod.phase !== 'Running' || pod.started < node.boot) continue;
    const r = c.rollouts.find((x) => x.newPods[0] === pod && x.pullBackOff);
    out.push({ pod, start: pod.started, stop: pod.deleted, attempt: pod.containers[0]?.restarts ?? 0, backOff: r });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** `name_namespace(uid)`, the way the kubelet names a pod in its logs. */
export function podRef(p: Pod): string {
  return `${p.name}_${p.namespace}(${p.uid})`;
}

/** Service account of a pod's workload. */
export function serviceAccount(p: Pod): string {
  const w = p.workload.name;
  if (['kube-proxy', 'anetd', 'coredns', 'metrics-server', 'kube-state-metrics', 'node-exporter', 'localpv', 'stackdriver-log-forwarder'].includes(w)) return w;
  if (w === 'istio-ingress') return 'istio-ingress-service-account';
  return 'default';
}

/** The secret volume holding the pod's service account token (`kube-proxy-token-x7k2p`). */
export function tokenVolume(p: Pod): string {
  return `${serviceAccount(p)}-token-${new Rng(`token/${p.namespace}/${serviceAccount(p)}`).k8sSuffix()}`;
}

/** Short (13 hex) container id, as crictl and some logs print it. */
export function shortId(id: string): string {
  return id.slice(0, 13);
}
