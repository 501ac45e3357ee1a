/**
 * node-unreachable-drain: a node that the cluster cannot reach is never drained, so an upgrade
 * that gets to it stalls (seed 002, upgrades: node drain cannot start when the node is out of
 * reach).
 *
 * Positive: cluster quarry-west-2 upgrading from 1.8.3 to 1.9.0. The control plane and the first
 * worker run the new kubelet (v1.21.4-gke.201); worker 3 went offline forty minutes into the
 * upgrade. It is NotReady with the `node.kubernetes.io/unreachable` taints and "Kubelet stopped
 * posting node status"; the snapshot could not reach it over SSH (its node folder is missing and
 * the check-cluster log says so); bmctl has printed `Waiting for node pool np1 to upgrade...
 * 1/3 machines upgraded` for two hours and never finished.
 *
 * Negative: the same upgrade that completed. During its own upgrade worker 3 was NotReady for a
 * minute (its kubelet journal and `kubectl get events` show NodeNotReady then NodeReady); at
 * snapshot time every node is Ready on v1.21.4-gke.201 and the bmctl log ends with the upgrade
 * completed.
 */
import { type Cluster, type Node, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, MIN, SEC, dashedStamp, kubectlAge } from '../lib/time.js';
import { fixed } from '../lib/timeline.js';
import { checkClusterLog } from '../lib/noise/bmctl.js';
import { table } from '../lib/noise/kubectl.js';
import { kubeletJournal, nodeNotReadyRecs, nodeReadyRecs } from '../lib/noise/kubelet.js';
import { BmctlLines, type ExtraFile, nodesTable, nodesTablePath, withFiles } from '../lib/noise/lifecycle-bundle.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'spaces' as const;
const OLD = 'v1.20.9-gke.101';
const NEW = 'v1.21.4-gke.201';

