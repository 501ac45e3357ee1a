/**
 * gke-connect-agent-oom: under heavy Connect gateway use the gke-connect-agent pod runs out of
 * memory and crash-loops; its memory limit is below 256Mi (Anthos clusters on bare metal < 1.8.2,
 * seed 002).
 *
 * Positive: cluster river-yard-4 (1.8.1). The Connect agent's Deployment limits it to 128Mi. The
 * kernel on the worker running it logs a memory-cgroup OOM kill of `gkeconnect_bin` at every
 * burst of gateway traffic (nine in the window); `kubectl get pods -n gke-connect -o yaml` shows
 * `lastState.terminated.reason: OOMKilled`, restartCount 23 and the 128Mi limit; `kubectl
 * describe pods -n gke-connect` shows the same, and the pod table shows it in CrashLoopBackOff.
 *
 * Negative: the same cluster whose agent has the 256Mi limit and restarted twice after losing
 * its connection to gkeconnect.googleapis.com (`Error`, exit code 1), while another pod,
 * shop/catalog with a 128Mi limit, is the one being OOM-killed (`node` process) — so the bundle
 * has OOMKilled pods, kernel OOM kills and a restarting Connect agent, just not together.
 */
import { type Cluster, type Node, type Pod, buildCluster, nodeByName } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, MIN, SEC } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { dmesg, kernelJournal } from '../lib/noise/kernel.js';
import { addPod, apiTime, connectAgentWorkload, podsTableFiles, withFiles, yamlList } from '../lib/noise/lifecycle-bundle.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'spaces' as const;

function cluster(): { c: Cluster; agent: Pod } {
  const c = buildCluster({
    seed: 'river-yard-4',
    name: 'river-yard-4',
    controlPlanes: 1,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.1',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0-rc93',
    containerdVersion: '1.4.6',
    start: '2024-07-22T08:00:00Z',
    hours: 6,
  });
  const worker = c.nodes.filter((n) => n.role === 'worker')[0];
  const agent = addPod(c, { workload: connectAgentWorkload(), node: worker, restarts: 0 });
  return { c, agent };
}

interface Termination {
  reason: string;
  exitCode: number;
  started: number;
  finished: number;
}

/** One pod of `kubectl get pods -o yaml`, as a List item. */
function podItem(c: Cluster, p: Pod, limit: string, last: Termination | undefined, waiting: boolean): string {
  const ct = p.containers[0];
  const node = nodeByName(c, p.node);
  const owner = p.workload.kind === 'Deployment' ? p.name.replace(/-[a-z0-9]{5}$/, '') : p.workload.name;
  return [
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    `    creationTimestamp: "${apiTime(p.created)}"`,
    `    generateName: ${owner}-`,
    '    labels:',
    `      app: ${p.workload.name.replace(/-\d{8}-\d\d-\d\d$/, '')}`,
    `    name: ${p.name}`,
    `    namespace: ${p.namespace}`,
    '    ownerReferences:',
    '    - apiVersion: apps/v1',
    '      blockOwnerDeletion: true',
    '      controller: true',
    '      kind: ReplicaSet',
    `      name: ${owner}`,
    `    uid: ${p.uid}`,
    '  spec:',
    '    containers:',
    `    - image: ${ct.image}`,
    '      imagePullPolicy: IfNotPresent',
    `      name: ${ct.name}`,
    '      resources:',
    '        limits:',
    `          memory: ${limit}`,
    '        requests:',
    '          cpu: 10m',
    `          memory: ${limit === '128Mi' ? '64Mi' : '128Mi'}`,
    `    nodeName: ${p.node}`,
    '    restartPolicy: Always',
    '  status:',
    '    conditions:',
    `    - lastTransitionTime: "${apiTime(p.started)}"`,
    '      status: "True"',
    '      type: Initialized',
    `    - lastTransitionTime: "${apiTime(last?.finished ?? p.started)}"`,
    `      status: "${waiting ? 'False' : 'True'}"`,
    '      type: Ready',
    '    containerStatuses:',
    `    - containerID: containerd://${ct.id}`,
    `      image: ${ct.image}`,
    `      imageID: ${ct.image.split(':')[0]}@${ct.imageId}`,
    ...(last ? [
      '      lastState:',
      '        terminated:',
      `          containerID: containerd://${ct.previousId ?? ct.id}`,
      `          exitCode: ${last.exitCode}`,
      `          finishedAt: "${apiTime(last.finished)}"`,
      `          reason: ${last.reason}`,
      `          startedAt: "${apiTime(last.started)}"`,
    ] : ['      lastState: {}']),
    `      name: ${ct.name}`,
    `      ready: ${waiting ? 'false' : 'true'}`,
    `      restartCount: ${ct.restarts}`,
    `      started: ${waiting ? 'false' : 'true'}`,
    '      state:',
    ...(waiting ? [
      '        waiting:',
      `          message: back-off 5m0s restarting failed container=${ct.name} pod=${p.name}_${p.namespace}(${p.uid})`,
      '          reason: CrashLoopBackOff',
    ] : [
      '        running:',
      `          startedAt: "${apiTime(last?.finished ?? ct.started)}"`,
    ]),
    `    hostIP: ${node.ip}`,
    '    phase: Running',
    `    podIP: ${p.ip}`,
    `    startTime: "${apiTime(p.started)}"`,
  ].join('\n');
}

