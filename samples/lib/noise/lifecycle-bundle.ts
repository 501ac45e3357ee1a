/**
 * Helpers shared by the cluster-lifecycle scenarios (upgrades, deletion, credentials, logging
 * and Connect agents, incomplete snapshots): extra files a snapshot carries when its
 * `--snapshot-config` asks for more (objects as YAML, `kubectl describe`, extra node commands,
 * older bmctl logs), pods the model does not run by default, and `kubectl get` tables whose
 * rows show a pod crash-looping or a node NotReady on another version.
 *
 * Sample output (`bmctlLog`):
 *   [2024-03-05 10:14:12+0000] bmctl upgrade cluster -c prod-edge-1 --kubeconfig bmctl-workspace/prod-edge-1/prod-edge-1-kubeconfig
 *   [2024-03-05 10:14:15+0000] Waiting for preflight check job to finish... OK
 */
import { createHash } from 'node:crypto';
import { type Cluster, type Container, type Node, type Pod, type WorkloadDef, imageId, nodeByName } from '../cluster.js';
import type { BundleEntry, BundleSpec, Content } from '../bundle.js';
import { Rng } from '../rng.js';
import { SEC, bmctlStamp, kubectlAge } from '../time.js';
import { type NameStyle, topFolder } from '../snapshot.js';
import { namespaces, table } from './kubectl.js';

// ---------------------------------------------------------------------------------------------
// Bundle edits

export interface ExtraFile {
  /** Path below the snapshot's top folder (`kubectlCommands/kubectl get clusters -A -o yaml`). */
  path: string;
  content: Content;
}

/**
 * The snapshot with files added (or replaced, when the path exists) and, optionally, files
 * removed; paths are relative to the top folder. Entries stay sorted, as `snapshot()` leaves them.
 */
export function withFiles(spec: BundleSpec, c: Cluster, files: ExtraFile[], drop?: (relativePath: string) => boolean): BundleSpec {
  const top = `${topFolder(c)}/`;
  const added = new Map(files.map((f) => [`${top}${f.path}`, f.content]));
  const entries: BundleEntry[] = [];
  for (const e of spec.entries) {
    const rel = e.path.startsWith(top) ? e.path.slice(top.length) : e.path;
    if (drop?.(rel)) continue;
    const replacement = added.get(e.path);
    if (replacement !== undefined) {
      entries.push({ path: e.path, content: replacement });
      added.delete(e.path);
    } else entries.push(e);
  }
  for (const [path, content] of added) entries.push({ path, content });
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...spec, entries };
}

/** bmctl log lines, each behind bmctl's `[YYYY-MM-DD HH:MM:SS+0000]` stamp. */
export function bmctlLog(lines: readonly (readonly [number, string])[]): string {
  return `${lines.map(([t, msg]) => `${bmctlStamp(t)} ${msg}`).join('\n')}\n`;
}

/** Appends bmctl lines with growing time: `at(msg, gap)` after the previous line. */
export class BmctlLines {
  readonly lines: [number, string][] = [];
  constructor(public t: number, private readonly rng: Rng) {}
  at(msg: string, gap = this.rng.int(300_000, 4 * SEC)): this {
    this.t += gap;
    this.lines.push([this.t, msg]);
    return this;
  }
  text(): string {
    return bmctlLog(this.lines);
  }
}

// ---------------------------------------------------------------------------------------------
// Pods the default model does not run

export interface ExtraPodOptions {
  workload: WorkloadDef;
  node: Node;
  /** Pod name; `<workload>-<rs hash>-<suffix>` when absent. */
  name?: string;
  /** Restarts of the first container during its life. */
  restarts?: number;
  /** When the pod object was created (default: when the cluster was). */
  created?: number;
}

/**
 * Add a running pod to the model, so every file agrees about it: `kubectl get pods`, `ps`,
 * `crictl ps`, mounts, veths, the kubelet's and Cilium's start-up lines, and its log.
 */
