/**
 * A `bmctl check cluster --snapshot` bundle for a cluster model: what each node's commands
 * printed, the kubectl tables, every container's log and the admin workstation's bmctl files,
 * laid out as a snapshot is:
 *
 *   snapshot-<cluster>-<YYYYmmddTHHMMSSZ>/          (not the archive's name, as in real snapshots)
 *     bmctl-workspace/<cluster>/<cluster>.yaml
 *     bmctl-workspace/<cluster>/log/check-cluster-<stamp>/check-cluster.log
 *     bmctl-workspace/<cluster>/log/create-cluster-<stamp>/create-cluster.log
 *     kubectlCommands/<namespace>/kubectl get pods -o wide   (style "spaces": one file per namespace)
 *     kubectl/kubectl_get_pods_-o_wide_--all-namespaces      (style "underscores": one file for all)
 *     logs/<namespace>/<pod>/<container>.log
 *     nodes/<node IP>/journalctl --utc -u kubelet             (or journalctl_--utc_-u_kubelet)
 *     nodes/<node IP>/etc/os-release                         (or cat__etc_os-release)
 *
 * Real snapshots name command outputs either way, so each style is used by some samples.
 * Scenarios change what a node or a container shows through the `node` and `podLog` hooks.
 */
import { type Cluster, type Node, type Pod } from './cluster.js';
import type { BundleEntry, BundleSpec, Content } from './bundle.js';
import { compactStamp } from './time.js';
import { checkClusterLog, checkClusterLogDir, clusterConfig, createClusterLog, createClusterLogDir } from './noise/bmctl.js';
import { containerdJournal } from './noise/containerd.js';
import { crictlPs } from './noise/crictl.js';
import { conntrackCount, conntrackMaxFile, containerdVersion, ipAddr, mount, osRelease, runcVersion, uname } from './noise/host.js';
import { iptablesSave } from './noise/iptables.js';
import { ipvsadm } from './noise/ipvsadm.js';
import { dmesg, kernelJournal } from './noise/kernel.js';
import { getEndpoints, getNodesWide, getPodsWide, getServices, namespaces } from './noise/kubectl.js';
import { kubeletJournal } from './noise/kubelet.js';
import { podLog } from './noise/pod-logs.js';
import { PS_TREE_COMMAND, psEdf, psTree } from './noise/ps.js';

/** How command outputs are named: `journalctl --utc -u kubelet` or `journalctl_--utc_-u_kubelet`. */
export type NameStyle = 'spaces' | 'underscores';

/** The commands run on every node, by the key scenarios use to replace their output. */
export const NODE_COMMANDS = {
  kubeletJournal: 'journalctl --utc -u kubelet',
  containerdJournal: 'journalctl --utc -u containerd',
  kernelJournal: 'journalctl --utc --boot --dmesg',
  dmesg: 'dmesg',
  psEdf: 'ps -edF',
  psTree: PS_TREE_COMMAND,
  ipvsadm: 'ipvsadm -Ln',
  uname: 'uname -a',
  runcVersion: 'runc --version',
  containerdVersion: 'containerd --version',
  conntrackCount: 'conntrack --count',
  mount: 'mount',
  ipAddr: 'ip addr',
  iptablesSave: 'iptables-save',
  crictl: 'crictl ps -a',
} as const;

/** Files copied from every node. */
export const NODE_FILES = {
  osRelease: '/etc/os-release',
  conntrackMax: '/proc/sys/net/netfilter/nf_conntrack_max',
} as const;

export type NodeOutput = keyof typeof NODE_COMMANDS | keyof typeof NODE_FILES;
export type NodeFiles = Record<NodeOutput, Content>;

export interface SnapshotOptions {
  style: NameStyle;
  /** Change a node's outputs (replace a generator by one built with scenario options). */
  node?: (node: Node, files: NodeFiles) => void;
  /** A container's log instead of the default one; `undefined` keeps the default. */
  podLog?: (pod: Pod, container: string) => Content | undefined;
  /** Archive name; `<cluster>-cluster-snapshot-<stamp>.tar.gz` by default. */
  name?: string;
  gzipLevel?: number;
}

