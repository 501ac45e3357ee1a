/**
 * vmxnet3-tunnel-offload: on vSphere VMs the VMXNET3 NIC segments UDP-tunnelled (GENEVE) packets
 * itself, which breaks the tunnel anetd uses between nodes (Anthos clusters on bare metal on
 * vSphere, seed 002).
 *
 * Positive: cluster vcenter-lab-7 (Ubuntu 20.04 VMs, VMXNET3 `ens192`, GENEVE overlay). On every
 * node `ethtool -k ens192` shows `tx-udp_tnl-segmentation: on` and
 * `tx-udp_tnl-csum-segmentation: on`; `ethtool -i ens192` says `driver: vmxnet3`. Pods calling
 * Services on other nodes stall on large responses: the checkout service logs TLS handshake
 * timeouts towards payments-api.
 *
 * Negative: the same VMs after the fix was applied by a boot script: both features `off`, while
 * the usual TCP segmentation features (`tx-tcp-segmentation: on`, GSO, GRO) stay on.
 */
import { type Cluster, type ClusterOptions, buildCluster, findPod } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, rfc3339Nano } from '../lib/time.js';
import { type Rec, fixed } from '../lib/timeline.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { ethtoolDriver, ethtoolFeatures, nodeCommandPath, withFiles } from '../lib/noise/net-node.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'underscores';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'vcenter-lab-7',
    name: 'vcenter-lab-7',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.1',
    kubernetesVersion: 'v1.21.4-gke.201',
    kubeProxy: { version: 'v1.21.4-gke.201', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2024-03-26T12:00:00Z',
    hours: 5,
  };
  return buildCluster(options);
}

function handshakeTimeouts(c: Cluster): Rec[] {
  const rng = new Rng(`${c.seed}/tls`);
  const out: Rec[] = [];
  for (let t = c.start + 20 * MIN; t < c.end; t += rng.int(4 * MIN, 16 * MIN)) {
    out.push({ t, text: JSON.stringify({ level: 'error', ts: rfc3339Nano(t), caller: 'payments/client.go:142', msg: 'payment call failed', error: 'Post "https://payments-api.shop.svc:8443/v1/charges": net/http: TLS handshake timeout' }) });
  }
  return out;
}

function build(offloadOn: boolean): BundleSpec {
  const c = cluster();
  const checkout = findPod(c, 'shop', 'checkout');
  const spec = snapshot(c, {
    style: STYLE,
    podLog: (pod, container) => (offloadOn && pod === checkout ? podLog(c, pod, container, { extra: [fixed(handshakeTimeouts(c))] }) : undefined),
  });
  return withFiles(c, spec, c.nodes.flatMap((n) => [
    { path: nodeCommandPath(n, `ethtool -k ${c.os.iface}`, STYLE), content: ethtoolFeatures(c.os.iface, { udpTunnel: offloadOn ? 'on' : 'off' }) },
    { path: nodeCommandPath(n, `ethtool -i ${c.os.iface}`, STYLE), content: ethtoolDriver() },
  ]));
}

export const scenario: Scenario = { id: 'vmxnet3-tunnel-offload', positive: () => build(true), negative: () => build(false) };
export default scenario;
