/**
 * pleg-unhealthy-runc: a node flaps between Ready and NotReady because the kubelet's PLEG is
 * unhealthy, caused by runc processes stuck in `runc init` (Anthos bare metal known issue,
 * seed 002; runc ≤ 1.0.0-rc93).
 *
 * Positive: cluster retail-west-2 (RHEL 8.4, runc 1.0.0-rc92). Hours before the snapshot, exec
 * probes on one worker left four `runc init` processes behind. For the last 75 minutes the
 * kubelet on that worker logs `skipping pod synchronization - [PLEG is not healthy: pleg was last
 * seen active 3m5.3s ago; threshold is 3m0s]` every 5 s, in four episodes (one of 23 minutes),
 * and the node goes NotReady and Ready again between them; it is NotReady in the snapshot.
 *
 * Negative: the same cluster with runc 1.0.0. The worker's kubelet logged PLEG as not healthy
 * once while starting (`pleg has yet to be successful`) and was fine afterwards; no `runc init`
 * process is left.
 */
import { type Cluster, type ClusterOptions, type Node, type Pod, buildCluster, findPod, nodeByName, podsOn } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC, goDuration } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { containerdJournal, logrus } from '../lib/noise/containerd.js';
import { kubeletJournal, nodeNotReadyRecs, nodeReadyRecs } from '../lib/noise/kubelet.js';
import { type ProcSpec, podCgroup, psEdf, psTree, shimKey } from '../lib/noise/ps.js';
import { snapshot } from '../lib/snapshot.js';

function cluster(runcVersion: string): Cluster {
  const options: ClusterOptions = {
    seed: 'retail-west-2',
    name: 'retail-west-2',
    controlPlanes: 3,
    workers: 2,
    os: 'rhel-8.4',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion,
    containerdVersion: '1.4.3',
    start: '2024-03-12T06:30:00Z',
    hours: 6,
  };
  return buildCluster(options);
}

/** The worker running the database: its exec probes are the ones that hang. */
function sickNode(c: Cluster): Node {
  return nodeByName(c, findPod(c, 'shop', 'orders-db').node);
}

/** Exec probe command of a pod, as the kubelet and containerd print it. */
function probeCommand(p: Pod): string {
  if (p.workload.name === 'orders-db') return '/bin/sh -c exec pg_isready -U "postgres" -h 127.0.0.1 -p 5432';
  if (p.workload.name === 'cart') return '/bin/sh -c redis-cli ping';
  return '/bin/sh -c test -f /tmp/healthy';
}

interface StuckExec {
  pod: Pod;
  at: number;
  process: string;
}

/** Exec probes that never returned: one `runc exec` and its `runc init` each, hours old. */
function stuckExecs(c: Cluster, node: Node): StuckExec[] {
  const rng = new Rng(`${c.seed}/stuck-exec`);
  const pods = podsOn(c, node).filter((p) => p.namespace === 'shop' && p.phase === 'Running');
  const first = c.end - 3 * 60 * MIN - rng.int(0, 20 * MIN);
  return [0, 1, 2, 3].map((i) => ({
    pod: pods[i % pods.length],
    at: first + i * rng.int(9 * MIN, 26 * MIN) + rng.int(0, 59 * SEC),
    process: String(rng.int(1_000_000_000, 4_000_000_000)),
  }));
}

function stuckProcesses(c: Cluster, execs: StuckExec[]): ProcSpec[] {
  const rng = new Rng(`${c.seed}/stuck-proc`);
  const out: ProcSpec[] = [];
  execs.forEach((e, i) => {
    const ct = e.pod.containers[0];
    const task = `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${ct.id}`;
    out.push({
      key: `runc-exec:${i}`, parent: shimKey(e.pod), start: e.at, user: 'root', comm: 'runc',
      args: `runc --root /run/containerd/runc/k8s.io --log ${task}/log.json --log-format json --systemd-cgroup exec --process /tmp/runc-process${e.process} --detach --pid-file ${task}/${rng.hex(64)}.pid ${ct.id}`,
      stat: 'Sl', wchan: 'do_wait', netns: 4026531992, cgroup: '/system.slice/containerd.service', rssKiB: 11240 + rng.int(0, 900), vszKiB: 1232540, load: 0,
    });
    out.push({
      key: `runc-init:${i}`, parent: `runc-exec:${i}`, start: e.at + rng.int(4000, 9000), user: 'root', comm: 'runc:[2:INIT]', args: 'runc init',
      stat: 'Ssl', wchan: 'futex_wait_queue_me', netns: e.pod.netns, cgroup: podCgroup(e.pod, ct.id), rssKiB: 8012 + rng.int(0, 600), vszKiB: 1085140, load: 0,
    });
  });
  return out;
}

