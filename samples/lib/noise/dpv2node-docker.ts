/**
 * A node whose kubelet uses Docker (18.06, dockershim) instead of containerd: its process table
 * (`ps -edF` and the `ps -eo … -H` tree) with dockerd, docker-containerd and one
 * `docker-containerd-shim <id> /var/run/docker/libcontainerd/<id> docker-runc` per pod, cgroupfs
 * paths (`/kubepods/burstable/pod<uid>/<id>`), `docker ps -a --no-trunc`, the docker unit's
 * journal, and the cluster-wide facts (node runtime, cluster config) that say Docker.
 *
 * The table is the shared model's (`processTable`), renamed and re-parented, so PIDs and start
 * times agree with every other file. A container Docker lost track of (`lost`) keeps running
 * under its own shim, re-parented to PID 1, and is missing from `docker ps`.
 *
 * Sample output (`docker ps -a --no-trunc`):
 *   CONTAINER ID                                                       IMAGE                  COMMAND     CREATED       STATUS       PORTS   NAMES
 *   5b0c…e2f1                                                          k8s.gcr.io/pause:3.1   "/pause"    6 hours ago   Up 6 hours           k8s_POD_cart-7d9c6b8f5d-x7k2p_shop_…_1
 */
import { type Cluster, type Node, type Pod, expandArgs, podsOn } from '../cluster.js';
import type { BundleSpec, LineGenerator } from '../bundle.js';
import { Rng } from '../rng.js';
import { SEC, crictlAgo, journalHeaderStamp, psCpuTime, psStartTime } from '../time.js';
import { type Rec, type RecSource, fixed, journalLine, merge } from '../timeline.js';
import { editFiles, mapLines } from './dpv2node-bundle.js';
import { table } from './kubectl.js';
import { PS_TREE_COMMAND, type ProcSpec, containerKey, processTable, shimKey } from './ps.js';

export const DOCKER_VERSION = '18.06.3-ce';
const DOCKER_COMMIT = 'd7080c1';
const PAUSE = 'k8s.gcr.io/pause:3.1';
const HOST_NETNS = 4026531992;

type Proc = ReturnType<typeof processTable>[number];

/** A container Docker no longer knows, still running under its own shim. */
export interface LostContainer {
  pod: Pod;
  containerId: string;
}

export interface DockerPsOptions {
  extra?: ProcSpec[];
  lost?: LostContainer;
}

/** `docker-containerd-shim <id> /var/run/docker/libcontainerd/<id> docker-runc`. */
export function dockerShim(id: string): string {
  return `docker-containerd-shim ${id} /var/run/docker/libcontainerd/${id} docker-runc`;
}

/** The cgroupfs path of a pod's container (`/kubepods/burstable/pod<uid>/<id>`). */
export function dockerCgroup(p: Pod, id: string): string {
  const qos = p.workload.kind === 'Static' || p.namespace !== 'shop' ? 'burstable' : p.workload.name === 'catalog' ? 'besteffort' : 'burstable';
  return `/kubepods/${qos}/pod${p.uid}/${id}`;
}

function walk(nodes: Proc[], depth = 0, out: [Proc, number][] = []): [Proc, number][] {
  for (const n of nodes) {
    out.push([n, depth]);
    walk(n.children, depth + 1, out);
  }
  return out;
}