/** The folder at the top of the archive. */
export function topFolder(c: Cluster): string {
  return `snapshot-${c.name}-${compactStamp(c.end)}`;
}

export function snapshotName(c: Cluster): string {
  return `${c.name}-cluster-snapshot-${compactStamp(c.end)}.tar.gz`;
}

/** File name of a command's output in the given style. */
export function commandFile(command: string, style: NameStyle): string {
  return style === 'spaces' ? command : command.replaceAll('/', '_').replaceAll(' ', '_');
}

/** Path, below the node folder, of a file copied from the node. */
export function nodeFilePath(path: string, style: NameStyle): string {
  return style === 'spaces' ? path.replace(/^\//, '') : commandFile(`cat ${path}`, style);
}

/** The default outputs of a node. */
export function defaultNodeFiles(c: Cluster, node: Node): NodeFiles {
  return {
    kubeletJournal: kubeletJournal(c, node),
    containerdJournal: containerdJournal(c, node),
    kernelJournal: kernelJournal(c, node),
    dmesg: dmesg(c, node),
    psEdf: psEdf(c, node),
    psTree: psTree(c, node),
    ipvsadm: ipvsadm(c, node),
    uname: uname(c, node),
    runcVersion: runcVersion(c),
    containerdVersion: containerdVersion(c),
    conntrackCount: conntrackCount(c, node),
    mount: mount(c, node),
    ipAddr: ipAddr(c, node),
    iptablesSave: iptablesSave(c, node),
    crictl: crictlPs(c, node),
    osRelease: osRelease(c),
    conntrackMax: conntrackMaxFile(node),
  };
}

export function snapshot(c: Cluster, o: SnapshotOptions): BundleSpec {
  const top = topFolder(c);
  const entries: BundleEntry[] = [];
  const add = (path: string, content: Content): void => { entries.push({ path: `${top}/${path}`, content }); };

  const ws = `bmctl-workspace/${c.name}`;
  add(`${ws}/${c.name}.yaml`, clusterConfig(c));
  add(`${ws}/log/${checkClusterLogDir(c)}/check-cluster.log`, checkClusterLog(c));
  add(`${ws}/log/${createClusterLogDir(c)}/create-cluster.log`, createClusterLog(c));

  if (o.style === 'spaces') {
    add('kubectlCommands/kubectl get nodes -o wide', getNodesWide(c));
    for (const ns of namespaces(c)) {
      add(`kubectlCommands/${ns}/kubectl get pods -o wide`, getPodsWide(c, { namespace: ns }));
      add(`kubectlCommands/${ns}/kubectl get svc`, getServices(c, { namespace: ns }));
      add(`kubectlCommands/${ns}/kubectl get endpoints`, getEndpoints(c, { namespace: ns }));
    }
  } else {
    add('kubectl/kubectl_get_nodes_-o_wide', getNodesWide(c));
    add('kubectl/kubectl_get_pods_-o_wide_--all-namespaces', getPodsWide(c));
    add('kubectl/kubectl_get_svc_-A', getServices(c));
    add('kubectl/kubectl_get_endpoints_-A', getEndpoints(c));
  }

  for (const pod of c.pods) {
    if (pod.phase !== 'Running') continue;
    for (const ct of pod.containers) {
      add(`logs/${pod.namespace}/${pod.name}/${ct.name}.log`, o.podLog?.(pod, ct.name) ?? podLog(c, pod, ct.name));
    }
  }

  for (const node of c.nodes) {
    const files = defaultNodeFiles(c, node);
    o.node?.(node, files);
    for (const [key, command] of Object.entries(NODE_COMMANDS) as [keyof typeof NODE_COMMANDS, string][]) {
      add(`nodes/${node.ip}/${commandFile(command, o.style)}`, files[key]);
    }
    for (const [key, path] of Object.entries(NODE_FILES) as [keyof typeof NODE_FILES, string][]) {
      add(`nodes/${node.ip}/${nodeFilePath(path, o.style)}`, files[key]);
    }
  }

  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name: o.name ?? snapshotName(c), format: 'tar.gz', mtime: c.end, entries, gzipLevel: o.gzipLevel };
}
