/**
 * rp-filter-enabled: reverse-path filtering is back on for all interfaces of a node, and the
 * pods on it time out talking to Service IPs (Anthos clusters on bare metal, seed 002).
 *
 * Positive: cluster fin-core-5 (Ubuntu 20.04). Three hours before the snapshot a hardening job
 * dropped `/etc/sysctl.d/60-gce-network-security.conf` (`net.ipv4.conf.all.rp_filter = 1`) on one
 * worker and ran `sysctl --system`. anetd set the value to 0 when it started, so only this node
 * is affected: its `sysctl -a` reads `net.ipv4.conf.all.rp_filter = 1`, and from then on its pods
 * log `dial tcp 10.96.0.1:443: i/o timeout` (localpv, metrics, istio-ingress) or time out calling
 * payments-api. The other nodes read 0.
 *
 * Negative: the same cluster with rp_filter 0 on every node. Ubuntu's stock
 * `10-network-security.conf` still says `net.ipv4.conf.all.rp_filter=2`, every interface but
 * anetd's keeps the distribution default 2, and the same worker's pods logged a few
 * `dial tcp 10.96.0.1:443: i/o timeout` while the API server restarted early in the window,
 * then recovered.
 */
import { type Cluster, type ClusterOptions, type Node, type Pod, buildCluster, findService, podsOn } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC, rfc3339Nano } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { UBUNTU_NETWORK_SECURITY_CONF, nodeCommandPath, nodeCopyPath, sysctlAll, withFiles } from '../lib/noise/net-node.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'spaces';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'fin-core-5',
    name: 'fin-core-5',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.2',
    kubernetesVersion: 'v1.21.5-gke.1200',
    kubeProxy: { version: 'v1.21.5-gke.1200', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2024-05-14T07:00:00Z',
    hours: 6,
  };
  return buildCluster(options);
}

/** The worker with the most pods that talk to the API server. */
function sickNode(c: Cluster): Node {
  const talkers = ['localpv', 'metrics-server', 'kube-state-metrics', 'istio-ingress', 'checkout'];
  const score = (n: Node): number => podsOn(c, n).filter((p) => talkers.includes(p.workload.name)).length;
  return c.nodes.filter((n) => n.role === 'worker').sort((a, b) => score(b) - score(a) || a.index - b.index)[0];
}

/** One timed-out call, in the log format of the pod's workload. */
function timeoutLine(c: Cluster, pod: Pod, node: Node, t: number, rng: Rng, attempt: number): string | undefined {
  const api = 'https://10.96.0.1:443';
  switch (pod.workload.name) {
    case 'localpv':
      return klog('I', t, 1, 'main.go:128', `Could not get node information (remaining retries: ${2 - (attempt % 3)}): Get ${api}/api/v1/nodes/${node.name}: dial tcp 10.96.0.1:443: i/o timeout`);
    case 'metrics-server':
    case 'kube-state-metrics': {
      const obj = rng.pick(['*v1.Pod', '*v1.Node', '*v1.Namespace']);
      const res = obj === '*v1.Pod' ? 'pods' : obj === '*v1.Node' ? 'nodes' : 'namespaces';
      return klog('E', t, 1, 'reflector.go:138', `pkg/mod/k8s.io/client-go@v0.21.5/tools/cache/reflector.go:167: Failed to watch ${obj}: failed to list ${obj}: Get "${api}/api/v1/${res}?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout`);
    }
    case 'istio-ingress':
      return JSON.stringify({ severity: 'Error', timestamp: rfc3339Nano(t, rng.int(0, 999)), message: `watch error in cluster Kubernetes: failed to list *v1.Node: Get "${api}/api/v1/nodes?resourceVersion=${rng.int(100000, 999999)}": dial tcp 10.96.0.1:443: i/o timeout` });
    case 'checkout': {
      const payments = findService(c, 'shop', 'payments-api');
      return JSON.stringify({ level: 'error', ts: rfc3339Nano(t), caller: 'payments/client.go:142', msg: 'payment call failed', error: `Post "https://payments-api.shop.svc:8443/v1/charges": dial tcp ${payments.clusterIP}:8443: i/o timeout` });
    }
    default:
      return undefined;
  }
}

function timeouts(c: Cluster, pod: Pod, node: Node, from: number, to: number, gap: [number, number]): Rec[] {
  const rng = new Rng(`${c.seed}/timeouts/${pod.name}`);
  const out: Rec[] = [];
  let i = 0;
  for (let t = from + rng.int(5 * SEC, 60 * SEC); t < to; t += rng.int(gap[0], gap[1])) {
    const text = timeoutLine(c, pod, node, t, rng, i++);
    if (text) out.push({ t, text });
  }
  return out;
}

function build(enabled: boolean): BundleSpec {
  const c = cluster();
  const node = sickNode(c);
  const onset = c.end - 3 * 60 * MIN - 14 * MIN;
  // Negative: a short API server outage 40 minutes into the window, seen by the same pods.
  const blip = c.start + 40 * MIN;
  const spec = snapshot(c, {
    style: STYLE,
    podLog: (pod, container) => {
      if (pod.node !== node.name) return undefined;
      const recs = enabled ? timeouts(c, pod, node, onset, c.end, [40 * SEC, 150 * SEC]) : timeouts(c, pod, node, blip, blip + 75 * SEC, [15 * SEC, 25 * SEC]);
      return recs.length ? podLog(c, pod, container, { extra: [fixed(recs)] }) : undefined;
    },
  });
  return withFiles(c, spec, c.nodes.flatMap((n) => [
    { path: nodeCommandPath(n, 'sysctl -a', STYLE), content: sysctlAll(c, n, enabled && n === node ? { set: { 'net.ipv4.conf.all.rp_filter': '1', 'net.ipv4.conf.default.rp_filter': '1' } } : {}) },
    { path: nodeCopyPath(n, '/etc/sysctl.d/10-network-security.conf', STYLE), content: UBUNTU_NETWORK_SECURITY_CONF },
    ...(enabled && n === node ? [{
      path: nodeCopyPath(n, '/etc/sysctl.d/60-gce-network-security.conf', STYLE),
      content: [
        '# Managed by the platform hardening role (cis-baseline 3.2.7). Do not edit.',
        'net.ipv4.tcp_syncookies = 1',
        'net.ipv4.conf.all.accept_source_route = 0',
        'net.ipv4.conf.default.accept_source_route = 0',
        'net.ipv4.conf.all.accept_redirects = 0',
        'net.ipv4.conf.default.accept_redirects = 0',
        'net.ipv4.conf.all.secure_redirects = 1',
        'net.ipv4.conf.default.secure_redirects = 1',
        'net.ipv4.ip_forward = 1',
        'net.ipv4.conf.all.send_redirects = 0',
        'net.ipv4.conf.default.send_redirects = 0',
        'net.ipv4.conf.all.rp_filter = 1',
        'net.ipv4.conf.default.rp_filter = 1',
        'net.ipv4.icmp_echo_ignore_broadcasts = 1',
        'net.ipv4.icmp_ignore_bogus_error_responses = 1',
        'net.ipv4.conf.all.log_martians = 1',
        'net.ipv4.conf.default.log_martians = 1',
        '',
      ].join('\n'),
    }] : []),
  ]));
}

export const scenario: Scenario = { id: 'rp-filter-enabled', positive: () => build(true), negative: () => build(false) };
export default scenario;
