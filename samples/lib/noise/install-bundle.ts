/**
 * Editing a finished snapshot for the install / upgrade scenarios: replace or rewrite a member,
 * add the files an operation leaves behind (bmctl logs of an upgrade, extra `kubectl get`
 * outputs), change a line generator line by line, list pods with the status a scenario needs,
 * and add a pod the default model does not run (the cluster operator of an admin cluster).
 *
 * Everything here works on what `snapshot()` and `buildCluster()` return, so the shared generator
 * stays untouched and every file still comes from the same cluster model.
 */
import { type Cluster, type Node, type Pod, type WorkloadDef, imageId, nodeByName } from '../cluster.js';
import type { BundleSpec } from '../bundle.js';
import { Rng } from '../rng.js';
import { SEC, bmctlStamp, kubectlAge } from '../time.js';
import { table } from './kubectl.js';
import { editFiles } from '../edit.js';

export { addFiles, editFiles, mapLines } from '../edit.js';

/** Path of the bmctl cluster config below the top folder. */
export function clusterConfigPath(c: Cluster): string {
  return `bmctl-workspace/${c.name}/${c.name}.yaml`;
}

/** Rewrite the bmctl cluster config (`bmctl-workspace/<cluster>/<cluster>.yaml`) as text. */
export function editClusterConfig(spec: BundleSpec, c: Cluster, edit: (yaml: string) => string): BundleSpec {
  const path = clusterConfigPath(c);
  return editFiles(spec, c, (p) => p === path, (content) => {
    if (typeof content !== 'string') throw new Error('cluster config is expected to be text');
    const out = edit(content);
    if (out === content) throw new Error('cluster config edit changed nothing');
    return out;
  });
}

/** A bmctl log: `[2024-03-05 10:13:41+0000] message` lines, each `gap` µs after the one before. */
export function bmctlLog(start: number, steps: [number, string][]): { text: string; end: number } {
  let t = start;
  const out: string[] = [];
  for (const [gap, msg] of steps) {
    t += gap;
    out.push(`${bmctlStamp(t)} ${msg}`);
  }
  return { text: `${out.join('\n')}\n`, end: t };
}

/** Status of a pod in `kubectl get pods -o wide` when it is not simply Running. */
export interface PodRowOverride {
  ready?: string;
  status?: string;
  restarts?: number;
}

/**
 * `kubectl get pods -o wide` like the shared generator writes it, with some pods shown in another
 * state (CrashLoopBackOff, ImagePullBackOff…). Pods are named by `namespace/name`. `pending` are
 * pods that are scheduled but never started (kept out of the model so no node output shows them
 * running); they are listed too, with their override or as ContainerCreating.
 */
export function podsWide(c: Cluster, overrides: Map<string, PodRowOverride>, namespace?: string, pending: Pod[] = []): string {
  const pods = [...c.pods, ...pending]
    .filter((p) => namespace === undefined || p.namespace === namespace)
    .sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1));
  const rows = pods.map((p) => {
    const node = nodeByName(c, p.node);
    const total = p.containers.length;
    const o = overrides.get(`${p.namespace}/${p.name}`) ?? (pending.includes(p) ? { ready: `0/${total}`, status: 'ContainerCreating', restarts: 0 } : {});
    const ready = o.ready ?? `${p.phase === 'Succeeded' || !node.ready ? 0 : total}/${total}`;
    const status = o.status ?? (p.phase === 'Succeeded' ? 'Completed' : 'Running');
    const restarts = o.restarts ?? p.containers.reduce((n, ct) => n + ct.restarts, 0);
    const ip = pending.includes(p) && !p.hostNetwork ? '<none>' : p.ip;
    const row = [p.name, ready, status, String(restarts), kubectlAge(c.end - p.created), ip, p.node, '<none>', '<none>'];
    return namespace === undefined ? [p.namespace, ...row] : row;
  });
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'];
  return table(namespace === undefined ? ['NAMESPACE', ...header] : header, rows);
}

/** Replace every `kubectl get pods -o wide` output of the snapshot (either name style) by `podsWide`. */
export function withPodStates(spec: BundleSpec, c: Cluster, overrides: Map<string, PodRowOverride>, pending: Pod[] = []): BundleSpec {
  const spaces = /^kubectlCommands\/([^/]+)\/kubectl get pods -o wide$/;
  const all = 'kubectl/kubectl_get_pods_-o_wide_--all-namespaces';
  return editFiles(spec, c, (p) => spaces.test(p) || p === all, (_content, path) => {
    const m = spaces.exec(path);
    return m ? podsWide(c, overrides, m[1], pending) : podsWide(c, overrides, undefined, pending);
  });
}

export interface ExtraPod {
  workload: WorkloadDef;
  node: Node;
  /** Pod name; `<workload>-<rs hash>-<suffix>` when absent. */
  name?: string;
}

/**
 * Add a running pod to the model, started with the other pods after the node booted, so the
 * kubelet and containerd journals, `ps`, `mount`, `crictl` and `kubectl get pods` all show it.
 */
export function addPod(c: Cluster, x: ExtraPod): Pod {
  const rng = new Rng(`${c.seed}/extra-pod/${x.workload.namespace}/${x.workload.name}`);
  const node = x.node;
  const hostNetwork = x.workload.hostNetwork === true;
  const used = new Set(c.pods.map((p) => p.ip));
  let ip = node.ip;
  if (!hostNetwork) {
    for (let k = 200; k < 250; k++) {
      ip = `192.168.${node.index}.${k}`;
      if (!used.has(ip)) break;
    }
  }
  const started = node.kubeletStart + rng.int(50 * SEC, 110 * SEC);
  const netns = Math.max(0, ...c.pods.map((p) => p.netns)) + rng.int(1, 6);
  const pod: Pod = {
    namespace: x.workload.namespace,
    name: x.name ?? `${x.workload.name}-${rng.k8sSuffix(10)}-${rng.k8sSuffix()}`,
    uid: rng.uuid(),
    workload: x.workload,
    node: node.name,
    ip,
    hostNetwork,
    created: c.created + rng.int(30 * 60 * SEC, 90 * 60 * SEC),
    started,
    phase: 'Running',
    sandboxId: rng.hex(64),
    netns: hostNetwork ? 0 : netns,
    containers: x.workload.containers.map((ct) => ({
      name: ct.name,
      image: ct.image,
      imageId: imageId(ct.image),
      id: rng.hex(64),
      started: started + rng.int(200_000, 2 * SEC),
      restarts: 0,
      processes: ct.processes,
    })),
  };
  c.pods.push(pod);
  return pod;
}

/** The Anthos cluster operator of an admin or hybrid cluster (`kube-system/anthos-cluster-operator`). */
export function clusterOperatorWorkload(c: Cluster): WorkloadDef {
  return {
    namespace: 'kube-system', name: 'anthos-cluster-operator', kind: 'Deployment', replicas: 1, placement: 'control-plane',
    containers: [{
      name: 'operator',
      image: `gcr.io/anthos-baremetal-release/anthos-cluster-operator:${c.anthosVersion}`,
      processes: [{ comm: 'manager', user: '65532', rssKiB: 96340, threads: true, args: '/manager --metrics-addr=127.0.0.1:8080 --enable-leader-election' }],
    }],
  };
}
