/**
 * upgrade-stuck-waiting-181: a 1.7.x → 1.8.0/1.8.1 upgrade of an admin, hybrid or standalone
 * cluster never finishes; bmctl only prints `Waiting for upgrade to complete...` without naming
 * a node (seed 002; fixed in 1.8.2).
 *
 * Positive: hybrid cluster plant-ops-1, created on 1.7.2 and updated since, is being upgraded
 * to 1.8.1. The preflight checks pass, the control plane already runs Kubernetes
 * v1.20.8-gke.1500, and for the last three hours the upgrade log holds nothing but
 * `Waiting for upgrade to complete...` every ten minutes, with no node named. The Cluster object
 * shows the Reconciling condition's observedGeneration equal to the object's generation.
 *
 * Negative: the same cluster and the same upgrade to 1.8.1 going through: each `Waiting for
 * upgrade to complete...` line names the machine being upgraded, and the log ends with the
 * upgrade completed.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, MIN, SEC, dashedStamp } from '../lib/time.js';
import { BmctlLines, clusterItem, withFiles, yamlList } from '../lib/noise/lifecycle-bundle.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'underscores' as const;

function cluster(): Cluster {
  return buildCluster({
    seed: 'plant-ops-1',
    name: 'plant-ops-1',
    controlPlanes: 1,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.1',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0-rc93',
    containerdVersion: '1.4.6',
    start: '2024-05-14T07:00:00Z',
    hours: 4,
  });
}

/** The upgrade log up to the point where bmctl starts waiting; returns the log builder. */
function upgradeStart(c: Cluster, started: number): BmctlLines {
  const log = new BmctlLines(started, new Rng(`${c.seed}/upgrade`));
  log.at(`bmctl upgrade cluster -c ${c.name} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`, 0);
  log.at('Waiting for preflight check job to finish... OK', 3 * MIN + 12 * SEC);
  log.at('- Validation Category: machines and network');
  for (const n of c.nodes) log.at(`\t- [PASSED] ${n.ip}`, 40_000);
  log.at('\t- [PASSED] node-network', 40_000);
  log.at('- Validation Category: gcp');
  log.at('\t- [PASSED] gcp', 40_000);
  log.at('- Validation Category: cluster');
  log.at('\t- [PASSED] cluster', 40_000);
  log.at('- Validation Category: add-ons');
  log.at('\t- [PASSED] add-ons', 40_000);
  log.at('Flushing logs... OK');
  log.at(`Updating cluster ${c.name} to version 1.8.1... OK`, 6 * SEC);
  return log;
}

function clusterObject(c: Cluster, reconciled: boolean): string {
  const cp = c.nodes.filter((n) => n.role === 'control-plane').map((n) => n.ip);
  const gen = 7;
  const status = [
    '    systemServiceConditions:',
    '    - lastTransitionTime: "2024-05-14T08:03:41Z"',
    '      reason: DashboardReady',
    '      status: "True"',
    '      type: DashboardReady',
    '    - lastTransitionTime: "2024-05-14T08:03:41Z"',
    `      observedGeneration: ${reconciled ? gen : gen - 1}`,
    '      reason: ReconciliationCompleted',
    '      status: "True"',
    '      type: Reconciling',
  ].join('\n');
  return yamlList([clusterItem({ name: c.name, type: 'hybrid', version: '1.8.1', controlPlane: cp, created: c.created, generation: gen, status, project: c.project })]);
}

function positive(): BundleSpec {
  const c = cluster();
  const started = c.end - 3 * HOUR - 25 * MIN;
  const log = upgradeStart(c, started);
  log.at('Waiting for upgrade to complete...', 2 * MIN);
  const rng = new Rng(`${c.seed}/waiting`);
  while (log.t < c.end - 11 * MIN) log.at('Waiting for upgrade to complete...', 10 * MIN + rng.int(0, 3 * SEC));
  const dir = `bmctl-workspace/${c.name}/log/upgrade-cluster-${dashedStamp(started)}`;
  return withFiles(snapshot(c, { style: STYLE }), c, [
    { path: `${dir}/upgrade-cluster.log`, content: log.text() },
    { path: 'kubectl/kubectl_get_clusters_-A_-o_yaml', content: clusterObject(c, true) },
  ]);
}

function negative(): BundleSpec {
  const c = cluster();
  const started = c.end - 3 * HOUR - 25 * MIN;
  const log = upgradeStart(c, started);
  const rng = new Rng(`${c.seed}/waiting`);
  for (const n of c.nodes) {
    const machine = `${n.ip}`;
    log.at(`Waiting for upgrade to complete... (machine ${machine} is upgrading)`, 2 * MIN);
    log.at(`Waiting for upgrade to complete... (machine ${machine} is upgrading)`, 10 * MIN + rng.int(0, 3 * SEC));
    log.at(`Machine ${machine} upgraded to 1.8.1`, rng.int(2 * MIN, 6 * MIN));
  }
  log.at('Waiting for upgrade to complete... OK', rng.int(30 * SEC, 90 * SEC));
  log.at(`Cluster ${c.name} upgraded successfully to version 1.8.1`);
  log.at('Flushing logs... OK');
  const dir = `bmctl-workspace/${c.name}/log/upgrade-cluster-${dashedStamp(started)}`;
  return withFiles(snapshot(c, { style: STYLE }), c, [
    { path: `${dir}/upgrade-cluster.log`, content: log.text() },
    { path: 'kubectl/kubectl_get_clusters_-A_-o_yaml', content: clusterObject(c, true) },
  ]);
}

export const scenario: Scenario = { id: 'upgrade-stuck-waiting-181', positive, negative };
export default scenario;
