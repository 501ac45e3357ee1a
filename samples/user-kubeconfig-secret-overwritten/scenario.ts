/**
 * user-kubeconfig-secret-overwritten: `bmctl check cluster` run on a user cluster (Anthos clusters
 * on bare metal ≤ 1.11.1) overwrites the user cluster's kubeconfig Secret in the admin cluster
 * with the admin cluster's kubeconfig, and later updates and upgrades of that user cluster fail
 * (seed 002, operations: kubeconfig secret overwritten).
 *
 * Positive: a snapshot of user cluster edge-user-1 (1.10.3; its bmctl config says `type: user`)
 * taken with the admin cluster's kubeconfig, as user clusters are checked:
 * `bmctl check cluster --snapshot … --cluster edge-user-1 --kubeconfig
 * bmctl-workspace/edge-admin/edge-admin-kubeconfig`. A run of the same command three days earlier
 * is in the workspace too.
 *
 * Negative: the same version, a snapshot of the admin cluster edge-admin taken with its own
 * kubeconfig; `kubectl get clusters -A -o yaml` lists edge-user-1 as a user cluster. bmctl check
 * cluster ran and a user cluster exists, but the check was not run on the user cluster.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { DAY, MIN, SEC, dashedStamp } from '../lib/time.js';
import { checkClusterLog, clusterConfig } from '../lib/noise/bmctl.js';
import { BmctlLines, clusterItem, withFiles, yamlList } from '../lib/noise/lifecycle-bundle.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'spaces' as const;
const ADMIN = 'edge-admin';

function cluster(name: string): Cluster {
  return buildCluster({
    seed: name,
    name,
    controlPlanes: 1,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.10.3',
    kubernetesVersion: 'v1.21.5-gke.1300',
    kubeProxy: { version: 'v1.21.5-gke.1300', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.5.8',
    start: '2025-01-13T07:00:00Z',
    hours: 3,
  });
}

function positive(): BundleSpec {
  const c = cluster('edge-user-1');
  const adminKc = `bmctl-workspace/${ADMIN}/${ADMIN}-kubeconfig`;
  const config = clusterConfig(c).replace('  type: hybrid', '  type: user');
  const check = checkClusterLog(c).replace(`--kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`, `--kubeconfig ${adminKc}`);
  const earlier = c.end - 3 * DAY - 4 * 60 * MIN;
  const log = new BmctlLines(earlier, new Rng(`${c.seed}/earlier-check`));
  log.at(`bmctl check cluster --cluster ${c.name} --kubeconfig ${adminKc}`, 0);
  log.at('Checking cluster version... OK');
  log.at('Waiting for health check job to finish... OK', 2 * MIN + 14 * SEC);
  log.at('- Validation Category: machines and network');
  for (const n of c.nodes) log.at(`\t- [PASSED] ${n.ip}`, 30_000);
  log.at('\t- [PASSED] node-network', 30_000);
  log.at('- Validation Category: kubernetes');
  log.at('\t- [PASSED] kubernetes', 30_000);
  log.at('Flushing logs... OK');
  const spec = snapshot(c, { style: STYLE });
  return withFiles(spec, c, [
    { path: `bmctl-workspace/${c.name}/${c.name}.yaml`, content: config },
    { path: `bmctl-workspace/${c.name}/log/check-cluster-${dashedStamp(earlier)}/check-cluster.log`, content: log.text() },
    ...spec.entries.filter((e) => e.path.endsWith('/check-cluster.log')).map((e) => ({ path: e.path.slice(e.path.indexOf('/') + 1), content: check })),
  ]);
}

function negative(): BundleSpec {
  const c = cluster(ADMIN);
  const cp = c.nodes.filter((n) => n.role === 'control-plane').map((n) => n.ip);
  const clusters = yamlList([
    clusterItem({ name: c.name, type: 'hybrid', version: '1.10.3', controlPlane: cp, created: c.created, project: c.project }),
    clusterItem({ name: 'edge-user-1', type: 'user', version: '1.10.3', controlPlane: ['10.200.4.11'], created: c.created + 5 * DAY, project: c.project }),
  ]);
  return withFiles(snapshot(c, { style: STYLE }), c, [{ path: 'kubectlCommands/kubectl get clusters -A -o yaml', content: clusters }]);
}

export const scenario: Scenario = { id: 'user-kubeconfig-secret-overwritten', positive, negative };
export default scenario;
