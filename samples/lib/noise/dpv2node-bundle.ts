/**
 * Snapshot editing for the Dataplane V2 and node scenarios: add the outputs a default snapshot
 * does not carry (object YAML, events, unit status, audit records, bmctl preflight logs), rewrite
 * members line by line, list pods in the state a scenario needs (Terminating, ContainerCreating,
 * CrashLoopBackOff, pods that never started), add pods the default model does not run, and
 * change the nodes' OS as every file shows it.
 *
 * Everything works on what `buildCluster()` and `snapshot()` return, so the shared generator
 * stays as it is and the files still come from one cluster model.
 *
 * Sample output (`kubectl get events -A`):
 *   NAMESPACE   LAST SEEN   TYPE      REASON                   OBJECT                          MESSAGE
 *   shop        2m10s       Warning   FailedCreatePodSandBox   pod/catalog-6f7c9d8b4-x7k2p     Failed to create pod sandbox: …
 */
import { type Cluster, type Node, type Pod, type WorkloadDef, imageId, nodeByName } from '../cluster.js';
import type { BundleSpec } from '../bundle.js';
import { Rng } from '../rng.js';
import { type NameStyle, commandFile } from '../snapshot.js';
import { SEC, bmctlStamp, kubectlAge } from '../time.js';
import { table } from './kubectl.js';

// ---------------------------------------------------------------------------------------------
// Members

import { type ExtraFile, editFiles } from '../edit.js';

export { type ExtraFile, addFiles, editFiles, mapLines, nodeCommandPath, nodeCopyPath } from '../edit.js';

/**
 * Path of a cluster-wide kubectl output: `kubectlCommands/<namespace>/kubectl get …` (style
 * "spaces", per namespace) or `kubectl/kubectl_get_…_-A` (style "underscores", all namespaces).
 * `command` is written without the namespace flag (`kubectl get networkpolicies -o yaml`).
 */
export function kubectlPath(style: NameStyle, command: string, namespace: string): string {
  if (style === 'spaces') return `kubectlCommands/${namespace}/${command}`;
  const all = command.replace(/^(kubectl get \S+)/, '$1 -A');
  return `kubectl/${commandFile(all, style)}`;
}

// ---------------------------------------------------------------------------------------------
// kubectl tables

/** How a pod appears in `kubectl get pods -o wide` when it is not simply Running. */
export interface PodRow {
  ready?: string;
  status?: string;
  restarts?: string;
}

/** A pod `kubectl get pods` lists although the model does not run it (a pod that cannot start). */
export interface GhostPod {
  namespace: string;
  name: string;
  uid: string;
  node: string;
  /** `<none>` while the sandbox has no IP. */
  ip: string;
  created: number;
  containers: number;
  row: PodRow;
}

/**
 * `kubectl get pods -o wide` as the shared generator writes it, with some pods (`namespace/name`)
 * shown in another state, and pods that never started added.
 */
export function podsWide(c: Cluster, overrides: ReadonlyMap<string, PodRow>, ghosts: readonly GhostPod[], namespace?: string): string {
  type Row = { ns: string; name: string; cells: string[] };
  const rows: Row[] = [];
  for (const p of c.pods) {
    if (namespace !== undefined && p.namespace !== namespace) continue;
    const node = nodeByName(c, p.node);
    const total = p.containers.length;
    const o = overrides.get(`${p.namespace}/${p.name}`) ?? {};
    const ready = o.ready ?? `${p.phase === 'Succeeded' || !node.ready ? 0 : total}/${total}`;
    const status = o.status ?? (p.phase === 'Succeeded' ? 'Completed' : 'Running');
    const restarts = o.restarts ?? String(p.containers.reduce((n, ct) => n + ct.restarts, 0));
    rows.push({ ns: p.namespace, name: p.name, cells: [p.name, ready, status, restarts, kubectlAge(c.end - p.created), p.ip, p.node, '<none>', '<none>'] });
  }
  for (const g of ghosts) {
    if (namespace !== undefined && g.namespace !== namespace) continue;
    rows.push({ ns: g.namespace, name: g.name, cells: [g.name, g.row.ready ?? `0/${g.containers}`, g.row.status ?? 'Pending', g.row.restarts ?? '0', kubectlAge(c.end - g.created), g.ip, g.node, '<none>', '<none>'] });
  }
  rows.sort((a, b) => (a.ns === b.ns ? (a.name < b.name ? -1 : 1) : a.ns < b.ns ? -1 : 1));
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'];
  if (namespace !== undefined) return table(header, rows.map((r) => r.cells));
  return table(['NAMESPACE', ...header], rows.map((r) => [r.ns, ...r.cells]));
}

