/**
 * upgrade-resourceversion-invalid: an upgrade hangs because the cluster operator's update of a
 * resource is rejected with `metadata.resourceVersion: Invalid value: 0x0: must be specified for an
 * update` (Anthos clusters on bare metal known issue, seed 002).
 *
 * Positive: hybrid cluster metro-core-4 is being upgraded from 1.9.4 to 1.10.0. Weeks ago an
 * operator changed the `local-shared` StorageClass with `kubectl apply`. Since the upgrade started,
 * anthos-cluster-operator logs `controllers/Cluster "msg"="error during manifests operations"
 * "error"="1 error occurred:\n\t* StorageClass.storage.k8s.io \"local-shared\" is invalid:
 * metadata.resourceVersion: Invalid value: 0x0: must be specified for an update\n\n"` at every
 * retry, for three hours, and never reports the upgrade done.
 *
 * Negative: the same upgrade meets two ordinary update conflicts (`Operation cannot be fulfilled
 * on configmaps "…": the object has been modified`), also reported as `error during manifests
 * operations`, and then completes.
 */
import { type Cluster, type Node, type Pod, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC } from '../lib/time.js';
import { type Rec, fixed, klog, merge } from '../lib/timeline.js';
import { snapshot } from '../lib/snapshot.js';
import { addPod, clusterOperatorWorkload } from '../lib/noise/install-bundle.js';

