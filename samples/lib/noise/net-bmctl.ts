/**
 * A second cluster in the admin workstation's bmctl workspace, for scenarios where `bmctl create
 * cluster` of a new cluster failed next to a running one: its config file, the console log of the
 * attempt, and what bmctl keeps of the kind bootstrap cluster (`log/create-cluster-<stamp>/
 * bootstrap-cluster/`).
 *
 * Sample output (create-cluster.log):
 *   [2024-03-05 09:10:02+0000] bmctl create cluster -c store-0412
 *   [2024-03-05 09:11:31+0000] Creating bootstrap cluster... OK
 */
import { type Cluster, type ClusterOptions, buildCluster } from '../cluster.js';
import { bmctlStamp, dashedStamp } from '../time.js';
import { clusterConfig } from './bmctl.js';
import { table } from './kubectl.js';
import type { ExtraFile } from './net-node.js';

export interface NewClusterOptions {
  name: string;
  anthosVersion: string;
  /** Control-plane node addresses, then worker addresses. */
  controlPlanes: string[];
  workers: string[];
  controlPlaneVIP: string;
  ingressVIP: string;
  podCidr?: string;
  serviceCidr?: string;
  /** Shape of the model behind it (OS, versions); only its config is used. */
  base: Omit<ClusterOptions, 'seed' | 'name' | 'controlPlanes' | 'workers' | 'anthosVersion'>;
}

/** The cluster model of the new cluster, its addresses set as asked. */
export function newCluster(o: NewClusterOptions): Cluster {
  const c = buildCluster({ ...o.base, seed: o.name, name: o.name, controlPlanes: o.controlPlanes.length === 3 ? 3 : 1, workers: o.workers.length, anthosVersion: o.anthosVersion, rollouts: [] });
  const ips = [...o.controlPlanes, ...o.workers];
  c.nodes.forEach((n, i) => { n.ip = ips[i] ?? n.ip; });
  c.controlPlaneVIP = o.controlPlaneVIP;
  c.ingressVIP = o.ingressVIP;
  if (o.podCidr) c.podCidr = o.podCidr;
  if (o.serviceCidr) c.serviceCidr = o.serviceCidr;
  return c;
}

/** Console lines of a bmctl run: `[stamp] message`, each `gap` µs after the previous one. */
export function bmctlConsole(start: number, lines: [gap: number, message: string][]): string {
  let t = start;
  return `${lines.map(([gap, msg]) => { t += gap; return `${bmctlStamp(t)} ${msg}`; }).join('\n')}\n`;
}

/** Folder of a create attempt below the workspace: `bmctl-workspace/<cluster>/log/create-cluster-<stamp>`. */
export function createAttemptDir(c: Cluster, at: number): string {
  return `bmctl-workspace/${c.name}/log/create-cluster-${dashedStamp(at)}`;
}

/** The new cluster's config file where bmctl wrote it. */
export function newClusterConfigFile(c: Cluster): ExtraFile {
  return { path: `bmctl-workspace/${c.name}/${c.name}.yaml`, content: clusterConfig(c) };
}

export interface BootstrapPod {
  namespace: string;
  name: string;
  ready: string;
  status: string;
  restarts: number;
  age: string;
  ip: string;
}

/** `kubectl get pods -A -o wide` of the kind bootstrap cluster (one node, `bmctl-control-plane`). */
export function bootstrapPods(pods: BootstrapPod[]): string {
  return table(
    ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    pods.map((p) => [p.namespace, p.name, p.ready, p.status, String(p.restarts), p.age, p.ip, 'bmctl-control-plane', '<none>', '<none>']),
  );
}
