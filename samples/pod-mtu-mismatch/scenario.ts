/**
 * pod-mtu-mismatch: the pods' interfaces have a larger MTU than the node's own network, so large
 * packets are dropped on the way out and connections stall after the handshake (seed 003).
 *
 * Positive: cluster tenant-vx-9 runs on VMs of a VXLAN tenant network whose DHCP hands out MTU
 * 1450 (`ens192 … mtu 1450`), while the node image configures the kubenet bridge with 1500:
 * `cbr0` and every pod veth show `mtu 1500`. Small requests work; TLS handshakes (certificate
 * chains) stall, and the checkout service logs `net/http: TLS handshake timeout` calling out.
 *
 * Negative: the same cluster moved to a jumbo-frame network (`ens192 … mtu 9000`) with the pods
 * still at 1500 — the pods' MTU differs from the node's but is smaller, which is fine. An idle
 * `docker0` (1500, no carrier) sits on every node.
 */
import { type Cluster, type ClusterOptions, buildCluster, findPod } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, rfc3339Nano } from '../lib/time.js';
import { type Rec, fixed } from '../lib/timeline.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { ipAddrBridge } from '../lib/noise/net-node.js';
import { snapshot } from '../lib/snapshot.js';

const DOCKER0 = `1: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default
    link/ether 02:42:7e:0b:33:c1 brd ff:ff:ff:ff:ff:ff
    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0
       valid_lft forever preferred_lft forever`;

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'tenant-vx-9',
    name: 'tenant-vx-9',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.2',
    kubernetesVersion: 'v1.21.5-gke.1200',
    kubeProxy: { version: 'v1.21.5-gke.1200', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2024-10-08T13:00:00Z',
    hours: 5,
  };
  return buildCluster(options);
}

function handshakeTimeouts(c: Cluster): Rec[] {
  const rng = new Rng(`${c.seed}/tls`);
  const out: Rec[] = [];
  for (let t = c.start + 15 * MIN; t < c.end; t += rng.int(3 * MIN, 12 * MIN)) {
    out.push({ t, text: JSON.stringify({ level: 'error', ts: rfc3339Nano(t), caller: 'acquirer/client.go:77', msg: 'settlement upload failed', error: 'Post "https://api.acquirer.example.com/v2/batches": net/http: TLS handshake timeout' }) });
  }
  return out;
}

function build(hostMtu: number): BundleSpec {
  const c = cluster();
  const checkout = findPod(c, 'shop', 'checkout');
  const mismatch = hostMtu < 1500;
  return snapshot(c, {
    style: 'underscores',
    node: (n, files) => { files.ipAddr = ipAddrBridge(c, n, { hostMtu, podMtu: 1500, extra: [DOCKER0] }); },
    podLog: (pod, container) => (mismatch && pod === checkout ? podLog(c, pod, container, { extra: [fixed(handshakeTimeouts(c))] }) : undefined),
  });
}

export const scenario: Scenario = { id: 'pod-mtu-mismatch', positive: () => build(1450), negative: () => build(9000) };
export default scenario;
