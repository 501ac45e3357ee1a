/**
 * install-transient-errors-benign: webhook and registration errors that bmctl retries while it
 * creates a cluster are harmless (Anthos clusters on bare metal known issue, seed 002).
 *
 * Positive: a healthy cluster, river-lab-3, whose create-cluster log shows the usual start-up
 * errors: `failed calling webhook "vcluster.kb.io": … connection refused, retrying`, one `no
 * endpoints available for service "cap-webhook-service"`, a Connect registration retry, each
 * followed by the step completing (`Applying resources for new cluster... OK`, `Waiting for
 * cluster to become ready OK`).
 *
 * Negative: the same admin cluster (its own creation clean) later creates a user cluster, edge-u1.
 * That create log repeats the same webhook errors for 25 minutes and ends in `Error creating
 * cluster: …`, with no step completed after them: not transient.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC, dashedStamp } from '../lib/time.js';
import { snapshot } from '../lib/snapshot.js';
import { addFiles, bmctlLog, editFiles, mapLines } from '../lib/noise/install-bundle.js';

function cluster(): Cluster {
  return buildCluster({
    seed: 'river-lab-3',
    name: 'river-lab-3',
    controlPlanes: 1,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'ipvs' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2021-09-14T10:00:00Z',
    hours: 4,
  });
}

const isCreateLog = (p: string): boolean => /\/log\/create-cluster-[^/]+\/create-cluster\.log$/.test(p);

function positive(): BundleSpec {
  const c = cluster();
  const spec = snapshot(c, { style: 'spaces' });
  // One of the retries found the webhook's Service without endpoints yet, rather than refused.
  return editFiles(spec, c, isCreateLog, (content) => String(content).replace(/dial tcp [\d.]+:443: connect: connection refused/, 'no endpoints available for service "cap-webhook-service"'));
}

function negative(): BundleSpec {
  const c = cluster();
  const rng = new Rng(`${c.seed}/user-create`);
  // The admin cluster's own creation went through without a retry.
  let spec = editFiles(snapshot(c, { style: 'spaces' }), c, isCreateLog, (content) => mapLines(content, (l) => (/failed calling webhook|Registering cluster .* failed/.test(l) ? undefined : l)));
  const user = 'edge-u1';
  const at = c.end - 70 * MIN;
  const svc = `10.96.${rng.int(0, 15)}.${rng.int(2, 254)}`;
  const webhook = (why: string): string => `Waiting for cluster resources to be applied... failed calling webhook "vcluster.kb.io": Post "https://cap-webhook-service.kube-system.svc:443/validate-baremetal-cluster-gke-io-v1-cluster?timeout=30s": ${why}, retrying`;
  const retries: [number, string][] = [];
  for (let t = 0; t < 25 * MIN; t += rng.int(20 * SEC, 50 * SEC)) {
    retries.push([rng.int(20 * SEC, 50 * SEC), webhook(rng.chance(0.5) ? 'no endpoints available for service "cap-webhook-service"' : `dial tcp ${svc}:443: connect: connection refused`)]);
  }
  const log = bmctlLog(at, [
    [0, `bmctl create cluster -c ${user} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`],
    [3 * SEC, 'Waiting for preflight check job to finish... OK'],
    [2 * MIN + 10 * SEC, '- Validation Category: machines and network'],
    [40_000, '\t- [PASSED] 10.200.1.11'],
    [40_000, '\t- [PASSED] 10.200.1.12'],
    [40_000, '\t- [PASSED] node-network'],
    [1 * SEC, 'Flushing logs... OK'],
    [1 * SEC, 'Applying resources for new cluster'],
    ...retries,
    [30 * SEC, 'Flushing logs... OK'],
    [1 * SEC, `Error creating cluster: error applying cluster resources: Internal error occurred: failed calling webhook "vcluster.kb.io": Post "https://cap-webhook-service.kube-system.svc:443/validate-baremetal-cluster-gke-io-v1-cluster?timeout=30s": no endpoints available for service "cap-webhook-service"`],
  ]);
  spec = addFiles(spec, c, [{ path: `bmctl-workspace/${user}/log/create-cluster-${dashedStamp(at)}/create-cluster.log`, content: log.text }]);
  return spec;
}

export const scenario: Scenario = { id: 'install-transient-errors-benign', positive, negative };
export default scenario;