export function addPod(c: Cluster, o: ExtraPodOptions): Pod {
  const rng = new Rng(`${c.seed}/extra-pod/${o.workload.namespace}/${o.workload.name}/${o.node.name}`);
  const used = new Set([...c.pods, ...c.pastPods].map((p) => p.ip));
  let ip = '';
  for (let k = 200; k < 255 && (ip === '' || used.has(ip)); k++) ip = `192.168.${o.node.index}.${k}`;
  const started = o.node.kubeletStart + rng.int(50 * SEC, 110 * SEC);
  const netns = Math.max(...c.pods.map((p) => p.netns)) + rng.int(1, 6);
  const containers: Container[] = o.workload.containers.map((def, i) => ({
    name: def.name,
    image: def.image,
    imageId: imageId(def.image),
    id: rng.hex(64),
    previousId: rng.hex(64),
    started: started + rng.int(200_000, 2 * SEC),
    restarts: i === 0 ? o.restarts ?? 1 : 1,
    processes: def.processes,
  }));
  const pod: Pod = {
    namespace: o.workload.namespace,
    name: o.name ?? `${o.workload.name}-${rng.k8sSuffix(rng.chance(0.5) ? 9 : 10)}-${rng.k8sSuffix()}`,
    uid: rng.uuid(),
    workload: o.workload,
    node: o.node.name,
    ip: o.workload.hostNetwork ? o.node.ip : ip,
    hostNetwork: o.workload.hostNetwork === true,
    created: o.created ?? c.created + rng.int(20 * 60 * SEC, 50 * 60 * SEC),
    started,
    phase: 'Running',
    sandboxId: rng.hex(64),
    netns: o.workload.hostNetwork ? 0 : netns,
    containers,
  };
  c.pods.push(pod);
  return pod;
}

/** The GKE Connect agent as Anthos clusters on bare metal deploy it (`gke-connect` namespace). */
export function connectAgentWorkload(): WorkloadDef {
  return {
    namespace: 'gke-connect',
    name: 'gke-connect-agent-20210514-01-00',
    kind: 'Deployment',
    replicas: 1,
    placement: 'worker',
    containers: [{
      name: 'gke-connect-agent-20210514-01-00',
      image: 'gcr.io/gkeconnect/gkeconnect-gce:20210514-01-00',
      processes: [{ comm: 'gkeconnect_bin', user: '65532', rssKiB: 98112, threads: true, args: '/app/connect/gkeconnect_bin' }],
    }],
  };
}

/** The Anthos cluster operator of an admin or hybrid cluster (`kube-system`). */
export function clusterOperatorWorkload(): WorkloadDef {
  return {
    namespace: 'kube-system',
    name: 'anthos-cluster-operator',
    kind: 'Deployment',
    replicas: 1,
    placement: 'control-plane',
    containers: [{
      name: 'operator',
      image: 'gcr.io/anthos-baremetal-release/anthos-cluster-operator:1.9.1',
      processes: [{ comm: 'manager', user: 'root', rssKiB: 88420, threads: true, args: '/manager --metrics-addr=127.0.0.1:8080 --enable-leader-election' }],
    }],
  };
}

// ---------------------------------------------------------------------------------------------
// kubectl tables with rows that differ from the model's defaults

export interface PodRowOverride {
  ready?: string;
  status?: string;
  restarts?: string;
}

/** `kubectl get pods -o wide` (one namespace, or all with a NAMESPACE column), rows overridable. */
export function podsTable(c: Cluster, namespace: string | undefined, override: (p: Pod) => PodRowOverride | undefined): string {
  const pods = c.pods
    .filter((p) => namespace === undefined || p.namespace === namespace)
    .sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.namespace < b.namespace ? -1 : 1));
  const rows = pods.map((p) => {
    const node = nodeByName(c, p.node);
    const total = p.containers.length;
    const ready = p.phase === 'Succeeded' || !node.ready ? 0 : total;
    const restarts = p.containers.reduce((n, ct) => n + ct.restarts, 0);
    const o = override(p) ?? {};
    const cells = [
      p.name, o.ready ?? `${ready}/${total}`, o.status ?? (p.phase === 'Succeeded' ? 'Completed' : 'Running'), o.restarts ?? String(restarts),
      kubectlAge(c.end - p.created), p.ip, p.node, '<none>', '<none>',
    ];
    return namespace === undefined ? [p.namespace, ...cells] : cells;
  });
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'];
  if (namespace !== undefined && rows.length === 0) return `No resources found in ${namespace} namespace.\n`;
  return table(namespace === undefined ? ['NAMESPACE', ...header] : header, rows);
}

/** Replace the pods tables of a snapshot (either name style) by ones with overridden rows. */
export function podsTableFiles(c: Cluster, style: NameStyle, override: (p: Pod) => PodRowOverride | undefined): ExtraFile[] {
  if (style === 'underscores') return [{ path: 'kubectl/kubectl_get_pods_-o_wide_--all-namespaces', content: podsTable(c, undefined, override) }];
  return namespaces(c).map((ns) => ({ path: `kubectlCommands/${ns}/kubectl get pods -o wide`, content: podsTable(c, ns, override) }));
}