/** The node's process table with Docker as the runtime. */
export function dockerProcessTable(c: Cluster, node: Node, command: string, o: DockerPsOptions = {}): Proc[] {
  const t = c.end - 20 * SEC - node.index * 3 * SEC;
  const session = '/user.slice/user-0.slice/session-4127.scope';
  const self = { user: 'root', netns: HOST_NETNS, cgroup: session, load: 0 };
  const extra: ProcSpec[] = [
    ...(o.extra ?? []),
    {
      key: 'docker-containerd', parent: 'containerd', start: node.containerdStart + 600_000, pid: node.containerdPid + 19, user: 'root', comm: 'docker-containe',
      args: 'docker-containerd --config /var/run/docker/containerd/containerd.toml --log-level info', stat: 'Ssl', wchan: 'futex_wait_queue_me',
      netns: HOST_NETNS, cgroup: '/system.slice/docker.service', rssKiB: 48212, vszKiB: 1193112, load: 0.004,
    },
    { ...self, key: 'ssh:priv', parent: 'sshd', start: t, comm: 'sshd', args: 'sshd: root@notty', stat: 'Ss', wchan: 'do_select', rssKiB: 9120, vszKiB: 13860 },
    { ...self, key: 'ssh:shell', parent: 'ssh:priv', start: t + 20_000, comm: 'bash', args: `bash -c ${command}`, stat: 'Ss', wchan: 'do_wait', rssKiB: 3380, vszKiB: 8960 },
    { ...self, key: 'ssh:ps', parent: 'ssh:shell', start: t + 25_000, comm: 'ps', args: command, stat: 'R', wchan: '-', rssKiB: 3912, vszKiB: 11492 },
  ];
  if (o.lost) {
    const ct = o.lost.pod.containers.find((x) => x.id === o.lost?.containerId);
    extra.push({
      key: 'lost-shim', parent: 'systemd', start: (ct?.started ?? o.lost.pod.started) - 120_000, user: 'root', comm: 'docker-containe',
      args: dockerShim(o.lost.containerId), stat: 'Sl', wchan: 'futex_wait_queue_me', netns: HOST_NETNS, cgroup: '/system.slice/docker.service',
      rssKiB: 4480, vszKiB: 7508, load: 0.0002,
    });
  }
  const roots = processTable(c, node, { extra });
  const all = walk(roots).map(([p]) => p);
  const byKey = new Map(all.map((p) => [p.key, p]));
  const pods = new Map(podsOn(c, node).map((p) => [shimKey(p), p]));
  const podOfContainer = new Map<string, Pod>();
  for (const p of podsOn(c, node)) {
    podOfContainer.set(p.sandboxId, p);
    for (const ct of p.containers) podOfContainer.set(ct.id, p);
  }
  const move = (p: Proc, parent: Proc): void => {
    const old = all.find((x) => x.children.includes(p));
    if (old) old.children.splice(old.children.indexOf(p), 1);
    parent.children.push(p);
    parent.children.sort((a, b) => a.pid - b.pid);
    p.ppid = parent.pid;
  };
  const dc = byKey.get('docker-containerd');
  for (const p of all) {
    if (p.key === 'containerd') {
      p.comm = 'dockerd';
      p.args = '/usr/bin/dockerd -H fd://';
      p.cgroup = '/system.slice/docker.service';
    } else if (p.key === 'kubelet') {
      p.args = p.args.replace('--container-runtime=remote --container-runtime-endpoint=unix:///run/containerd/containerd.sock', '--container-runtime=docker --network-plugin=cni --cni-bin-dir=/opt/cni/bin');
    } else if (pods.has(p.key)) {
      const pod = pods.get(p.key) as Pod;
      p.comm = 'docker-containe';
      p.args = dockerShim(pod.sandboxId);
      p.cgroup = '/system.slice/docker.service';
      if (dc) move(p, dc);
    }
    // Pod processes: cgroupfs paths instead of systemd slices.
    const m = /cri-containerd-([0-9a-f]{64})\.scope$/.exec(p.cgroup);
    if (m) {
      const pod = podOfContainer.get(m[1]);
      if (pod) p.cgroup = dockerCgroup(pod, m[1]);
    }
  }
  if (o.lost) {
    const shim = byKey.get('lost-shim');
    const main = byKey.get(containerKey(o.lost.containerId));
    if (shim && main) move(main, shim);
  }
  return roots;
}

/** uid → what ps prints in its 8-wide user column. */
function userName(c: Cluster, user: string): string {
  const ubuntu = c.os.id === 'ubuntu-20.04';
  const names: Record<string, string> = ubuntu
    ? { '0': 'root', root: 'root', '65534': 'nobody', '1000': 'ubuntu', '100': 'systemd+', '101': 'systemd+', '102': 'systemd+', '103': 'message+', '104': 'syslog' }
    : { '0': 'root', root: 'root', '65534': 'nobody', '81': 'dbus', '998': 'polkitd', '995': 'chrony' };
  return names[user] ?? user;
}

function cgroupColumn(c: Cluster, path: string): string {
  if (path === '-') return '-';
  const ubuntu = c.os.id === 'ubuntu-20.04';
  const ctl = ['pids', 'hugetlb', 'net_cls,net_prio', 'perf_event', 'devices', 'memory', 'blkio', 'cpuset', 'cpu,cpuacct', 'freezer'];
  const scoped = ['pids', 'devices', 'memory', 'blkio', 'cpu,cpuacct'];
  const parts: string[] = [];
  let n = ctl.length + 2;
  for (const name of ctl) parts.push(`${n--}:${name}:${scoped.includes(name) || path.startsWith('/kubepods') ? path : '/'}`);
  parts.push(`${n--}:rdma:/`);
  parts.push(`1:name=systemd:${path}`);
  if (ubuntu) parts.push(`0::${path}`);
  return parts.join(',');
}

