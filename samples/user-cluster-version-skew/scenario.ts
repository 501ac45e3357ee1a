/**
 * user-cluster-version-skew: a user cluster must run the version of the admin cluster that
 * manages it or an older one, at most one minor release behind (seed 002, upgrades: patch
 * upgrade limits for user clusters).
 *
 * Positive: hybrid cluster fleet-admin, upgraded to 1.9.1, manages fleet-user-a (1.8.3: one
 * minor behind, allowed) and fleet-user-b, left on 1.7.2 — two minors behind, which the admin
 * cluster can no longer manage. The bundle has the live Cluster objects (`kubectl get clusters -A
 * -o yaml`) and the admin's bmctl config.
 *
 * Negative: the same fleet with fleet-user-b on 1.9.0 (older patch than the admin's 1.9.1) and
 * fleet-user-a on 1.8.3: three different versions, all allowed.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { DAY } from '../lib/time.js';
import { clusterItem, withFiles, yamlList } from '../lib/noise/lifecycle-bundle.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'underscores' as const;

function cluster(): Cluster {
  return buildCluster({
    seed: 'fleet-admin',
    name: 'fleet-admin',
    controlPlanes: 1,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.1',
    kubernetesVersion: 'v1.21.4-gke.201',
    kubeProxy: { version: 'v1.21.4-gke.201', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.6',
    start: '2024-12-02T10:00:00Z',
    hours: 3,
  });
}

function build(userB: string): BundleSpec {
  const c = cluster();
  const cp = c.nodes.filter((n) => n.role === 'control-plane').map((n) => n.ip);
  const clusters = yamlList([
    clusterItem({ name: c.name, type: 'hybrid', version: '1.9.1', controlPlane: cp, created: c.created, project: c.project, generation: 9 }),
    clusterItem({ name: 'fleet-user-a', type: 'user', version: '1.8.3', controlPlane: ['10.200.2.11'], created: c.created + 2 * DAY, project: c.project, generation: 6 }),
    clusterItem({ name: 'fleet-user-b', type: 'user', version: userB, controlPlane: ['10.200.3.11'], created: c.created + 9 * DAY, project: c.project, generation: 4 }),
  ]);
  return withFiles(snapshot(c, { style: STYLE }), c, [{ path: 'kubectl/kubectl_get_clusters_-A_-o_yaml', content: clusters }]);
}

export const scenario: Scenario = { id: 'user-cluster-version-skew', positive: () => build('1.7.2'), negative: () => build('1.9.0') };
export default scenario;
