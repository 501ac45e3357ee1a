/**
 * firewalld-wiped-cilium-chains: reloading firewalld on a node deletes the iptables chains anetd
 * (Cilium) installed when it started, and the node's pods lose connectivity outside the node
 * (Anthos clusters on bare metal on RHEL/CentOS with firewalld, seed 002).
 *
 * Positive: cluster plant-ops-4 (RHEL 8.4, firewalld enabled on every node). Two hours before the
 * snapshot an operator opened a port with `firewall-cmd --permanent` and `firewall-cmd --reload`
 * on one worker. Its firewalld journal shows the reload, hours after the kubelet started anetd;
 * its `iptables-save` has firewalld's zone chains and kube-proxy's chains (kube-proxy restored
 * them on its next sync) but not one CILIUM_ chain. Pods there time out calling other nodes.
 *
 * Negative: the same cluster, but the configuration-management run that restarted firewalld on
 * that worker did so right after boot, before the kubelet came up and started anetd; every node,
 * that worker included, still has its CILIUM_ chains.
 */
import { type Cluster, type ClusterOptions, type Node, buildCluster, findService, podsOn } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC, rfc3339Nano } from '../lib/time.js';
import { type Rec, fixed } from '../lib/timeline.js';
import { iptablesSave } from '../lib/noise/iptables.js';
import { firewalldJournal, iptablesWithFirewalld, nodeCommandPath, withFiles } from '../lib/noise/net-node.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'underscores';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'plant-ops-4',
    name: 'plant-ops-4',
    controlPlanes: 1,
    workers: 3,
    os: 'rhel-8.4',
    anthosVersion: '1.9.0',
    kubernetesVersion: 'v1.21.4-gke.201',
    kubeProxy: { version: 'v1.21.4-gke.201', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2024-02-06T05:30:00Z',
    hours: 6,
  };
  return buildCluster(options);
}

/** The worker running a checkout pod: its calls to payments-api on other nodes fail. */
function targetNode(c: Cluster): Node {
  return c.nodes.find((n) => n.role === 'worker' && podsOn(c, n).some((p) => p.workload.name === 'checkout')) as Node;
}

function symptoms(c: Cluster, from: number): Rec[] {
  const rng = new Rng(`${c.seed}/symptoms`);
  const payments = findService(c, 'shop', 'payments-api');
  const out: Rec[] = [];
  for (let t = from + rng.int(20 * SEC, 70 * SEC); t < c.end; t += rng.int(45 * SEC, 200 * SEC)) {
    out.push({ t, text: JSON.stringify({ level: 'error', ts: rfc3339Nano(t), caller: 'payments/client.go:142', msg: 'payment call failed', error: `Post "https://payments-api.shop.svc:8443/v1/charges": dial tcp ${payments.clusterIP}:8443: i/o timeout` }) });
  }
  return out;
}

function build(afterAnetd: boolean): BundleSpec {
  const c = cluster();
  const node = targetNode(c);
  const reloadAt = c.end - 2 * 60 * MIN - 7 * MIN;
  const spec = snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      files.iptablesSave = iptablesWithFirewalld(iptablesSave(c, n), { withoutCilium: afterAnetd && n === node });
    },
    podLog: (pod, container) => (afterAnetd && pod.node === node.name && pod.workload.name === 'checkout'
      ? podLog(c, pod, container, { extra: [fixed(symptoms(c, reloadAt))] })
      : undefined),
  });
  return withFiles(c, spec, c.nodes.map((n) => ({
    path: nodeCommandPath(n, 'journalctl --utc -u firewalld', STYLE),
    content: n !== node ? firewalldJournal(c, n)
      : afterAnetd ? firewalldJournal(c, n, { reloads: [reloadAt] })
        // Before the kubelet (and so anetd) started: the restart cannot touch chains not there yet.
        : firewalldJournal(c, n, { restarts: [n.kubeletStart - 6 * SEC] }),
  })));
}

export const scenario: Scenario = { id: 'firewalld-wiped-cilium-chains', positive: () => build(true), negative: () => build(false) };
export default scenario;
