/**
 * cbr0-bridge-down: the Linux bridge `cbr0` that connects a node's pods (kubenet) is down, so the
 * pods on that node have no network at all (seed 003).
 *
 * Positive: cluster depot-kn-2, whose pods hang off `cbr0` bridges (kubenet networking). Ninety
 * minutes before the snapshot a network script run on one worker took cbr0 down (the kernel logs
 * every port of the bridge entering the disabled state). `ip addr` there shows
 * `cbr0: <BROADCAST,MULTICAST> … state DOWN` with its pods' veths still attached (`master cbr0`),
 * and the kubelet's readiness probes of those pods fail with `connect: no route to host`.
 *
 * Negative: the same incident, but the bridge was brought back up twenty minutes later
 * (`ip link set cbr0 up`: its ports go through blocking to forwarding again) and `ip addr` shows it
 * UP. Every node also has an unused `docker0` bridge, `<NO-CARRIER,…,UP> … state DOWN`, as
 * Docker leaves it.
 */
import { type Cluster, type ClusterOptions, type Node, buildCluster, podsOn } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { dmesg, kernelJournal } from '../lib/noise/kernel.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { podRef } from '../lib/noise/lifecycle.js';
import { bridgeVeth, ipAddrBridge } from '../lib/noise/net-node.js';
import { snapshot } from '../lib/snapshot.js';

const DOCKER0 = `1: docker0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default
    link/ether 02:42:5c:1d:8e:3a brd ff:ff:ff:ff:ff:ff
    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0
       valid_lft forever preferred_lft forever`;

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'depot-kn-2',
    name: 'depot-kn-2',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.2',
    kubernetesVersion: 'v1.21.5-gke.1200',
    kubeProxy: { version: 'v1.21.5-gke.1200', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2024-09-03T06:00:00Z',
    hours: 5,
  };
  return buildCluster(options);
}

function podNetworkPods(c: Cluster, node: Node) {
  return podsOn(c, node).filter((p) => !p.hostNetwork && p.phase === 'Running');
}

/** Kernel lines when the bridge goes down (and, if `upAt`, comes back). */
function bridgeKernel(c: Cluster, node: Node, downAt: number, upAt?: number): Rec[] {
  const out: Rec[] = [];
  podNetworkPods(c, node).forEach((p, i) => {
    out.push({ t: downAt + i * 37, text: `cbr0: port ${i + 1}(${bridgeVeth(p.sandboxId)}) entered disabled state` });
    if (upAt !== undefined) {
      out.push({ t: upAt + i * 41, text: `cbr0: port ${i + 1}(${bridgeVeth(p.sandboxId)}) entered blocking state` });
      out.push({ t: upAt + 2 * SEC + i * 41, text: `cbr0: port ${i + 1}(${bridgeVeth(p.sandboxId)}) entered forwarding state` });
    }
  });
  if (upAt !== undefined) out.push({ t: upAt + 2 * SEC + 900, text: 'IPv6: ADDRCONF(NETDEV_CHANGE): cbr0: link becomes ready' });
  return out;
}

/** Readiness probes of the node's pods failing while the bridge is down. */
function probeFailures(c: Cluster, node: Node, from: number, to: number): Rec[] {
  const rng = new Rng(`${c.seed}/probes/${node.name}`);
  const pods = podNetworkPods(c, node).filter((p) => p.workload.containers[0].port !== undefined);
  const out: Rec[] = [];
  for (let t = from + 9 * SEC; t < to; t += rng.int(10 * SEC, 40 * SEC)) {
    const p = rng.pick(pods);
    const ct = p.containers[0];
    const port = p.workload.containers[0].port as number;
    out.push({ t, text: klog('I', t, node.kubeletPid, 'prober.go:117', `Readiness probe for "${podRef(p)}:${ct.name}" failed (failure): Get "http://${p.ip}:${port}/healthz": dial tcp ${p.ip}:${port}: connect: no route to host`) });
  }
  return out;
}

function build(stillDown: boolean): BundleSpec {
  const c = cluster();
  const node = c.nodes.filter((n) => n.role === 'worker')[1];
  const downAt = c.end - 90 * MIN;
  const upAt = stillDown ? undefined : downAt + 20 * MIN;
  return snapshot(c, {
    style: 'spaces',
    node: (n, files) => {
      files.ipAddr = ipAddrBridge(c, n, { hostMtu: 1500, podMtu: 1500, bridgeUp: !(stillDown && n === node), extra: [DOCKER0] });
      if (n !== node) return;
      const kernel = fixed(bridgeKernel(c, n, downAt, upAt));
      files.dmesg = dmesg(c, n, { extra: [kernel] });
      files.kernelJournal = kernelJournal(c, n, { extra: [fixed(bridgeKernel(c, n, downAt, upAt))] });
      files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(probeFailures(c, n, downAt, upAt ?? c.end))] });
    },
  });
}

export const scenario: Scenario = { id: 'cbr0-bridge-down', positive: () => build(true), negative: () => build(false) };
export default scenario;