/** `ps -edF` of a Docker node. */
export function dockerPsEdf(c: Cluster, node: Node, o: DockerPsOptions = {}): LineGenerator {
  return function* () {
    const w = c.os.pidWidth;
    const all = walk(dockerProcessTable(c, node, 'ps -edF', o)).map(([p]) => p).sort((a, b) => a.pid - b.pid);
    yield `${'UID'.padEnd(8)} ${'PID'.padStart(w)} ${'PPID'.padStart(w)} ${'C'.padStart(2)} ${'SZ'.padStart(5)} ${'RSS'.padStart(5)} ${'PSR'.padStart(3)} ${'STIME'.padStart(5)} ${'TTY'.padEnd(8)} ${'TIME'.padStart(8)} CMD`;
    for (const p of all) {
      const cpu = Math.min(99, Math.floor(p.load * 100));
      const cmd = p.cgroup === '-' ? `[${p.comm}]` : p.args;
      yield `${userName(c, p.user).padEnd(8)} ${String(p.pid).padStart(w)} ${String(p.ppid).padStart(w)} ${String(cpu).padStart(2)} ${String(Math.ceil(p.vszKiB / 4)).padStart(5)} ${String(p.rssKiB).padStart(5)} ${String(p.psr).padStart(3)} ${psStartTime(p.start, c.end).padStart(5)} ${'?'.padEnd(8)} ${psCpuTime(p.cpuSec).padStart(8)} ${cmd}`;
    }
  };
}

/** `ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H` of a Docker node. */
export function dockerPsTree(c: Cluster, node: Node, o: DockerPsOptions = {}): LineGenerator {
  return function* () {
    const w = c.os.pidWidth;
    const roots = dockerProcessTable(c, node, PS_TREE_COMMAND, o);
    roots.sort((a, b) => (a.key === 'kthreadd' ? -1 : b.key === 'kthreadd' ? 1 : a.pid - b.pid));
    yield `${'PID'.padStart(w)} ${'PPID'.padStart(w)} ${'STAT'} ${'WCHAN'.padEnd(20)} ${'NETNS'.padStart(10)} ${'COMMAND'.padEnd(15)} ${'COMMAND'.padEnd(50)} CGROUP`;
    for (const [p, depth] of walk(roots)) {
      const indent = ' '.repeat(depth * 2);
      const args = p.cgroup === '-' ? `[${p.comm}]` : p.args;
      yield `${String(p.pid).padStart(w)} ${String(p.ppid).padStart(w)} ${p.stat.padEnd(4)} ${p.wchan.slice(0, 20).padEnd(20)} ${String(p.netns).padStart(10)} ${(indent + p.comm.slice(0, 15)).slice(0, 15).padEnd(15)} ${(indent + args).slice(0, 50).padEnd(50)} ${cgroupColumn(c, p.cgroup)}`;
    }
  };
}

/** A row of `docker ps -a` that the model does not derive (an exited attempt of a crash loop). */
export interface DockerRow {
  id: string;
  image: string;
  command: string;
  created: number;
  status: string;
  name: string;
}

function upFor(elapsed: number): string {
  return `Up ${crictlAgo(elapsed).replace(/ ago$/, '')}`;
}

/**
 * `docker ps -a --no-trunc` of a node: every pod's sandbox (`k8s_POD_…`) and containers, the
 * exited attempts of containers restarted at boot, minus the `hidden` ids, plus `extra` rows.
 */
