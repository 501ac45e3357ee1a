/**
 * maintenance-annotation-blocks-upgrade: nodes of a 1.8 cluster that were once in maintenance
 * mode keep the annotation `baremetal.cluster.gke.io/maintenance-mode-duration` on their
 * BareMetalMachine, and the upgrade to 1.9 fails on them (Anthos clusters on bare metal known
 * issue, seed 002).
 *
 * Positive: cluster yard-ops-6 at 1.8.3. Two workers went through maintenance mode in the spring
 * (a disk swap, a firmware update); `kubectl get baremetalmachines -o yaml` in the snapshot shows
 * the annotation still on both, while all machines are ready and out of maintenance.
 *
 * Negative: the same cluster already at 1.9.1, where one worker was just in maintenance mode: the
 * annotation is there, but the 1.8 upgrade code that stumbled on it is gone.
 */
import { type Cluster, type Node, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { isoSeconds } from '../lib/time.js';
import { snapshot } from '../lib/snapshot.js';
import { addFiles } from '../lib/noise/install-bundle.js';

function cluster(anthosVersion: string, kubernetesVersion: string): Cluster {
  return buildCluster({
    seed: 'yard-ops-6',
    name: 'yard-ops-6',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion,
    kubernetesVersion,
    kubeProxy: { version: kubernetesVersion, mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.6',
    start: '2021-11-15T10:00:00Z',
    hours: 3,
  });
}

/** `kubectl get baremetalmachines -n <cluster namespace> -o yaml`, with the given annotation durations. */
function bareMetalMachines(c: Cluster, maintained: Map<Node, string>): string {
  const rng = new Rng(`${c.seed}/bmm`);
  const items = c.nodes.map((n) => {
    const pool = n.role === 'control-plane' ? c.name : 'np1';
    const created = isoSeconds(c.created + (n.role === 'control-plane' ? 12 : 20) * 60_000_000 + n.index * 9 * 60_000_000);
    const duration = maintained.get(n);
    return [
      '- apiVersion: infrastructure.baremetal.cluster.gke.io/v1',
      '  kind: BareMetalMachine',
      '  metadata:',
      '    annotations:',
      `      baremetal.cluster.gke.io/gke-version: ${c.kubernetesVersion}`,
      ...(duration ? [`      baremetal.cluster.gke.io/maintenance-mode-duration: ${duration}`] : []),
      `      baremetal.cluster.gke.io/version: ${c.anthosVersion}`,
      `    creationTimestamp: "${created}"`,
      '    finalizers:',
      '    - baremetalmachine.infrastructure.baremetal.cluster.gke.io',
      `    generation: ${rng.int(3, 19)}`,
      '    labels:',
      `      baremetal.cluster.gke.io/cluster: ${c.name}`,
      `      baremetal.cluster.gke.io/node-pool: ${pool}`,
      `    name: ${n.ip}`,
      `    namespace: ${c.namespace}`,
      '    ownerReferences:',
      '    - apiVersion: cluster.x-k8s.io/v1alpha3',
      '      blockOwnerDeletion: true',
      '      controller: true',
      '      kind: Machine',
      `      name: ${n.ip}`,
      `      uid: ${rng.uuid()}`,
      `    resourceVersion: "${rng.int(100000, 9999999)}"`,
      `    uid: ${rng.uuid()}`,
      '  spec:',
      `    address: ${n.ip}`,
      `    providerID: baremetal://${n.ip}`,
      '  status:',
      '    ready: true',
    ].join('\n');
  });
  return ['apiVersion: v1', 'items:', ...items, 'kind: List', 'metadata:', '  resourceVersion: ""', '  selfLink: ""', ''].join('\n');
}

function build(c: Cluster, maintained: Map<Node, string>): BundleSpec {
  const spec = snapshot(c, { style: 'spaces' });
  return addFiles(spec, c, [{ path: `kubectlCommands/${c.namespace}/kubectl get baremetalmachines -o yaml`, content: bareMetalMachines(c, maintained) }]);
}

function positive(): BundleSpec {
  const c = cluster('1.8.3', 'v1.20.9-gke.101');
  const workers = c.nodes.filter((n) => n.role === 'worker');
  return build(c, new Map([[workers[0], '3h41m7s'], [workers[2], '52m19s']]));
}

function negative(): BundleSpec {
  const c = cluster('1.9.1', 'v1.21.4-gke.201');
  const workers = c.nodes.filter((n) => n.role === 'worker');
  return build(c, new Map([[workers[1], '1h12m44s']]));
}

export const scenario: Scenario = { id: 'maintenance-annotation-blocks-upgrade', positive, negative };
export default scenario;
