/**
 * conntrack-table-full: a node's connection tracking table fills up and the kernel drops new
 * connections (seed 003).
 *
 * Positive: cluster metro-ingest-3 (Ubuntu 20.04, kernel 5.8). About two hours before the
 * snapshot a load test starts hitting the shop's NodePort on one 4-CPU worker with short-lived
 * connections. Its table (nf_conntrack_max 131072, set by kube-proxy) fills within minutes: the
 * kernel logs `nf_conntrack: nf_conntrack: table full, dropping packet` in bursts, rate-limited
 * (`net_ratelimit: N callbacks suppressed`), until the snapshot; `conntrack --count` and
 * `sysctl -a` read 131072, `conntrack -S` counts drops, and the front end answers 504 while CoreDNS
 * on that node times out more often.
 *
 * Negative: the same cluster and load test, but the worker's table was raised to 524288 before
 * it; the count peaks at 448 thousand entries (85 %), `conntrack -S` has no drop, and the
 * kernel only shows the usual `nf_conntrack version … max)` banner, the helper notice, and a few
 * `nf_conntrack: expectation table full` lines from an FTP helper — a different, tiny table.
 */
import { type Cluster, type ClusterOptions, type Node, buildCluster, podsOn } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC, clfStamp } from '../lib/time.js';
import { type Rec, fixed } from '../lib/timeline.js';
import { conntrackMax } from '../lib/noise/host.js';
import { dmesg, kernelJournal } from '../lib/noise/kernel.js';
import { conntrackStats, nodeCommandPath, nodeCopyPath, sysctlAll, withFiles } from '../lib/noise/net-node.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'spaces';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'metro-ingest-3',
    name: 'metro-ingest-3',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.1',
    kubernetesVersion: 'v1.21.4-gke.201',
    kubeProxy: { version: 'v1.21.4-gke.201', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2024-04-09T06:00:00Z',
    hours: 5,
  };
  return buildCluster(options);
}

/** The worker running a front end with the fewest CPUs: the load test lands there. */
function busyNode(c: Cluster): Node {
  const workers = c.nodes.filter((n) => n.role === 'worker' && podsOn(c, n).some((p) => p.workload.name === 'frontend'));
  return workers.sort((a, b) => a.cpus - b.cpus || a.index - b.index)[0];
}

/** Module banner and helper notice every node prints once netfilter conntrack loads. */
function moduleLoad(c: Cluster, node: Node, max: number): Rec[] {
  const t = node.kubeletStart + 30 * SEC + 290_000;
  return [
    { t, text: `nf_conntrack version 0.5.0 (${Math.min(65536, max / 4)} buckets, ${Math.min(262144, max)} max)` },
    { t: t + 41_000, text: 'nf_conntrack: default automatic helper assignment has been turned off for security reasons and CT-based  firewall rule not found. Use the iptables CT target to attach helpers instead.' },
  ];
}

/** The table-full bursts from `from` to the snapshot. */
function tableFull(c: Cluster, from: number): Rec[] {
  const rng = new Rng(`${c.seed}/table-full`);
  const out: Rec[] = [];
  for (let t = from; t < c.end - 20 * SEC; t += rng.int(3 * SEC, 45 * SEC)) {
    if (rng.chance(0.4)) out.push({ t, text: `net_ratelimit: ${rng.int(40, 2600)} callbacks suppressed` });
    for (let i = 0, n = rng.int(1, 4); i < n; i++) out.push({ t: t + 60 + i * rng.int(300, 90_000), text: 'nf_conntrack: nf_conntrack: table full, dropping packet' });
  }
  return out;
}

/** What the node's pods log while new connections are dropped. */
function symptoms(c: Cluster, node: Node, from: number, workload: string, podIp: string): Rec[] {
  const rng = new Rng(`${c.seed}/symptoms/${workload}/${node.name}`);
  const out: Rec[] = [];
  for (let t = from + rng.int(30 * SEC, 90 * SEC); t < c.end; t += rng.int(20 * SEC, 150 * SEC)) {
    if (workload === 'coredns') {
      out.push({ t, text: `[ERROR] plugin/errors: 2 ${rng.pick(['storage.googleapis.com.', 'oauth2.googleapis.com.', 'payments.example.net.'])} A: read udp ${podIp}:${rng.int(32768, 60999)}->10.200.0.1:53: i/o timeout` });
    } else {
      out.push({ t, text: `10.200.0.${rng.int(1, 40)} - - [${clfStamp(t)}] "GET /api/products?category=garden HTTP/1.1" 504 167 "-" "k6/0.45.0 (https://k6.io/)"` });
    }
  }
  return out;
}

function build(raised: boolean): BundleSpec {
  const c = cluster();
  const node = busyNode(c);
  const onset = c.end - 2 * 60 * MIN - 9 * MIN;
  const max = raised ? 524288 : conntrackMax(node);
  const count = raised ? 448_213 : max;
  const spec = snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      const ownMax = n === node ? max : conntrackMax(n);
      const extra: Rec[] = [...moduleLoad(c, n, ownMax)];
      if (n === node) {
        if (raised) {
          const rng = new Rng(`${c.seed}/expect`);
          for (let i = 0; i < 3; i++) extra.push({ t: onset + rng.int(10 * MIN, 110 * MIN), text: 'nf_conntrack: expectation table full' });
        } else extra.push(...tableFull(c, onset + 6 * MIN));
        files.conntrackCount = `${count}\n`;
        files.conntrackMax = `${max}\n`;
      }
      files.dmesg = dmesg(c, n, { extra: [fixed(extra)] });
      files.kernelJournal = kernelJournal(c, n, { extra: [fixed(extra)] });
    },
    podLog: (pod, container) => {
      if (raised || pod.node !== node.name) return undefined;
      if (pod.workload.name !== 'frontend' && pod.workload.name !== 'coredns') return undefined;
      return podLog(c, pod, container, { extra: [fixed(symptoms(c, node, onset + 6 * MIN, pod.workload.name, pod.ip))] });
    },
  });
  return withFiles(c, spec, c.nodes.flatMap((n) => [
    {
      path: nodeCommandPath(n, 'conntrack -S', STYLE),
      content: conntrackStats(c, n, n === node && !raised ? { drops: 1_843_000, earlyDrops: 96_400 } : {}),
    },
    {
      path: nodeCommandPath(n, 'sysctl -a', STYLE),
      content: sysctlAll(c, n, n === node ? { conntrackCount: count, set: { 'net.netfilter.nf_conntrack_max': String(max), 'net.nf_conntrack_max': String(max), 'net.netfilter.nf_conntrack_buckets': String(max / 4) } } : {}),
    },
    ...(n === node && raised ? [{ path: nodeCopyPath(n, '/etc/sysctl.d/90-conntrack.conf', STYLE), content: '# Raised for the ingest load tests (CHG-20931)\nnet.netfilter.nf_conntrack_max = 524288\n' }] : []),
  ]));
}

export const scenario: Scenario = { id: 'conntrack-table-full', positive: () => build(false), negative: () => build(true) };
export default scenario;