function cluster(): Cluster {
  return buildCluster({
    seed: 'quarry-west-2',
    name: 'quarry-west-2',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.0',
    kubernetesVersion: OLD,
    kubeProxy: { version: OLD, mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.6',
    start: '2024-10-07T05:00:00Z',
    hours: 5,
  });
}

const workers = (c: Cluster): Node[] => c.nodes.filter((n) => n.role === 'worker');

function day(t: number): string {
  return new Date(Math.floor(t / 1000)).toUTCString().replace('GMT', '+0000');
}

/** `kubectl describe nodes`: every node, the unreachable one with its taints and Unknown conditions. */
function describeNodes(c: Cluster, version: (n: Node) => string, lost?: { node: Node; at: number }): string {
  return `${c.nodes.map((n) => {
    const gone = lost?.node === n;
    const cond = (type: string, ok: string, reason: string, msg: string): string =>
      gone
        ? `  ${type.padEnd(16)} Unknown   ${day(lost.at - 40 * SEC)}   ${day(lost.at)}   NodeStatusUnknown            Kubelet stopped posting node status.`
        : `  ${type.padEnd(16)} ${ok.padEnd(9)} ${day(c.end - 20 * SEC)}   ${day(n.kubeletStart + 40 * SEC)}   ${reason.padEnd(28)} ${msg}`;
    return [
      `Name:               ${n.name}`,
      `Roles:              ${n.role === 'control-plane' ? 'control-plane,master' : '<none>'}`,
      `Labels:             baremetal.cluster.gke.io/node-pool=${n.role === 'control-plane' ? c.name : 'np1'}`,
      `                    kubernetes.io/hostname=${n.name}`,
      `                    kubernetes.io/os=linux`,
      `CreationTimestamp:  ${day(c.created + n.index * 9 * MIN)}`,
      ...(gone ? [
        'Taints:             node.kubernetes.io/unreachable:NoExecute',
        '                    node.kubernetes.io/unreachable:NoSchedule',
      ] : ['Taints:             <none>']),
      'Unschedulable:      false',
      'Conditions:',
      '  Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason                       Message',
      '  ----             ------    -----------------                 ------------------                ------                       -------',
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status. AppArmor enabled'),
      'Addresses:',
      `  InternalIP:  ${n.ip}`,
      `  Hostname:    ${n.name}`,
      'System Info:',
      `  Kernel Version:             ${c.os.kernel}`,
      `  OS Image:                   ${c.os.prettyName}`,
      '  Operating System:           linux',
      '  Architecture:               amd64',
      `  Container Runtime Version:  containerd://${c.containerdVersion}`,
      `  Kubelet Version:            ${version(n)}`,
      `  Kube-Proxy Version:         ${version(n)}`,
      `PodCIDR:                      ${n.podCidr}`,
      'Events:                       <none>',
    ].join('\n');
  }).join('\n\n\n')}\n`;
}

function upgradeLog(c: Cluster, started: number): BmctlLines {
  const log = new BmctlLines(started, new Rng(`${c.seed}/upgrade`));
  log.at(`bmctl upgrade cluster -c ${c.name} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`, 0);
  log.at('Waiting for preflight check job to finish... OK', 3 * MIN + 5 * SEC);
  log.at('- Validation Category: machines and network');
  for (const n of c.nodes) log.at(`\t- [PASSED] ${n.ip}`, 30_000);
  log.at('\t- [PASSED] node-network', 30_000);
  log.at('Flushing logs... OK');
  log.at('Upgrading cluster quarry-west-2 from 1.8.3 to 1.9.0');
  log.at('Waiting for control plane to be upgraded... OK', 16 * MIN);
  log.at('Waiting for node pool np1 to upgrade... 0/3 machines upgraded', 20 * SEC);
  log.at('Waiting for node pool np1 to upgrade... 1/3 machines upgraded', 9 * MIN);
  return log;
}

function positive(): BundleSpec {
  const c = cluster();
  const [w1, , w3] = workers(c);
  w3.ready = false;
  const started = c.end - 3 * HOUR;
  const log = upgradeLog(c, started);
  const rng = new Rng(`${c.seed}/wait`);
  while (log.t < c.end - 6 * MIN) log.at('Waiting for node pool np1 to upgrade... 1/3 machines upgraded', 5 * MIN + rng.int(0, 2 * SEC));
  const lostAt = started + 42 * MIN;
  const version = (n: Node): string => (n.role === 'control-plane' || n === w1 ? NEW : OLD);
  const check = checkClusterLog(c).replace(
    new RegExp(`(\\] )Collecting node information from ${w3.ip.replaceAll('.', '\\.')}\\.\\.\\. OK`),
    `$1Collecting node information from ${w3.ip}... failed: ssh: dial tcp ${w3.ip}:22: connect: no route to host`,
  );
  const events = table(['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], [
    ['default', kubectlAge(c.end - lostAt), 'Normal', 'NodeNotReady', `node/${w3.name}`, `Node ${w3.name} status is now: NodeNotReady`],
    ['kube-system', kubectlAge(c.end - lostAt - 5 * SEC), 'Warning', 'NodeNotReady', `pod/anetd-${new Rng(`${c.seed}/ev`).k8sSuffix()}`, 'Node is not ready'],
  ]);
  const files: ExtraFile[] = [
    { path: `bmctl-workspace/${c.name}/log/upgrade-cluster-${dashedStamp(started)}/upgrade-cluster.log`, content: log.text() },
    { path: nodesTablePath(STYLE), content: nodesTable(c, version) },
    { path: 'kubectlCommands/kubectl describe nodes', content: describeNodes(c, version, { node: w3, at: lostAt }) },
    { path: 'kubectlCommands/kubectl get events -A', content: events },
  ];
  const spec = snapshot(c, { style: STYLE });
  const withCheck = { ...spec, entries: spec.entries.map((e) => (e.path.endsWith('/check-cluster.log') ? { ...e, content: check } : e)) };
  return withFiles(withCheck, c, files, (rel) => rel.startsWith(`nodes/${w3.ip}/`));
}

function negative(): BundleSpec {
  const c = cluster();
  const w3 = workers(c)[2];
  const started = c.end - 3 * HOUR;
  const log = upgradeLog(c, started);
  const w3Down = log.t + 6 * MIN;
  log.at('Waiting for node pool np1 to upgrade... 2/3 machines upgraded', 8 * MIN);
  log.at('Waiting for node pool np1 to upgrade... OK', 9 * MIN);
  log.at('Cluster quarry-west-2 upgraded successfully to version 1.9.0', 30 * SEC);
  log.at('Flushing logs... OK');
  const events = table(['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], [
    ['default', kubectlAge(c.end - w3Down), 'Normal', 'NodeNotReady', `node/${w3.name}`, `Node ${w3.name} status is now: NodeNotReady`],
    ['default', kubectlAge(c.end - w3Down - 70 * SEC), 'Normal', 'NodeReady', `node/${w3.name}`, `Node ${w3.name} status is now: NodeReady`],
  ]);
  const version = (): string => NEW;
  return withFiles(snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      if (n !== w3) return;
      files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed([
        ...nodeNotReadyRecs(n, w3Down, 'container runtime status check may not have completed yet'),
        ...nodeReadyRecs(n, w3Down + 68 * SEC),
      ])] });
    },
  }), c, [
    { path: `bmctl-workspace/${c.name}/log/upgrade-cluster-${dashedStamp(started)}/upgrade-cluster.log`, content: log.text() },
    { path: nodesTablePath(STYLE), content: nodesTable(c, version) },
    { path: 'kubectlCommands/kubectl describe nodes', content: describeNodes(c, version) },
    { path: 'kubectlCommands/kubectl get events -A', content: events },
  ]);
}

export const scenario: Scenario = { id: 'node-unreachable-drain', positive, negative };
export default scenario;
