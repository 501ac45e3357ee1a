/**
 * kube-proxy-ipvs-stale-rules: kube-proxy in IPVS mode stops syncing rules
 * (kubernetes/kubernetes#71071, seed 004).
 *
 * Positive: cluster prod-edge-1 runs kube-proxy v1.13.0 in IPVS mode. Two deployments roll
 * after 05:12; on one worker kube-proxy deadlocks while removing their old real servers. Before
 * that its log shows start-up and informer noise only; from then on it holds nothing but the same
 * `Trying to delete rs: <vip>:<port>/TCP/<old pod>:<port>` lines once a minute for about five
 * hours, and `ipvsadm -Ln` on that node shows the two services' virtual servers with no real
 * server although `kubectl get endpoints` lists the new pods. The other nodes delete the old real
 * servers (`Deleting rs`, some after `Not deleting` while connections drain) and add the new
 * ones. Pods of the shop on the stuck node time out calling the empty services.
 *
 * Negative: the same cluster with kube-proxy v1.13.2 (fixed). The same node repeats the same
 * `Trying to delete rs` lines every minute, but each is followed by `Deleting rs`, and every
 * virtual server has its real servers.
 */
import { type Cluster, type ClusterOptions, type Node, type RealServerRef, buildCluster, findService, removedRealServers } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { SEC, clfStamp, rfc3339Nano } from '../lib/time.js';
import type { Rec } from '../lib/timeline.js';
import { ipvsadm } from '../lib/noise/ipvsadm.js';
import { kubeProxyLog } from '../lib/noise/kube-proxy.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { snapshot } from '../lib/snapshot.js';

/** Deployments rolled at the onset; their services end up with empty virtual servers. */
const STALE = ['shop/checkout', 'shop/payments-api'];

function cluster(kubeProxyVersion: string): Cluster {
  const options: ClusterOptions = {
    seed: 'prod-edge-1',
    name: 'prod-edge-1',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: kubeProxyVersion, mode: 'ipvs' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2024-03-05T04:00:00Z',
    hours: 6.25,
    // The first new checkout pod waits a few minutes for its image (ImagePullBackOff).
    rollouts: [
      { deployment: 'shop/checkout', at: '2024-03-05T05:12:40Z', pullBackOff: true },
      { deployment: 'shop/payments-api', at: '2024-03-05T05:13:05Z' },
    ],
  };
  return buildCluster(options);
}

/** The worker whose kube-proxy gets stuck: the last one. */
function stuckNode(c: Cluster): Node {
  const workers = c.nodes.filter((n) => n.role === 'worker');
  return workers[workers.length - 1];
}

/** Old real servers of the stale services, and the moment the last of them was removed. */
function staleRealServers(c: Cluster): { at: number; rs: RealServerRef[] } {
  const removed = c.rollouts.filter((r) => STALE.includes(r.deployment)).flatMap((r) => removedRealServers(c, r));
  return { at: Math.max(...removed.map((x) => x.at)) + 1_700_000, rs: removed.map((x) => x.rs) };
}

/** What the shop's pods on the stuck node log once their calls to the empty services time out. */
function symptoms(c: Cluster, node: Node, from: number, workload: string): Rec[] {
  const rng = new Rng(`${c.seed}/symptoms/${workload}/${node.name}`);
  const out: Rec[] = [];
  const payments = findService(c, 'shop', 'payments-api');
  for (let t = from + rng.int(20 * SEC, 90 * SEC); t < c.end; t += rng.int(40 * SEC, 240 * SEC)) {
    if (workload === 'checkout') {
      out.push({ t, text: JSON.stringify({ level: 'error', ts: rfc3339Nano(t), caller: 'payments/client.go:142', msg: 'payment call failed', error: `Post "https://payments-api.shop.svc:8443/v1/charges": dial tcp ${payments.clusterIP}:8443: i/o timeout` }) });
    } else {
      out.push({ t, text: `10.200.0.${rng.int(1, 40)} - - [${clfStamp(t)}] "POST /api/checkout HTTP/1.1" 504 167 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"` });
    }
  }
  return out;
}

function positive(): BundleSpec {
  const c = cluster('v1.13.0');
  const node = stuckNode(c);
  const stuck = staleRealServers(c);
  return snapshot(c, {
    style: 'underscores',
    node: (n, files) => {
      if (n === node) files.ipvsadm = ipvsadm(c, n, { withoutRealServers: STALE });
    },
    podLog: (pod, container) => {
      if (pod.node !== node.name) return undefined;
      if (pod.workload.name === 'kube-proxy') return kubeProxyLog(c, pod, { stuck });
      if (pod.workload.name === 'checkout' || pod.workload.name === 'frontend') {
        return podLog(c, pod, container, { extra: [symptoms(c, node, stuck.at, pod.workload.name)] });
      }
      return undefined;
    },
  });
}

function negative(): BundleSpec {
  const c = cluster('v1.13.2');
  const node = stuckNode(c);
  const { at, rs } = staleRealServers(c);
  return snapshot(c, {
    style: 'underscores',
    podLog: (pod) => (pod.node === node.name && pod.workload.name === 'kube-proxy' ? kubeProxyLog(c, pod, { flapping: { from: at, to: c.end, rs } }) : undefined),
  });
}

export const scenario: Scenario = { id: 'kube-proxy-ipvs-stale-rules', positive, negative };
export default scenario;