export function dockerPsNoTrunc(c: Cluster, node: Node, hidden: ReadonlySet<string> = new Set(), extra: readonly DockerRow[] = []): string {
  const rows: { t: number; cells: string[] }[] = [];
  const add = (r: DockerRow): void => { rows.push({ t: r.created, cells: [r.id, r.image, `"${r.command}"`, crictlAgo(c.end - r.created), r.status, '', r.name] }); };
  for (const p of podsOn(c, node)) {
    const attempt = p.containers[0]?.restarts ?? 0;
    const base = `${p.name}_${p.namespace}_${p.uid}`;
    if (p.phase === 'Running') add({ id: p.sandboxId, image: PAUSE, command: '/pause', created: p.started, status: upFor(c.end - p.started), name: `k8s_POD_${base}_${attempt}` });
    for (const ct of p.containers) {
      const command = expandArgs(ct.processes[0]?.args ?? ct.name, c, node);
      if (p.phase === 'Succeeded') {
        add({ id: ct.id, image: ct.image, command, created: ct.started, status: `Exited (0) ${crictlAgo(c.end - ct.started - 40 * SEC)}`, name: `k8s_${ct.name}_${base}_0` });
        continue;
      }
      if (!hidden.has(ct.id)) add({ id: ct.id, image: ct.image, command, created: ct.started, status: upFor(c.end - ct.started), name: `k8s_${ct.name}_${base}_${ct.restarts}` });
      if (ct.previousId && !hidden.has(ct.previousId)) {
        const before = node.boot - 20 * 60 * SEC;
        add({ id: ct.previousId, image: ct.image, command, created: before, status: `Exited (255) ${crictlAgo(c.end - node.boot + 30 * SEC)}`, name: `k8s_${ct.name}_${base}_${ct.restarts - 1}` });
      }
    }
  }
  for (const r of extra) add(r);
  rows.sort((a, b) => b.t - a.t);
  return table(['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'], rows.map((r) => r.cells));
}

/** `journalctl --utc -u docker`: start-up after boot, then whatever the scenario adds. */
export function dockerJournal(c: Cluster, node: Node, extra: RecSource[] = []): LineGenerator {
  return function* () {
    const rng = new Rng(`${c.seed}/docker-journal/${node.name}`);
    const pid = node.containerdPid;
    const out: Rec[] = [];
    let t = node.containerdStart - rng.int(300_000, 700_000);
    out.push({ t, ident: 'systemd', pid: 1, text: 'Starting Docker Application Container Engine...' });
    for (const [level, msg] of startupLines()) {
      t += rng.int(2000, 90_000);
      out.push({ t, text: dockerLogrus(t, level, msg) });
    }
    out.push({ t: t + 2000, ident: 'systemd', pid: 1, text: 'Started Docker Application Container Engine.' });
    yield `-- Logs begin at ${journalHeaderStamp(node.containerdStart - 800_000)}, end at ${journalHeaderStamp(c.end)}. --`;
    for (const r of merge([fixed(out), ...extra])) yield journalLine(node.name, r, 'dockerd', pid);
  };
}

/** dockerd's start-up lines, `[level, message]`. */
export function startupLines(): [string, string][] {
  return [
    ['info', 'libcontainerd: started new docker-containerd process'],
    ['info', 'parsed scheme: "unix"'],
    ['info', '[graphdriver] using prior storage driver: overlay2'],
    ['info', 'Graph migration to content-addressability took 0.00 seconds'],
    ['info', 'Loading containers: start.'],
    ['info', 'Default bridge (docker0) is assigned with an IP address 172.17.0.0/16. Daemon option --bip can be used to set a preferred IP address'],
    ['info', 'Loading containers: done.'],
    ['info', `Docker daemon commit=${DOCKER_COMMIT} graphdriver(s)=overlay2 version=${DOCKER_VERSION}`],
    ['info', 'Daemon has completed initialization'],
    ['info', 'API listen on /var/run/docker.sock'],
  ];
}

/** A dockerd logrus body: `time="…" level=info msg="…"`. */
export function dockerLogrus(t: number, level: string, msg: string, rest = ''): string {
  const d = new Date(Math.floor(t / 1000)).toISOString().replace('Z', '');
  const frac = String(t % SEC).padStart(6, '0');
  return `time="${d.slice(0, 19)}.${frac}000Z" level=${level} msg="${msg.replaceAll('"', '\\"')}"${rest ? ` ${rest}` : ''}`;
}

/** Cluster-wide files that name the runtime: node list and bmctl cluster config say Docker. */
export function dockerRuntimeFiles(spec: BundleSpec, c: Cluster): BundleSpec {
  const nodes = /(?:^|\/)kubectl(?: get nodes -o wide|_get_nodes_-o_wide)$/;
  const config = `bmctl-workspace/${c.name}/${c.name}.yaml`;
  return editFiles(spec, c, (p) => nodes.test(p) || p === config, (content, path) => {
    if (path === config) return mapLines(content, (l) => l.replace('containerRuntime: containerd', 'containerRuntime: docker'));
    return mapLines(content, (l) => l.replace(`containerd://${c.containerdVersion}`, `docker://${DOCKER_VERSION.replace(/-ce$/, '')}`));
  });
}