/** `kubectl describe pods` for one pod. */
function describePod(c: Cluster, p: Pod, limit: string, last: Termination | undefined, waiting: boolean, events: string[]): string {
  const ct = p.containers[0];
  const node = nodeByName(c, p.node);
  const day = (t: number) => new Date(Math.floor(t / 1000)).toUTCString().replace('GMT', '+0000');
  return [
    `Name:         ${p.name}`,
    `Namespace:    ${p.namespace}`,
    'Priority:     0',
    `Node:         ${node.name}/${node.ip}`,
    `Start Time:   ${day(p.started)}`,
    `Labels:       app=${p.workload.name.replace(/-\d{8}-\d\d-\d\d$/, '')}`,
    'Status:       Running',
    `IP:           ${p.ip}`,
    `Controlled By:  ReplicaSet/${p.name.replace(/-[a-z0-9]{5}$/, '')}`,
    'Containers:',
    `  ${ct.name}:`,
    `    Container ID:   containerd://${ct.id}`,
    `    Image:          ${ct.image}`,
    ...(waiting ? ['    State:          Waiting', '      Reason:       CrashLoopBackOff'] : ['    State:          Running', `      Started:      ${day(last?.finished ?? ct.started)}`]),
    ...(last ? [
      '    Last State:     Terminated',
      `      Reason:       ${last.reason}`,
      `      Exit Code:    ${last.exitCode}`,
      `      Started:      ${day(last.started)}`,
      `      Finished:     ${day(last.finished)}`,
    ] : []),
    `    Ready:          ${waiting ? 'False' : 'True'}`,
    `    Restart Count:  ${ct.restarts}`,
    '    Limits:',
    `      memory:  ${limit}`,
    '    Requests:',
    '      cpu:     10m',
    `      memory:  ${limit === '128Mi' ? '64Mi' : '128Mi'}`,
    'Conditions:',
    '  Type              Status',
    '  Initialized       True',
    `  Ready             ${waiting ? 'False' : 'True'}`,
    `  ContainersReady   ${waiting ? 'False' : 'True'}`,
    '  PodScheduled      True',
    'QoS Class:       Burstable',
    ...(events.length ? ['Events:', '  Type     Reason   Age                  From     Message', '  ----     ------   ----                 ----     -------', ...events] : ['Events:          <none>']),
  ].join('\n');
}

