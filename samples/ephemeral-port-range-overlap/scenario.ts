/**
 * ephemeral-port-range-overlap: a node's ephemeral port range (net.ipv4.ip_local_port_range)
 * reaches into the NodePort range 30000-32767, so connections the node opens can pick a source
 * port that is also a NodePort; on Dataplane V2 their replies are taken for NodePort traffic
 * (seed 001).
 *
 * Positive: cluster relay-dp2-6 (Dataplane V2). A tuning file for a busy proxy node,
 * `/etc/sysctl.d/90-conn-tuning.conf`, widened the range to `1024 65000` on one worker, and
 * `sysctl -a` there reads `net.ipv4.ip_local_port_range = 1024	65000` with no reserved ports.
 * The checkout pod on that node sees calls fail now and then. The other nodes keep the kernel's
 * default `32768	60999`.
 *
 * Negative: the same tuning on the same worker, but the file also reserves the NodePort range
 * (`net.ipv4.ip_local_reserved_ports = 30000-32767`), which the kernel then never hands out;
 * the other nodes keep `32768	60999`, which starts one port above the NodePort range.
 */
import { type Cluster, type ClusterOptions, type Node, buildCluster, podsOn } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, rfc3339Nano } from '../lib/time.js';
import { type Rec, fixed } from '../lib/timeline.js';
import { nodeCommandPath, nodeCopyPath, sysctlAll, withFiles } from '../lib/noise/net-node.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'underscores';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'relay-dp2-6',
    name: 'relay-dp2-6',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.15.3',
    kubernetesVersion: 'v1.26.7-gke.500',
    kubeProxy: { version: 'v1.26.7-gke.500', mode: 'iptables' },
    runcVersion: '1.1.7',
    containerdVersion: '1.6.20',
    start: '2024-06-11T10:00:00Z',
    hours: 5,
  };
  return buildCluster(options);
}

function tunedNode(c: Cluster): Node {
  return c.nodes.find((n) => n.role === 'worker' && podsOn(c, n).some((p) => p.workload.name === 'checkout')) as Node;
}

function failures(c: Cluster): Rec[] {
  const rng = new Rng(`${c.seed}/failures`);
  const out: Rec[] = [];
  for (let t = c.start + 30 * MIN; t < c.end; t += rng.int(8 * MIN, 25 * MIN)) {
    out.push({ t, text: JSON.stringify({ level: 'error', ts: rfc3339Nano(t), caller: 'acquirer/client.go:77', msg: 'charge failed', error: `Post "https://api.acquirer.example.com/v2/charges": dial tcp 198.51.100.21:443: connect: connection timed out` }) });
  }
  return out;
}

function build(reserved: boolean): BundleSpec {
  const c = cluster();
  const node = tunedNode(c);
  const spec = snapshot(c, {
    style: STYLE,
    podLog: (pod, container) => (!reserved && pod.node === node.name && pod.workload.name === 'checkout'
      ? podLog(c, pod, container, { extra: [fixed(failures(c))] }) : undefined),
  });
  const tuning = [
    '# Connection tuning for the edge relay (INC-40211)',
    'net.core.somaxconn = 32768',
    'net.ipv4.tcp_max_syn_backlog = 8192',
    'net.ipv4.tcp_tw_reuse = 1',
    'net.ipv4.ip_local_port_range = 1024 65000',
    ...(reserved ? ['# keep Kubernetes NodePorts out of the ephemeral range', 'net.ipv4.ip_local_reserved_ports = 30000-32767'] : []),
    '',
  ].join('\n');
  return withFiles(c, spec, c.nodes.flatMap((n) => [
    {
      path: nodeCommandPath(n, 'sysctl -a', STYLE),
      content: sysctlAll(c, n, n === node ? { set: {
        'net.core.somaxconn': '32768', 'net.ipv4.tcp_max_syn_backlog': '8192', 'net.ipv4.tcp_tw_reuse': '1',
        'net.ipv4.ip_local_port_range': '1024\t65000', 'net.ipv4.ip_local_reserved_ports': reserved ? '30000-32767' : '',
      } } : {}),
    },
    ...(n === node ? [{ path: nodeCopyPath(n, '/etc/sysctl.d/90-conn-tuning.conf', STYLE), content: tuning }] : []),
  ]));
}

export const scenario: Scenario = { id: 'ephemeral-port-range-overlap', positive: () => build(false), negative: () => build(true) };
export default scenario;
