/**
 * component-restart-connection-refused-benign: clients that start before the server they call
 * get `connection refused` for a few seconds; that is harmless when they connect afterwards.
 *
 * Positive: a healthy three-control-plane cluster, quay-net-2, right after its nodes rebooted: on
 * each control-plane node kubelet's informers, kube-proxy and anetd log `dial tcp <VIP>:443:
 * connect: connection refused` while the local apiserver starts, then kubelet registers the node,
 * kube-proxy retrieves the node IP and anetd connects.
 *
 * Negative: the same cluster, where the apiserver behind the VIP went down for 45 minutes in the
 * afternoon: every kubelet logs `Error updating node status, will retry: … dial tcp <VIP>:443:
 * connect: connection refused` every ten seconds, and informers fail to list, until it came back
 * ten minutes before the snapshot. The start-up refusals are there too, but the outage is not
 * harmless noise.
 */
import { type Cluster, type Node, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { snapshot } from '../lib/snapshot.js';

function cluster(): Cluster {
  return buildCluster({
    seed: 'quay-net-2',
    name: 'quay-net-2',
    controlPlanes: 3,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.2',
    kubernetesVersion: 'v1.21.4-gke.201',
    kubeProxy: { version: 'v1.21.4-gke.201', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2021-11-08T06:00:00Z',
    hours: 5,
  });
}

/** What a kubelet logs while the apiserver behind the VIP refuses connections. */
function outage(c: Cluster, node: Node, from: number, to: number): Rec[] {
  const rng = new Rng(`${c.seed}/outage/${node.name}`);
  const vip = `${c.controlPlaneVIP}:443`;
  const refused = `dial tcp ${vip}: connect: connection refused`;
  const out: Rec[] = [];
  for (let t = from + rng.int(0, 10 * SEC); t < to; t += 10 * SEC + rng.int(0, 300_000)) {
    out.push({ t, text: klog('E', t, node.kubeletPid, 'kubelet_node_status.go:470', `Error updating node status, will retry: error getting node "${node.name}": Get "https://${vip}/api/v1/nodes/${node.name}?resourceVersion=0&timeout=10s": ${refused}`) });
  }
  for (let t = from + rng.int(20 * SEC, 60 * SEC); t < to; t += rng.int(40 * SEC, 2 * MIN)) {
    const kind = rng.pick(['Service', 'Node', 'CSIDriver', 'RuntimeClass']);
    const path = kind === 'Node' ? `nodes?fieldSelector=metadata.name%3D${node.name}&resourceVersion=${rng.int(4000000, 9000000)}` : `${kind === 'Service' ? 'services' : kind === 'CSIDriver' ? 'csidrivers' : 'runtimeclasses'}?resourceVersion=${rng.int(4000000, 9000000)}`;
    out.push({ t, text: klog('E', t, node.kubeletPid, 'reflector.go:138', `k8s.io/client-go/informers/factory.go:134: Failed to watch *v1.${kind}: failed to list *v1.${kind}: Get "https://${vip}/api/v1/${path}": ${refused}`) });
  }
  return out;
}

function positive(): BundleSpec {
  return snapshot(cluster(), { style: 'spaces' });
}

function negative(): BundleSpec {
  const c = cluster();
  const to = c.end - 10 * MIN;
  const from = to - 45 * MIN;
  return snapshot(c, {
    style: 'spaces',
    node: (n, files) => { files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(outage(c, n, from, to))] }); },
  });
}

export const scenario: Scenario = { id: 'component-restart-connection-refused-benign', positive, negative };
export default scenario;
