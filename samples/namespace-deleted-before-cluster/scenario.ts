/**
 * namespace-deleted-before-cluster: a user cluster's namespace was deleted while its Cluster
 * object still existed, so the jobs that reset its machines cannot be created and the machines
 * are never cleaned (seed 002, reset / deletion: deleting the namespace).
 *
 * Positive: snapshot of hybrid cluster corp-admin, which manages user cluster corp-user-2. Someone
 * ran `kubectl delete namespace cluster-corp-user-2`: the namespace is Terminating, the Cluster
 * corp-user-2 inside it carries a deletionTimestamp and its finalizer, and the Anthos cluster
 * operator logs, every few minutes for two hours, that the reset job for each of the user
 * cluster's machines `is forbidden: unable to create new content in namespace
 * cluster-corp-user-2 because it is being terminated`; `kubectl get events` has the same.
 *
 * Negative: the same user cluster deleted in the right order: the Cluster object is being deleted
 * in an Active namespace and the operator's reset jobs run and complete. Meanwhile an unrelated
 * namespace, shop-staging, is Terminating and its ReplicaSet cannot create pods there (`unable to
 * create new content in namespace shop-staging because it is being terminated`).
 */
import { type Cluster, type Pod, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, MIN, SEC, kubectlAge } from '../lib/time.js';
import { klog } from '../lib/timeline.js';
import { table } from '../lib/noise/kubectl.js';
import { addPod, clusterItem, clusterOperatorWorkload, namespacesTable, withFiles, yamlList } from '../lib/noise/lifecycle-bundle.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'spaces' as const;
const USER = 'corp-user-2';
const USER_NS = `cluster-${USER}`;
const USER_MACHINES = ['10.200.1.21', '10.200.1.22', '10.200.1.23'];

