/**
 * upgrade-nil-context-18x: `bmctl upgrade cluster` to 1.8.3 or 1.8.4 fails with a nil context
 * error when GOOGLE_APPLICATION_CREDENTIALS is not set (seed 002).
 *
 * Positive: hybrid cluster harbor-dc-2 on 1.8.2, its config edited to 1.8.3. The upgrade log
 * shows the preflight checks passing, then `Error upgrading cluster: failed to validate GKE
 * Connect membership: net/http: nil Context`; a second attempt twenty minutes later fails the
 * same way. Nothing was upgraded: the nodes still run the 1.8.2 Kubernetes version.
 *
 * Negative: the same upgrade to 1.8.3 with a different, transient failure: the preflight job
 * status check hits `context deadline exceeded` and is retried, a later line prints a Go `<nil>`
 * error value, and the upgrade completes.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, MIN, SEC, dashedStamp } from '../lib/time.js';
import { BmctlLines, withFiles } from '../lib/noise/lifecycle-bundle.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'spaces' as const;

function cluster(): Cluster {
  return buildCluster({
    seed: 'harbor-dc-2',
    name: 'harbor-dc-2',
    controlPlanes: 3,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.3',
    kubernetesVersion: 'v1.20.9-gke.101',
    kubeProxy: { version: 'v1.20.9-gke.101', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2024-06-03T12:00:00Z',
    hours: 3,
  });
}

function preflight(c: Cluster, log: BmctlLines): void {
  log.at(`bmctl upgrade cluster -c ${c.name} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`, 0);
  log.at('Waiting for preflight check job to finish... OK', 3 * MIN + 40 * SEC);
  log.at('- Validation Category: machines and network');
  for (const n of c.nodes) log.at(`\t- [PASSED] ${n.ip}`, 30_000);
  log.at('\t- [PASSED] node-network', 30_000);
  log.at('- Validation Category: gcp');
  log.at('\t- [PASSED] gcp', 30_000);
  log.at('- Validation Category: add-ons');
  log.at('\t- [PASSED] add-ons', 30_000);
  log.at('Flushing logs... OK');
}

function logDir(c: Cluster, t: number): string {
  return `bmctl-workspace/${c.name}/log/upgrade-cluster-${dashedStamp(t)}`;
}

function positive(): BundleSpec {
  const c = cluster();
  const files = [c.end - 2 * HOUR, c.end - 100 * MIN].map((start, i) => {
    const log = new BmctlLines(start, new Rng(`${c.seed}/upgrade/${i}`));
    preflight(c, log);
    log.at('Upgrading cluster harbor-dc-2 from 1.8.2 to 1.8.3');
    log.at('Error upgrading cluster: failed to validate GKE Connect membership: net/http: nil Context', 2 * SEC);
    log.at('Flushing logs... OK');
    return { path: `${logDir(c, start)}/upgrade-cluster.log`, content: log.text() };
  });
  return withFiles(snapshot(c, { style: STYLE }), c, files);
}

function negative(): BundleSpec {
  const c = cluster();
  const start = c.end - 2 * HOUR;
  const log = new BmctlLines(start, new Rng(`${c.seed}/upgrade/ok`));
  log.at(`bmctl upgrade cluster -c ${c.name} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`, 0);
  log.at('Waiting for preflight check job to finish... failed to get job status: Get "https://10.200.0.50:443/apis/batch/v1/namespaces/cluster-harbor-dc-2/jobs/bm-system-upgrade-preflight": context deadline exceeded, retrying', 2 * MIN);
  log.at('Waiting for preflight check job to finish... OK', 2 * MIN);
  log.at('- Validation Category: machines and network');
  for (const n of c.nodes) log.at(`\t- [PASSED] ${n.ip}`, 30_000);
  log.at('\t- [PASSED] node-network', 30_000);
  log.at('- Validation Category: gcp');
  log.at('\t- [PASSED] gcp', 30_000);
  log.at('Flushing logs... OK');
  log.at('Upgrading cluster harbor-dc-2 from 1.8.2 to 1.8.3');
  log.at('GKE Connect membership check: error=<nil>, context harbor-dc-2-admin@harbor-dc-2 in use');
  log.at('Waiting for control plane to be upgraded... OK', 14 * MIN);
  log.at('Waiting for node pools to be upgraded... OK', 21 * MIN);
  log.at('Cluster harbor-dc-2 upgraded successfully to version 1.8.3', 20 * SEC);
  log.at('Flushing logs... OK');
  return withFiles(snapshot(c, { style: STYLE }), c, [{ path: `${logDir(c, start)}/upgrade-cluster.log`, content: log.text() }]);
}

export const scenario: Scenario = { id: 'upgrade-nil-context-18x', positive, negative };
export default scenario;