/** Replace every `kubectl get pods -o wide` output of the snapshot (either name style) by `podsWide`. */
export function withPodRows(spec: BundleSpec, c: Cluster, overrides: ReadonlyMap<string, PodRow>, ghosts: readonly GhostPod[] = []): BundleSpec {
  const spaces = /^kubectlCommands\/([^/]+)\/kubectl get pods -o wide$/;
  const all = 'kubectl/kubectl_get_pods_-o_wide_--all-namespaces';
  return editFiles(spec, c, (p) => spaces.test(p) || p === all, (_content, path) => {
    const m = spaces.exec(path);
    return m ? podsWide(c, overrides, ghosts, m[1]) : podsWide(c, overrides, ghosts);
  });
}

/** One row of `kubectl get events`. */
export interface EventRow {
  /** When the event was last seen, µs. */
  t: number;
  namespace: string;
  type: 'Normal' | 'Warning';
  reason: string;
  /** `pod/<name>`, `node/<name>` … */
  object: string;
  message: string;
}

/** `kubectl get events -A` (or for one namespace), newest last, LAST SEEN relative to the snapshot. */
export function eventsTable(c: Cluster, events: readonly EventRow[], namespace?: string): string {
  const sorted = events.filter((e) => namespace === undefined || e.namespace === namespace).slice().sort((a, b) => a.t - b.t);
  if (sorted.length === 0) return namespace === undefined ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`;
  const header = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  const cells = (e: EventRow): string[] => [kubectlAge(c.end - e.t), e.type, e.reason, e.object, e.message];
  if (namespace !== undefined) return table(header, sorted.map(cells));
  return table(['NAMESPACE', ...header], sorted.map((e) => [e.namespace, ...cells(e)]));
}

/** The events table placed the way the snapshot style places kubectl outputs. */
export function eventsFiles(c: Cluster, style: NameStyle, events: readonly EventRow[]): ExtraFile[] {
  if (style === 'underscores') return [{ path: 'kubectl/kubectl_get_events_-A', content: eventsTable(c, events) }];
  const spaces = [...new Set(events.map((e) => e.namespace))].sort();
  return spaces.map((ns) => ({ path: `kubectlCommands/${ns}/kubectl get events`, content: eventsTable(c, events, ns) }));
}

// ---------------------------------------------------------------------------------------------
// Pods

/** A pod of a workload the default model does not run, started with the others after boot. */
export function addPod(c: Cluster, workload: WorkloadDef, node: Node, name?: string): Pod {
  const rng = new Rng(`${c.seed}/dpv2node-pod/${workload.namespace}/${workload.name}/${node.name}`);
  const hostNetwork = workload.hostNetwork === true;
  const used = new Set(c.pods.map((p) => p.ip));
  let ip = node.ip;
  if (!hostNetwork) {
    for (let k = 210; k < 250; k++) {
      ip = `192.168.${node.index}.${k}`;
      if (!used.has(ip)) break;
    }
  }
  const started = node.kubeletStart + rng.int(40 * SEC, 100 * SEC);
  const pod: Pod = {
    namespace: workload.namespace,
    name: name ?? `${workload.name}-${rng.k8sSuffix()}`,
    uid: rng.uuid(),
    workload,
    node: node.name,
    ip,
    hostNetwork,
    created: c.created + rng.int(20 * 60 * SEC, 90 * 60 * SEC),
    started,
    phase: 'Running',
    sandboxId: rng.hex(64),
    netns: hostNetwork ? 0 : Math.max(0, ...c.pods.map((p) => p.netns)) + rng.int(1, 6),
    containers: workload.containers.map((ct) => ({
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

/** A pod that was created but never got a sandbox (or never started its container). */
export function ghostPod(c: Cluster, base: Pod, node: Node, created: number, row: PodRow, ip = '<none>'): GhostPod {
  const rng = new Rng(`${c.seed}/dpv2node-ghost/${base.namespace}/${base.name}/${created}`);
  // A Deployment's new pod belongs to a new ReplicaSet (another hash); other kinds keep the name's stem.
  const stem = base.workload.kind === 'Deployment' ? `${base.workload.name}-${rng.k8sSuffix(rng.chance(0.5) ? 9 : 10)}` : (/^(.*)-[a-z0-9]{5}$/.exec(base.name)?.[1] ?? base.workload.name);
  return {
    namespace: base.namespace,
    name: `${stem}-${rng.k8sSuffix()}`,
    uid: rng.uuid(),
    node: node.name,
    ip,
    created,
    containers: base.containers.length,
    row,
  };
}

/** The kubelet's name for a pod: `name_namespace(uid)`. */
export function ghostRef(g: GhostPod): string {
  return `${g.name}_${g.namespace}(${g.uid})`;
}

// ---------------------------------------------------------------------------------------------
// Operating system

export interface OsOverride {
  prettyName: string;
  versionId: string;
  kernel: string;
  kernelBuild: string;
}

/**
 * Run the nodes on another release of the model's OS: `uname`, kernel logs and `kubectl get
 * nodes` follow the model; the returned text is the matching /etc/os-release (the default one is
 * fixed per OS family, so the scenario puts this one in its place).
 */
export function useOsRelease(c: Cluster, o: OsOverride): string {
  c.os = { ...c.os, prettyName: o.prettyName, kernel: o.kernel, kernelBuild: o.kernelBuild };
  if (c.os.id === 'rhel-8.4') {
    return [
      'NAME="Red Hat Enterprise Linux"',
      `VERSION="${o.versionId} (Ootpa)"`,
      'ID="rhel"',
      'ID_LIKE="fedora"',
      `VERSION_ID="${o.versionId}"`,
      'PLATFORM_ID="platform:el8"',
      `PRETTY_NAME="${o.prettyName}"`,
      'ANSI_COLOR="0;31"',
      `CPE_NAME="cpe:/o:redhat:enterprise_linux:${o.versionId}:GA"`,
      'HOME_URL="https://www.redhat.com/"',
      'DOCUMENTATION_URL="https://access.redhat.com/documentation/red_hat_enterprise_linux/8/"',
      'BUG_REPORT_URL="https://bugzilla.redhat.com/"',
      '',
      'REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 8"',
      `REDHAT_BUGZILLA_PRODUCT_VERSION=${o.versionId}`,
      'REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"',
      `REDHAT_SUPPORT_PRODUCT_VERSION="${o.versionId}"`,
      '',
    ].join('\n');
  }
  return [
    'NAME="Ubuntu"',
    `VERSION="${o.prettyName.replace(/^Ubuntu /, '')}"`,
    'ID=ubuntu',
    'ID_LIKE=debian',
    `PRETTY_NAME="${o.prettyName}"`,
    `VERSION_ID="${o.versionId}"`,
    'HOME_URL="https://www.ubuntu.com/"',
    'SUPPORT_URL="https://help.ubuntu.com/"',
    'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// bmctl logs

/** bmctl console lines: `[2024-03-05 10:13:41+0000] message`, each `gap` µs after the one before. */
export function bmctlLines(start: number, steps: readonly [number, string][]): { text: string; end: number } {
  let t = start;
  const out: string[] = [];
  for (const [gap, msg] of steps) {
    t += gap;
    out.push(`${bmctlStamp(t)} ${msg}`);
  }
  return { text: `${out.join('\n')}\n`, end: t };
}