function cluster(): { c: Cluster; operator: Pod } {
  const c = buildCluster({
    seed: 'corp-admin',
    name: 'corp-admin',
    controlPlanes: 1,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.2',
    kubernetesVersion: 'v1.21.5-gke.1200',
    kubeProxy: { version: 'v1.21.5-gke.1200', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2024-11-04T08:00:00Z',
    hours: 4,
  });
  const operator = addPod(c, { workload: clusterOperatorWorkload(), node: c.nodes[0], restarts: 0 });
  return { c, operator };
}

function clusters(c: Cluster, userDeleted: number): string {
  return yamlList([
    clusterItem({ name: c.name, type: 'hybrid', version: '1.9.2', controlPlane: c.nodes.filter((n) => n.role === 'control-plane').map((n) => n.ip), created: c.created, project: c.project }),
    clusterItem({ name: USER, type: 'user', version: '1.9.2', controlPlane: [USER_MACHINES[0]], created: c.created + 3 * 24 * HOUR, deletionTimestamp: userDeleted, generation: 5, project: c.project }),
  ]);
}

/** The operator's log: start-up, routine reconciles, and what the scenario adds. */
function operatorLog(c: Cluster, pod: Pod, extra: { t: number; text: string }[]): string {
  const rng = new Rng(`${c.seed}/operator`);
  const t0 = pod.containers[0].started + 200_000;
  const lines: { t: number; text: string }[] = [
    { t: t0, text: klog('I', t0, 1, 'main.go:112', 'starting anthos-cluster-operator version 1.9.2') },
    { t: t0 + 300_000, text: klog('I', t0 + 300_000, 1, 'leaderelection.go:243', 'attempting to acquire leader lease kube-system/anthos-cluster-operator...') },
    { t: t0 + 9 * SEC, text: klog('I', t0 + 9 * SEC, 1, 'leaderelection.go:253', 'successfully acquired lease kube-system/anthos-cluster-operator') },
  ];
  for (let t = t0 + 2 * MIN; t < c.end; t += rng.int(9 * MIN, 14 * MIN)) {
    const name = rng.chance(0.6) ? c.name : USER;
    lines.push({ t, text: klog('I', t, 1, 'cluster_controller.go:184', `controllers/Cluster "msg"="reconciling cluster" "cluster"="${name}" "namespace"="cluster-${name}"`) });
  }
  lines.push(...extra);
  lines.sort((a, b) => a.t - b.t);
  return `${lines.map((l) => l.text).join('\n')}\n`;
}

function positive(): BundleSpec {
  const { c, operator } = cluster();
  const deleted = c.end - 2 * HOUR - 12 * MIN;
  const rng = new Rng(`${c.seed}/forbidden`);
  const extra: { t: number; text: string }[] = [];
  for (let t = deleted + 40 * SEC; t < c.end; t += rng.int(4 * MIN, 6 * MIN)) {
    for (const m of USER_MACHINES) {
      const u = t + rng.int(0, 900_000);
      extra.push({ t: u, text: klog('E', u, 1, 'controller.go:302', `controller-runtime/manager/controller/cluster "msg"="Reconciler error" "error"="failed to reset machine ${m}: jobs.batch \\"bm-system-${m}-machine-reset-${rng.k8sSuffix()}\\" is forbidden: unable to create new content in namespace ${USER_NS} because it is being terminated" "name"="${USER}" "namespace"="${USER_NS}"`) });
    }
  }
  const events = table(['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], [
    [USER_NS, `${Math.round(rng.int(60, 240) / 60)}m`, 'Warning', 'ReconcileError', `cluster/${USER}`, `failed to reset machine ${USER_MACHINES[0]}: jobs.batch "bm-system-${USER_MACHINES[0]}-machine-reset-${rng.k8sSuffix()}" is forbidden: unable to create new content in namespace ${USER_NS} because it is being terminated`],
    [USER_NS, kubectlAge(c.end - deleted), 'Normal', 'Deleting', `cluster/${USER}`, `Deleting cluster ${USER}`],
  ]);
  const spec = snapshot(c, { style: STYLE, podLog: (pod) => (pod === operator ? operatorLog(c, pod, extra) : undefined) });
  return withFiles(spec, c, [
    { path: 'kubectlCommands/kubectl get namespaces', content: namespacesTable(c, [{ name: USER_NS, status: 'Terminating', created: c.created + 3 * 24 * HOUR }, { name: `cluster-${c.name}` }]) },
    { path: 'kubectlCommands/kubectl get clusters -A -o yaml', content: clusters(c, deleted) },
    { path: 'kubectlCommands/kubectl get events -A', content: events },
  ]);
}

function negative(): BundleSpec {
  const { c, operator } = cluster();
  const deleted = c.end - 40 * MIN;
  const rng = new Rng(`${c.seed}/reset`);
  const extra: { t: number; text: string }[] = [];
  let t = deleted + 20 * SEC;
  for (const m of USER_MACHINES) {
    const job = `bm-system-${m}-machine-reset-${rng.k8sSuffix()}`;
    extra.push({ t, text: klog('I', t, 1, 'machine_controller.go:412', `controllers/BaremetalMachine "msg"="created reset job" "job"="${job}" "machine"="${m}" "namespace"="${USER_NS}"`) });
    t += rng.int(3 * MIN, 5 * MIN);
    extra.push({ t, text: klog('I', t, 1, 'machine_controller.go:447', `controllers/BaremetalMachine "msg"="reset job completed" "job"="${job}" "machine"="${m}" "namespace"="${USER_NS}"`) });
  }
  const staging = c.end - 25 * MIN;
  const events = table(['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], [
    ['shop-staging', '3m', 'Warning', 'FailedCreate', 'replicaset/web-7c9d8f6b5d', 'Error creating: pods "web-7c9d8f6b5d-x2kq9" is forbidden: unable to create new content in namespace shop-staging because it is being terminated'],
    [USER_NS, kubectlAge(c.end - deleted), 'Normal', 'Deleting', `cluster/${USER}`, `Deleting cluster ${USER}`],
  ]);
  const spec = snapshot(c, { style: STYLE, podLog: (pod) => (pod === operator ? operatorLog(c, pod, extra) : undefined) });
  return withFiles(spec, c, [
    { path: 'kubectlCommands/kubectl get namespaces', content: namespacesTable(c, [{ name: USER_NS, created: c.created + 3 * 24 * HOUR }, { name: `cluster-${c.name}` }, { name: 'shop-staging', status: 'Terminating', created: staging - 20 * 24 * HOUR }]) },
    { path: 'kubectlCommands/kubectl get clusters -A -o yaml', content: clusters(c, deleted) },
    { path: 'kubectlCommands/kubectl get events -A', content: events },
  ]);
}

export const scenario: Scenario = { id: 'namespace-deleted-before-cluster', positive, negative };
export default scenario;