/** `kubectl get nodes -o wide` with a version (and status) per node. */
export function nodesTable(c: Cluster, version: (n: Node) => string): string {
  const rows = c.nodes.map((n) => [
    n.name, n.ready ? 'Ready' : 'NotReady', n.role === 'control-plane' ? 'control-plane,master' : '<none>',
    kubectlAge(c.end - c.created - n.index * 9 * 60_000_000), version(n), n.ip, '<none>',
    c.os.prettyName, c.os.kernel, `containerd://${c.containerdVersion}`,
  ]);
  return table(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'], rows);
}

export function nodesTablePath(style: NameStyle): string {
  return style === 'spaces' ? 'kubectlCommands/kubectl get nodes -o wide' : 'kubectl/kubectl_get_nodes_-o_wide';
}

// ---------------------------------------------------------------------------------------------
// Objects as YAML

/** RFC 3339 seconds, the way the API server prints timestamps. */
export function apiTime(t: number): string {
  return new Date(Math.floor(t / 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A stable object uid for a name. */
export function uidFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A CA certificate as kubeconfigs and ClientConfigs carry it: the PEM text, base64-encoded.
 * The body is pseudo-random bytes of a realistic size (not a parsable certificate).
 */
export function caData(seed: string): string {
  const rng = new Rng(`ca/${seed}`);
  const bytes = Buffer.from(Array.from({ length: 790 }, () => rng.int(0, 255)));
  const b64 = bytes.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd();
  const pem = `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
  return Buffer.from(pem, 'utf8').toString('base64');
}

export interface ClusterObjectOptions {
  name: string;
  namespace?: string;
  type: 'admin' | 'user' | 'hybrid' | 'standalone';
  version: string;
  controlPlane: string[];
  created: number;
  generation?: number;
  deletionTimestamp?: number;
  /** Extra YAML under `status:` (indented two spaces), replacing the default status. */
  status?: string;
  runtime?: 'containerd' | 'docker';
  project?: string;
}

/** One `baremetal.cluster.gke.io/v1` Cluster as an item of `kubectl get clusters -A -o yaml`. */
export function clusterItem(o: ClusterObjectOptions): string {
  const ns = o.namespace ?? `cluster-${o.name}`;
  const lines = [
    '- apiVersion: baremetal.cluster.gke.io/v1',
    '  kind: Cluster',
    '  metadata:',
    '    annotations:',
    `      baremetal.cluster.gke.io/maintenance-mode-deadline-seconds: "180"`,
    `    creationTimestamp: "${apiTime(o.created)}"`,
    ...(o.deletionTimestamp !== undefined ? [`    deletionGracePeriodSeconds: 0`, `    deletionTimestamp: "${apiTime(o.deletionTimestamp)}"`] : []),
    '    finalizers:',
    '    - baremetal.cluster.gke.io/cluster-finalizer',
    `    generation: ${o.generation ?? 3}`,
    `    name: ${o.name}`,
    `    namespace: ${ns}`,
    `    resourceVersion: "${new Rng(`rv/${o.name}`).int(100000, 9999999)}"`,
    `    uid: ${uidFor(`cluster/${o.name}`)}`,
    '  spec:',
    `    anthosBareMetalVersion: ${o.version}`,
    '    clusterNetwork:',
    '      pods:',
    '        cidrBlocks:',
    '        - 192.168.0.0/16',
    '      services:',
    '        cidrBlocks:',
    '        - 10.96.0.0/20',
    '    controlPlane:',
    '      nodePoolSpec:',
    `        clusterName: ${o.name}`,
    '        nodes:',
    ...o.controlPlane.map((a) => `        - address: ${a}`),
    ...(o.project ? ['    gkeConnect:', `      projectID: ${o.project}`] : []),
    '    nodeConfig:',
    `      containerRuntime: ${o.runtime ?? 'containerd'}`,
    '      podDensity:',
    '        maxPodsPerNode: 110',
    `    type: ${o.type}`,
    '  status:',
    ...(o.status !== undefined ? o.status.replace(/\n$/, '').split('\n') : [
      '    conditions:',
      `    - lastTransitionTime: "${apiTime(o.created + 40 * 60 * SEC)}"`,
      '      observedGeneration: ' + String(o.generation ?? 3),
      '      reason: ReconciliationCompleted',
      '      status: "True"',
      '      type: Reconciling',
    ]),
  ];
  return lines.join('\n');
}

/** A `kind: List` of items already rendered as YAML list entries. */
export function yamlList(items: string[]): string {
  return `apiVersion: v1\nitems:\n${items.join('\n')}\nkind: List\nmetadata:\n  resourceVersion: ""\n  selfLink: ""\n`;
}

/** `kubectl get namespaces` for the given names and phases. */
export function namespacesTable(c: Cluster, rows: { name: string; status?: string; created?: number }[]): string {
  const all = new Map<string, { status: string; created: number }>();
  for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system', ...namespaces(c)]) all.set(ns, { status: 'Active', created: c.created });
  for (const r of rows) all.set(r.name, { status: r.status ?? 'Active', created: r.created ?? c.created });
  const names = [...all.keys()].sort();
  return table(['NAME', 'STATUS', 'AGE'], names.map((n) => [n, all.get(n)!.status, kubectlAge(c.end - all.get(n)!.created)]));
}
