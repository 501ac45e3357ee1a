/**
 * adc-credentials-missing: bmctl validates a regional `clusterOperations.location` with
 * Application Default Credentials, and stops when there are none (Anthos clusters on bare metal
 * known issue, seed 002).
 *
 * Positive: cluster retail-hub-2 (location us-central1). An operator runs `bmctl upgrade cluster`
 * from a freshly installed workstation without GOOGLE_APPLICATION_CREDENTIALS or `gcloud auth
 * application-default login`; bmctl stops while validating the config with `google: could not find
 * default credentials. See https://developers.google.com/accounts/docs/application-default-credentials
 * for more information.` Then the snapshot is taken.
 *
 * Negative: the same workstation with ADC set up; the upgrade still stops early, but because the
 * GCR service account key file named in the cluster config was not copied over
 * (`open bmctl-workspace/.sa-keys/…-gcr.json: no such file or directory`): a credentials problem,
 * not this one.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { MIN, SEC, dashedStamp } from '../lib/time.js';
import { snapshot } from '../lib/snapshot.js';
import { addFiles, bmctlLog } from '../lib/noise/install-bundle.js';

function cluster(): Cluster {
  return buildCluster({
    seed: 'retail-hub-2',
    name: 'retail-hub-2',
    controlPlanes: 3,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.2',
    kubernetesVersion: 'v1.21.4-gke.201',
    kubeProxy: { version: 'v1.21.4-gke.201', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2021-11-23T13:00:00Z',
    hours: 3,
  });
}

function withUpgradeAttempt(c: Cluster, failure: string[]): BundleSpec {
  const at = c.end - 24 * MIN;
  const log = bmctlLog(at, [
    [0, `bmctl upgrade cluster -c ${c.name} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`],
    [1 * SEC, 'Checking cluster version... OK'],
    [2 * SEC, `Upgrading cluster ${c.name} from 1.9.2 to 1.9.4`],
    [400_000, 'Validating cluster config...'],
    ...failure.map((line): [number, string] => [300_000, line]),
  ]);
  const spec = snapshot(c, { style: 'underscores' });
  return addFiles(spec, c, [{ path: `bmctl-workspace/${c.name}/log/upgrade-cluster-${dashedStamp(at)}/upgrade-cluster.log`, content: log.text }]);
}

function positive(): BundleSpec {
  const c = cluster();
  return withUpgradeAttempt(c, [
    'Flushing logs... OK',
    'Error upgrading cluster: failed to validate cluster config: failed to validate clusterOperations.location "us-central1": google: could not find default credentials. See https://developers.google.com/accounts/docs/application-default-credentials for more information.',
  ]);
}

function negative(): BundleSpec {
  const c = cluster();
  return withUpgradeAttempt(c, [
    'Flushing logs... OK',
    `Error upgrading cluster: failed to read service account key file bmctl-workspace/.sa-keys/${c.project}-anthos-baremetal-gcr.json: open bmctl-workspace/.sa-keys/${c.project}-anthos-baremetal-gcr.json: no such file or directory`,
  ]);
}

export const scenario: Scenario = { id: 'adc-credentials-missing', positive, negative };
export default scenario;
