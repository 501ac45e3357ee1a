/**
 * manifests-dir-missing: `bmctl update cluster` fails when the `.manifests` folder of the admin
 * workstation is gone (Anthos clusters on bare metal known issue, seed 002; up to 1.10, fixed
 * in 1.11).
 *
 * Positive: cluster depot-9 (1.9.0). The operator cleaned up the workstation, then added a worker
 * to the node pool and ran `bmctl update cluster`; bmctl stopped with `Error updating cluster
 * resources.: failed to get CRD file .manifests/1.9.0/cluster-operator/base/crd/bases/
 * baremetal.cluster.gke.io_clusters.yaml: open …: no such file or directory`. Support asked for a
 * snapshot, which is this bundle.
 *
 * Negative: the same update fails on the same CRD file for another reason: the operator ran bmctl
 * as their own user while `.manifests` had been extracted by root (`open .manifests/1.9.0/…:
 * permission denied`). The folder is there; recreating it is not the fix.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { MIN, SEC, dashedStamp } from '../lib/time.js';
import { snapshot } from '../lib/snapshot.js';
import { addFiles, bmctlLog } from '../lib/noise/install-bundle.js';

function cluster(): Cluster {
  return buildCluster({
    seed: 'depot-9',
    name: 'depot-9',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.0',
    kubernetesVersion: 'v1.21.4-gke.201',
    kubeProxy: { version: 'v1.21.4-gke.201', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.6',
    start: '2021-10-04T07:00:00Z',
    hours: 4,
  });
}

const CRD = '.manifests/1.9.0/cluster-operator/base/crd/bases/baremetal.cluster.gke.io_clusters.yaml';

function withUpdate(c: Cluster, failure: string): BundleSpec {
  const at = c.end - 37 * MIN;
  const log = bmctlLog(at, [
    [0, `bmctl update cluster -c ${c.name} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`],
    [1 * SEC + 200_000, failure],
  ]);
  const spec = snapshot(c, { style: 'underscores' });
  return addFiles(spec, c, [{ path: `bmctl-workspace/${c.name}/log/update-cluster-${dashedStamp(at)}/update-cluster.log`, content: log.text }]);
}

function positive(): BundleSpec {
  return withUpdate(cluster(), `Error updating cluster resources.: failed to get CRD file ${CRD}: open ${CRD}: no such file or directory`);
}

function negative(): BundleSpec {
  return withUpdate(cluster(), `Error updating cluster resources.: failed to get CRD file ${CRD}: open ${CRD}: permission denied`);
}

export const scenario: Scenario = { id: 'manifests-dir-missing', positive, negative };
export default scenario;