/** The kubelet and containerd lines for the hung exec probes. */
function execTimeouts(node: Node, execs: StuckExec[]): { kubelet: Rec[]; containerd: Rec[] } {
  const kubelet: Rec[] = [];
  const containerd: Rec[] = [];
  for (const e of execs) {
    const ct = e.pod.containers[0];
    const t = e.at + 1_000_000 + 2300;
    containerd.push({ t, text: logrus(t, 'error', `ExecSync for "${ct.id}" failed`, 'error="rpc error: code = DeadlineExceeded desc = failed to exec in container: timeout 1s exceeded: context deadline exceeded"', 417) });
    kubelet.push({ t: t + 800, text: klog('E', t + 800, node.kubeletPid, 'remote_runtime.go:394', `ExecSync ${ct.id} '${probeCommand(e.pod)}' from runtime service failed: rpc error: code = DeadlineExceeded desc = context deadline exceeded`) });
  }
  return { kubelet, containerd };
}

/**
 * PLEG episodes: [first unhealthy line, last one] relative to the snapshot, in minutes. The relist
 * stalls 3 minutes before each; the last one runs into the snapshot, so the node is NotReady.
 */
const EPISODES: [number, number][] = [[-75, -71], [-66, -43], [-39, -34], [-30, -1]];

function plegRecords(c: Cluster, node: Node): Rec[] {
  const rng = new Rng(`${c.seed}/pleg`);
  const out: Rec[] = [];
  EPISODES.forEach(([from, to], i) => {
    const first = c.end + from * MIN + rng.int(0, 4 * SEC);
    const last = c.end + to * MIN;
    const lastActive = first - 3 * MIN - rng.int(200_000, 900_000);
    const relist = lastActive + 2 * MIN + rng.int(0, 30 * SEC);
    out.push({ t: relist, text: klog('E', relist, node.kubeletPid, 'generic.go:205', 'GenericPLEG: Unable to retrieve pods: rpc error: code = DeadlineExceeded desc = context deadline exceeded') });
    let flagged = false;
    for (let t = first; t <= last; t += 5 * SEC + rng.int(150, 450)) {
      const ago = goDuration((t - lastActive) * 1000 + rng.int(0, 999));
      const message = `PLEG is not healthy: pleg was last seen active ${ago} ago; threshold is 3m0s`;
      out.push({ t, text: klog('I', t, node.kubeletPid, 'kubelet.go:1852', `skipping pod synchronization - [${message}]`) });
      if (!flagged && t > first + 3 * SEC) {
        out.push(...nodeNotReadyRecs(node, t + 1200, message));
        flagged = true;
      }
    }
    if (i < EPISODES.length - 1) out.push(...nodeReadyRecs(node, last + rng.int(6 * SEC, 9 * SEC)));
  });
  return out;
}

function positive(): BundleSpec {
  const c = cluster('1.0.0-rc92');
  const node = sickNode(c);
  node.ready = false;
  const execs = stuckExecs(c, node);
  const timeouts = execTimeouts(node, execs);
  const extraProcs = stuckProcesses(c, execs);
  return snapshot(c, {
    style: 'spaces',
    node: (n, files) => {
      if (n !== node) {
        files.kubeletJournal = kubeletJournal(c, n, { startupPleg: false });
        return;
      }
      files.kubeletJournal = kubeletJournal(c, n, { startupPleg: false, extra: [fixed(plegRecords(c, n)), fixed(timeouts.kubelet)] });
      files.containerdJournal = containerdJournal(c, n, { extra: [fixed(timeouts.containerd)] });
      files.psEdf = psEdf(c, n, { extra: extraProcs });
      files.psTree = psTree(c, n, { extra: extraProcs });
    },
  });
}

function negative(): BundleSpec {
  const c = cluster('1.0.0');
  const node = sickNode(c);
  return snapshot(c, {
    style: 'spaces',
    node: (n, files) => {
      // Only the one start-up line, on this node: other kubelets came up without it.
      files.kubeletJournal = kubeletJournal(c, n, { startupPleg: n === node });
    },
  });
}

export const scenario: Scenario = { id: 'pleg-unhealthy-runc', positive, negative };
export default scenario;
