/**
 * zombie-pid-exhaustion: zombie processes pile up under a parent that never reaps them until the
 * pod's PID limit is reached and forks fail (seed 003).
 *
 * Positive: cluster media-south-2 (Ubuntu 20.04, podPidsLimit 1024). The catalog service runs
 * `node /app/server.js` as PID 1 of its container and shells out to ImageMagick's `convert` for
 * every thumbnail without waiting for it. Over five hours about a thousand `[convert] <defunct>`
 * zombies accumulated under that node process on one worker; for the last 40 minutes the kernel
 * refuses forks in the pod's cgroup (`cgroup: fork rejected by pids controller in …`) and the
 * service logs `Error: spawn /bin/sh EAGAIN` for each thumbnail.
 *
 * Negative: the same cluster, where a handful of zombies exist at snapshot time (a probe's shell,
 * a `convert` not reaped yet, an nginx worker being replaced), as on any busy node; nothing
 * fails to fork.
 */
import { type Cluster, type ClusterOptions, type Node, type Pod, buildCluster, findPod, nodeByName } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC, rfc3339Nano } from '../lib/time.js';
import { type Rec, fixed } from '../lib/timeline.js';
import { dmesg, kernelJournal } from '../lib/noise/kernel.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { type ProcSpec, containerKey, podCgroup, psEdf, psTree } from '../lib/noise/ps.js';
import { snapshot } from '../lib/snapshot.js';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'media-south-2',
    name: 'media-south-2',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.2',
    kubernetesVersion: 'v1.21.5-gke.1200',
    kubeProxy: { version: 'v1.21.5-gke.1200', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2024-08-20T04:00:00Z',
    hours: 5,
    rollouts: [],
  };
  return buildCluster(options);
}

/** A zombie left by `parent` (a container's main process), with the container's cgroup. */
function zombie(key: string, pod: Pod, parent: string, start: number, comm: string, user: string, containerId: string): ProcSpec {
  return {
    key, parent, start, user, comm, args: `[${comm}] <defunct>`, stat: 'Z', wchan: '-', netns: pod.netns,
    cgroup: podCgroup(pod, containerId), rssKiB: 0, vszKiB: 0, load: 0,
  };
}

/** About a thousand thumbnails' `convert` processes, never reaped, over the window. */
function pileUp(c: Cluster, pod: Pod, limitAt: number): ProcSpec[] {
  const rng = new Rng(`${c.seed}/zombies`);
  const ct = pod.containers[0];
  const out: ProcSpec[] = [];
  const first = ct.started + 4 * MIN;
  const n = 1003;
  for (let i = 0; i < n; i++) {
    const t = first + Math.floor(((limitAt - first) * i) / n) + rng.int(0, 9 * SEC);
    out.push(zombie(`zombie:${i}`, pod, containerKey(ct.id), t, 'convert', '1000', ct.id));
  }
  return out;
}

/** The kernel's pids controller refusing forks in the pod's cgroup (printed once, rate-limited). */
function forkRejected(pod: Pod, at: number): Rec[] {
  const slice = podCgroup(pod, pod.containers[0].id).replace(/\/cri-containerd-[0-9a-f]+\.scope$/, '');
  return [{ t: at, text: `cgroup: fork rejected by pids controller in ${slice}` }];
}

/** The catalog service failing to spawn its thumbnail jobs once the limit is reached. */
function spawnFailures(c: Cluster, from: number): Rec[] {
  const rng = new Rng(`${c.seed}/eagain`);
  const out: Rec[] = [];
  for (let t = from + rng.int(2 * SEC, 20 * SEC); t < c.end; t += rng.int(15 * SEC, 90 * SEC)) {
    const sku = `sku-${rng.int(10000, 29999)}`;
    out.push({ t, text: JSON.stringify({ level: 'error', time: rfc3339Nano(t), msg: 'thumbnail failed', sku, err: 'Error: spawn /bin/sh EAGAIN', stack: 'Error: spawn /bin/sh EAGAIN\n    at Process.ChildProcess._handle.onexit (node:internal/child_process:283:19)' }) });
  }
  return out;
}

function positive(): BundleSpec {
  const c = cluster();
  const pod = findPod(c, 'shop', 'catalog');
  const node = nodeByName(c, pod.node);
  const limitAt = c.end - 40 * MIN;
  const zombies = pileUp(c, pod, limitAt);
  return snapshot(c, {
    style: 'underscores',
    node: (n: Node, files) => {
      if (n !== node) return;
      files.psEdf = psEdf(c, n, { extra: zombies });
      files.psTree = psTree(c, n, { extra: zombies });
      files.dmesg = dmesg(c, n, { extra: [fixed(forkRejected(pod, limitAt))] });
      files.kernelJournal = kernelJournal(c, n, { extra: [fixed(forkRejected(pod, limitAt))] });
    },
    podLog: (p, container) => (p === pod ? podLog(c, p, container, { extra: [fixed(spawnFailures(c, limitAt))] }) : undefined),
  });
}

function negative(): BundleSpec {
  const c = cluster();
  const rng = new Rng(`${c.seed}/few-zombies`);
  const catalog = findPod(c, 'shop', 'catalog');
  const frontend = findPod(c, 'shop', 'frontend');
  const few = new Map<string, ProcSpec[]>();
  const add = (pod: Pod, spec: ProcSpec): void => { few.set(pod.node, [...(few.get(pod.node) ?? []), spec]); };
  const recent = (): number => c.end - rng.int(1 * SEC, 40 * SEC);
  add(catalog, zombie('zombie:convert', catalog, containerKey(catalog.containers[0].id), recent(), 'convert', '1000', catalog.containers[0].id));
  add(catalog, zombie('zombie:sh', catalog, containerKey(catalog.containers[0].id), recent(), 'sh', '1000', catalog.containers[0].id));
  add(frontend, zombie('zombie:nginx', frontend, containerKey(frontend.containers[0].id), recent(), 'nginx', '101', frontend.containers[0].id));
  return snapshot(c, {
    style: 'underscores',
    node: (n: Node, files) => {
      const extra = few.get(n.name);
      if (!extra) return;
      files.psEdf = psEdf(c, n, { extra });
      files.psTree = psTree(c, n, { extra });
    },
  });
}

export const scenario: Scenario = { id: 'zombie-pid-exhaustion', positive, negative };
export default scenario;