/** The kernel's memory-cgroup OOM kill of a container process. */
function oomKill(p: Pod, t: number, comm: string, pid: number, limitKiB: number, rng: Rng): Rec[] {
  const ct = p.containers[0];
  const memcg = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${p.uid.replaceAll('-', '_')}.slice/cri-containerd-${ct.id}.scope`;
  return [
    { t, text: `${comm} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=${rng.pick([985, 993, 999])}` },
    { t: t + 12, text: `memory: usage ${limitKiB}kB, limit ${limitKiB}kB, failcnt ${rng.int(20, 4000)}` },
    { t: t + 40, text: `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-${ct.id.slice(0, 64)}.scope,mems_allowed=0,oom_memcg=${memcg},task_memcg=${memcg},task=${comm},pid=${pid},uid=${comm === 'gkeconnect_bin' ? 65532 : 1000}` },
    { t: t + 55, text: `Memory cgroup out of memory: Killed process ${pid} (${comm}) total-vm:${rng.int(700_000, 900_000)}kB, anon-rss:${limitKiB - rng.int(900, 3000)}kB, file-rss:${rng.int(9000, 20000)}kB, shmem-rss:0kB, UID:${comm === 'gkeconnect_bin' ? 65532 : 1000} pgtables:${rng.int(380, 520)}kB oom_score_adj:${rng.pick([985, 993, 999])}` },
  ];
}

function positive(): BundleSpec {
  const { c, agent } = cluster();
  const node = nodeByName(c, agent.node) as Node;
  agent.containers[0].restarts = 23;
  const rng = new Rng(`${c.seed}/oom`);
  const kills: Rec[] = [];
  const times: number[] = [];
  for (let t = c.start + 40 * MIN; t < c.end - 20 * MIN; t += rng.int(25 * MIN, 50 * MIN)) {
    times.push(t);
    kills.push(...oomKill(agent, t, 'gkeconnect_bin', rng.int(40_000, 90_000), 131072, rng));
  }
  const lastKill = times[times.length - 1];
  const last: Termination = { reason: 'OOMKilled', exitCode: 137, started: lastKill - 31 * MIN, finished: lastKill };
  const events = [
    `  Warning  BackOff  ${Math.round((c.end - lastKill) / MIN)}m (x87 over 5h)  kubelet  Back-off restarting failed container`,
    `  Normal   Pulled   ${Math.round((c.end - lastKill) / MIN)}m (x24 over 6h)  kubelet  Container image "${agent.containers[0].image}" already present on machine`,
  ];
  const spec = snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      if (n !== node) return;
      files.kernelJournal = kernelJournal(c, n, { extra: [fixed(kills)] });
      files.dmesg = dmesg(c, n, { extra: [fixed(kills)] });
    },
  });
  return withFiles(spec, c, [
    ...podsTableFiles(c, STYLE, (p) => (p === agent ? { ready: '0/1', status: 'CrashLoopBackOff' } : undefined)),
    { path: 'kubectlCommands/gke-connect/kubectl get pods -o yaml', content: `${yamlList([podItem(c, agent, '128Mi', last, true)])}` },
    { path: 'kubectlCommands/gke-connect/kubectl describe pods', content: `${describePod(c, agent, '128Mi', last, true, events)}\n` },
  ]);
}

function negative(): BundleSpec {
  const { c, agent } = cluster();
  agent.containers[0].restarts = 2;
  const catalog = c.pods.find((p) => p.workload.name === 'catalog') as Pod;
  const catalogNode = nodeByName(c, catalog.node);
  catalog.containers[0].restarts = 6;
  const rng = new Rng(`${c.seed}/oom-catalog`);
  const kills: Rec[] = [];
  let lastKill = c.start;
  for (let t = c.end - 3 * HOUR; t < c.end - 10 * MIN; t += rng.int(20 * MIN, 35 * MIN)) {
    kills.push(...oomKill(catalog, t, 'node', rng.int(40_000, 90_000), 131072, rng));
    lastKill = t;
  }
  const agentLast: Termination = { reason: 'Error', exitCode: 1, started: c.start + 50 * MIN, finished: c.start + 2 * HOUR + 7 * MIN };
  const catalogLast: Termination = { reason: 'OOMKilled', exitCode: 137, started: lastKill - 25 * MIN, finished: lastKill };
  const spec = snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      if (n !== catalogNode) return;
      files.kernelJournal = kernelJournal(c, n, { extra: [fixed(kills)] });
      files.dmesg = dmesg(c, n, { extra: [fixed(kills)] });
    },
    podLog: (pod) => {
      if (pod !== agent) return undefined;
      const t = agentLast.finished + 2 * SEC;
      return [
        klog('I', t, 1, 'main.go:73', 'Connect agent version 20210514-01-00 starting'),
        klog('I', t + 400_000, 1, 'tunnel.go:110', 'Connecting to gkeconnect.googleapis.com:443'),
        klog('I', t + 900_000, 1, 'tunnel.go:164', 'Tunnel established'),
        '',
      ].join('\n');
    },
  });
  return withFiles(spec, c, [
    { path: 'kubectlCommands/gke-connect/kubectl get pods -o yaml', content: yamlList([podItem(c, agent, '256Mi', agentLast, false)]) },
    { path: 'kubectlCommands/gke-connect/kubectl describe pods', content: `${describePod(c, agent, '256Mi', agentLast, false, [])}\n` },
    { path: 'kubectlCommands/shop/kubectl get pods -o yaml', content: yamlList([podItem(c, catalog, '128Mi', catalogLast, false)]) },
  ]);
}

export const scenario: Scenario = { id: 'gke-connect-agent-oom', positive, negative };
export default scenario;