function cluster(): { c: Cluster; operator: Pod } {
  const c = buildCluster({
    seed: 'metro-core-4',
    name: 'metro-core-4',
    controlPlanes: 3,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.10.0',
    kubernetesVersion: 'v1.21.5-gke.1300',
    kubeProxy: { version: 'v1.21.5-gke.1300', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2022-01-25T08:00:00Z',
    hours: 4.5,
  });
  const cp = c.nodes.find((n) => n.role === 'control-plane') as Node;
  return { c, operator: addPod(c, { workload: clusterOperatorWorkload(c), node: cp }) };
}

const UPGRADE_AT = 70 * MIN;

/**
 * klogr's `name "msg"="…" "key"="value"` body. With `raw`, values keep their line breaks (the
 * operator prints multi-error values over several lines); otherwise they are escaped.
 */
function klogr(logger: string, msg: string, kv: Record<string, string> = {}, raw = false): string {
  const quote = (v: string): string => (raw ? `"${v.replaceAll('"', '\\"')}"` : JSON.stringify(v));
  const pairs = Object.entries(kv).map(([k, v]) => ` "${k}"=${quote(v)}`).join('');
  return `${logger} "msg"=${JSON.stringify(msg)}${pairs}`;
}

/** Start-up, then a reconcile every ten minutes: what a healthy operator logs. */
function operatorBase(c: Cluster, pod: Pod, until: number): Rec[] {
  const rng = new Rng(`${c.seed}/operator/base`);
  const key = `${c.namespace}/${c.name}`;
  const out: Rec[] = [];
  let t = pod.containers[0].started + 300_000;
  const i = (caller: string, body: string, gap = rng.int(2000, 90_000)): void => { t += gap; out.push({ t, text: klog('I', t, 1, caller, body) }); };
  i('main.go:97', klogr('setup', 'starting manager', { version: c.anthosVersion === '1.10.0' ? '1.9.4' : c.anthosVersion }));
  i('leaderelection.go:243', 'attempting to acquire leader lease kube-system/cluster-operator-leader-election...');
  i('leaderelection.go:253', 'successfully acquired lease kube-system/cluster-operator-leader-election', rng.int(1 * SEC, 5 * SEC));
  for (const kind of ['Cluster', 'NodePool', 'BareMetalMachine']) {
    i('controller.go:165', klogr(`controller-runtime/manager/controller/${kind.toLowerCase()}`, 'Starting EventSource', { 'reconciler group': 'baremetal.cluster.gke.io', 'reconciler kind': kind }));
    i('controller.go:173', klogr(`controller-runtime/manager/controller/${kind.toLowerCase()}`, 'Starting Controller', { 'reconciler group': 'baremetal.cluster.gke.io', 'reconciler kind': kind }));
    i('controller.go:207', klogr(`controller-runtime/manager/controller/${kind.toLowerCase()}`, 'Starting workers', { 'reconciler group': 'baremetal.cluster.gke.io', 'reconciler kind': kind, 'worker count': '1' }));
  }
  for (let r = t + rng.int(1 * MIN, 9 * MIN); r < until; r += 10 * MIN + rng.int(0, 20 * SEC)) {
    out.push({ t: r, text: klog('I', r, 1, 'cluster_controller.go:148', klogr('controllers/Cluster', 'Reconciling cluster', { cluster: key })) });
    const done = r + rng.int(400_000, 3 * SEC);
    out.push({ t: done, text: klog('I', done, 1, 'cluster_controller.go:231', klogr('controllers/Cluster', 'Reconciled cluster', { cluster: key })) });
  }
  return out;
}

/** One failed manifests pass: the operator's error and controller-runtime's reconciler error. */
function failedPass(c: Cluster, t: number, cause: string, raw: boolean): Rec[] {
  const key = `${c.namespace}/${c.name}`;
  const error = `1 error occurred:\n\t* ${cause}\n\n`;
  return [
    { t, text: klog('I', t, 1, 'cluster_controller.go:148', klogr('controllers/Cluster', 'Reconciling cluster', { cluster: key })) },
    { t: t + 800_000, text: klog('I', t + 800_000, 1, 'manifests.go:88', klogr('controllers/Cluster', 'Applying manifests', { cluster: key, version: '1.10.0' })) },
    { t: t + 4 * SEC, text: klog('E', t + 4 * SEC, 1, 'cluster_controller.go:262', klogr('controllers/Cluster', 'error during manifests operations', { error, cluster: key }, raw)) },
    { t: t + 4 * SEC + 300, text: klog('E', t + 4 * SEC + 300, 1, 'controller.go:302', klogr('controller-runtime/manager/controller/cluster', 'Reconciler error', { error, 'reconciler group': 'baremetal.cluster.gke.io', 'reconciler kind': 'Cluster', name: c.name, namespace: c.namespace }, raw)) },
  ];
}

function upgradeStart(c: Cluster, t: number): Rec[] {
  return [{ t, text: klog('I', t, 1, 'upgrade.go:64', klogr('controllers/Cluster', 'Cluster version change detected, starting upgrade', { cluster: `${c.namespace}/${c.name}`, from: '1.9.4', to: '1.10.0' })) }];
}

function positive(): BundleSpec {
  const { c, operator } = cluster();
  const at = c.start + UPGRADE_AT;
  const rng = new Rng(`${c.seed}/operator/stuck`);
  const stuck: Rec[] = [...upgradeStart(c, at)];
  let backoff = 5 * SEC;
  for (let t = at + 2 * SEC; t < c.end; t += backoff + rng.int(0, 2 * SEC)) {
    stuck.push(...failedPass(c, t, 'StorageClass.storage.k8s.io "local-shared" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update', true));
    backoff = Math.min(backoff * 2, 16 * MIN + 40 * SEC);
  }
  const log = (): Iterable<string> => (function* () {
    for (const r of merge([fixed(operatorBase(c, operator, at)), fixed(stuck)])) yield r.text;
  })();
  return snapshot(c, { style: 'spaces', podLog: (pod) => (pod === operator ? log : undefined) });
}

function negative(): BundleSpec {
  const { c, operator } = cluster();
  const at = c.start + UPGRADE_AT;
  const key = `${c.namespace}/${c.name}`;
  const recs: Rec[] = [...upgradeStart(c, at)];
  recs.push(...failedPass(c, at + 2 * SEC, 'Operation cannot be fulfilled on configmaps "cluster-operator-config": the object has been modified; please apply your changes to the latest version and try again', true));
  recs.push(...failedPass(c, at + 9 * SEC, 'Operation cannot be fulfilled on configmaps "cluster-operator-config": the object has been modified; please apply your changes to the latest version and try again', true));
  const ok = at + 28 * SEC;
  recs.push({ t: ok, text: klog('I', ok, 1, 'manifests.go:88', klogr('controllers/Cluster', 'Applying manifests', { cluster: key, version: '1.10.0' })) });
  recs.push({ t: ok + 41 * SEC, text: klog('I', ok + 41 * SEC, 1, 'manifests.go:131', klogr('controllers/Cluster', 'Applied manifests', { cluster: key, version: '1.10.0' })) });
  recs.push({ t: ok + 38 * MIN, text: klog('I', ok + 38 * MIN, 1, 'upgrade.go:212', klogr('controllers/Cluster', 'Cluster upgrade completed', { cluster: key, version: '1.10.0' })) });
  const log = (): Iterable<string> => (function* () {
    for (const r of merge([fixed(operatorBase(c, operator, c.end)), fixed(recs)])) yield r.text;
  })();
  return snapshot(c, { style: 'spaces', podLog: (pod) => (pod === operator ? log : undefined) });
}

export const scenario: Scenario = { id: 'upgrade-resourceversion-invalid', positive, negative };
export default scenario;
