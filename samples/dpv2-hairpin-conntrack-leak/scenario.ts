/**
 * dpv2-hairpin-conntrack-leak: hairpin TCP connections (a pod to itself through its Service)
 * leak eBPF conntrack entries on Dataplane V2, and later connections reusing a leaked tuple lose
 * their return packets (seed 001).
 *
 * Positive: cluster ord-api-4 (Dataplane V2, Kubernetes v1.27.8-gke.1067004). checkout posts an
 * order callback to its own Service (`checkout.shop.svc`) for every order, one short-lived
 * connection each. A `cilium monitor --type drop` capture taken in the anetd pod of the node
 * running checkout shows datapath drops of return packets on tuples whose two ends are that pod
 * (and the SNAT loopback 169.254.42.1), and checkout logs callback timeouts.
 *
 * Negative: the same cluster and version. The capture holds drops too, but between different
 * pods: connections to the IP of a pod a rollout had just removed (`Stale or unroutable IP`) and
 * policy denials; checkout does not call itself.
 */
import { type Cluster, type ClusterOptions, type Node, type Pod, buildCluster, findPod, findService, nodeByName } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, MIN, SEC, rfc3339Nano } from '../lib/time.js';
import { type Rec, fixed } from '../lib/timeline.js';
import { addFiles } from '../lib/noise/dpv2node-bundle.js';
import { type Drop, anetdCapturePath, ciliumMonitorDrops } from '../lib/noise/dpv2node-dpv2.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { type NameStyle, snapshot } from '../lib/snapshot.js';

const STYLE: NameStyle = 'underscores';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'ord-api-4',
    name: 'ord-api-4',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.16.4',
    kubernetesVersion: 'v1.27.8-gke.1067004',
    kubeProxy: { version: 'v1.27.8-gke.1067004', mode: 'iptables' },
    runcVersion: '1.1.9',
    containerdVersion: '1.6.24',
    start: '2025-03-18T08:00:00Z',
    hours: 4,
    rollouts: [{ deployment: 'shop/catalog', at: '2025-03-18T10:40:00Z' }],
  };
  return buildCluster(options);
}

function drop(rng: Rng, reason: string, id: [number, number], src: string, dst: string, flags: string): Drop {
  return {
    reason, flow: `0x${rng.hex(8).replace(/^0+/, '')}`, endpoint: reason === 'Policy denied' ? rng.int(100, 3999) : 0, ifindex: rng.int(8, 40),
    file: reason === 'Policy denied' ? 'bpf_lxc.c:1865' : 'bpf_lxc.c:1394', srcIdentity: id[0], dstIdentity: id[1], src, dst, flags,
  };
}

/** Return packets of reused hairpin tuples dropped, a few per hour, and checkout's timeouts. */
function hairpin(c: Cluster, pod: Pod): { drops: Drop[]; errors: Rec[] } {
  const rng = new Rng(`${c.seed}/hairpin`);
  const svc = findService(c, 'shop', 'checkout');
  const identity = rng.int(20000, 60000);
  const drops: Drop[] = [];
  const errors: Rec[] = [];
  for (let t = c.end - 3 * HOUR + rng.int(0, 10 * MIN); t < c.end - MIN; t += rng.int(6 * MIN, 25 * MIN)) {
    const port = rng.int(32768, 60999);
    drops.push(drop(rng, 'CT: Map insertion failed', [identity, identity], `${pod.ip}:8080`, `${pod.ip}:${port}`, 'SYN, ACK'));
    if (rng.chance(0.5)) drops.push(drop(rng, 'No mapping for NAT masquerade', [identity, identity], `${pod.ip}:8080`, `169.254.42.1:${port}`, 'ACK'));
    const e = t + rng.int(10 * SEC, 12 * SEC);
    errors.push({ t: e, text: JSON.stringify({ level: 'error', ts: rfc3339Nano(e), caller: 'orders/callback.go:77', msg: 'order callback failed', order: `ORD-${rng.int(100000, 999999)}`, error: `Post "http://checkout.shop.svc/internal/order-callback": dial tcp ${svc.clusterIP}:80: i/o timeout (Client.Timeout exceeded while awaiting headers)` }) });
  }
  return { drops, errors };
}

/** Ordinary drops between different pods: stale IPs after the rollout, and policy denials. */
function ordinary(c: Cluster, node: Node): Drop[] {
  const rng = new Rng(`${c.seed}/ordinary-drops`);
  const rollout = c.rollouts[0];
  const frontends = c.pods.filter((p) => p.workload.name === 'frontend' && p.node === node.name);
  const src = frontends[0] ?? findPod(c, 'shop', 'frontend');
  const out: Drop[] = [];
  for (const old of rollout.oldPods) {
    for (let i = 0; i < 3; i++) out.push(drop(rng, 'Stale or unroutable IP', [rng.int(20000, 60000), rng.int(20000, 60000)], `${src.ip}:${rng.int(32768, 60999)}`, `${old.ip}:3000`, 'SYN'));
  }
  const orders = findPod(c, 'shop', 'orders-db');
  out.push(drop(rng, 'Policy denied', [rng.int(20000, 60000), rng.int(20000, 60000)], `${src.ip}:${rng.int(32768, 60999)}`, `${orders.ip}:5432`, 'SYN'));
  return out;
}

function positive(): BundleSpec {
  const c = cluster();
  const pod = findPod(c, 'shop', 'checkout');
  const node = nodeByName(c, pod.node);
  const h = hairpin(c, pod);
  const spec = snapshot(c, {
    style: STYLE,
    podLog: (p, container) => (p === pod ? podLog(c, p, container, { extra: [fixed(h.errors)] }) : undefined),
  });
  return addFiles(spec, c, [{ path: anetdCapturePath(c, node, 'cilium-monitor-drop.log'), content: ciliumMonitorDrops(node.cpus, h.drops) }]);
}

function negative(): BundleSpec {
  const c = cluster();
  const node = nodeByName(c, findPod(c, 'shop', 'checkout').node);
  const spec = snapshot(c, { style: STYLE });
  return addFiles(spec, c, [{ path: anetdCapturePath(c, node, 'cilium-monitor-drop.log'), content: ciliumMonitorDrops(node.cpus, ordinary(c, node)) }]);
}

export const scenario: Scenario = { id: 'dpv2-hairpin-conntrack-leak', positive, negative };
export default scenario;
