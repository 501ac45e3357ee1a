/**
 * The processes of one node at snapshot time, printed as `ps -edF` and as
 * `ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H` (a tree, with both
 * COMMAND columns indented two spaces per level and cut to their widths). Both outputs come from
 * the same process table: kernel threads, the host's daemons, containerd and kubelet, and per
 * pod a containerd shim, its pause process and the container's processes.
 *
 * PID columns are 7 wide when `kernel.pid_max` is above 99999 (Ubuntu 20.04) and 5 wide
 * otherwise (RHEL 8), as procps sizes them; a value wider than its column pushes the rest right.
 *
 * Sample output (`ps -edF`):
 *   UID          PID    PPID  C    SZ   RSS PSR STIME TTY          TIME CMD
 *   root           1       0  0 42361 11436   0 03:56 ?        00:00:09 /sbin/init
 *   root        1450       1  3 478123 131220  2 03:56 ?       00:11:42 /usr/bin/kubelet --bootstrap-kubeconfig=…
 */
import { type Cluster, type Node, type Pod, expandArgs, podsOn } from '../cluster.js';
import type { LineGenerator } from '../bundle.js';
import { Rng } from '../rng.js';
import { SEC, psCpuTime, psStartTime } from '../time.js';

/** One row of the process table. `key` names it for children; `parent` is the parent's key. */
export interface ProcSpec {
  key: string;
  parent?: string;
  /** Start time, µs. */
  start: number;
  user: string;
  comm: string;
  args: string;
  stat: string;
  wchan: string;
  /** Network namespace inode. */
  netns: number;
  /** cgroup path (`/system.slice/kubelet.service`); `-` for kernel threads. */
  cgroup: string;
  rssKiB: number;
  vszKiB: number;
  /** Share of one CPU used since start, 0..1. */
  load: number;
  /** Fixed PID (daemons whose PID other files mention); allocated by start time otherwise. */
  pid?: number;
}

export interface PsOptions {
  /** More processes (a scenario's stuck ones). Parents are named by key: see `shimKey`, `containerKey`. */
  extra?: ProcSpec[];
}

/** Key of the containerd shim that runs a pod. */
export function shimKey(p: Pod): string {
  return `shim:${p.sandboxId}`;
}

/** Key of a container's main process. */
export function containerKey(containerId: string): string {
  return `ct:${containerId}`;
}

/** The systemd-driver cgroup of a container (or, with the sandbox id, of the pod's pause). */
export function podCgroup(p: Pod, containerId: string): string {
  const qos = p.workload.kind === 'Static' || p.namespace !== 'shop' ? 'burstable' : p.workload.name === 'catalog' ? 'besteffort' : 'burstable';
  const uid = p.uid.replaceAll('-', '_');
  return `/kubepods.slice/kubepods-${qos}.slice/kubepods-${qos}-pod${uid}.slice/cri-containerd-${containerId}.scope`;
}

const HOST_NETNS = 4026531992;

interface Proc extends ProcSpec {
  pid: number;
  ppid: number;
  cpuSec: number;
  psr: number;
  children: Proc[];
}

/** The node's process table, PIDs assigned, as a forest ordered by PID. */
export function processTable(c: Cluster, node: Node, o: PsOptions = {}): Proc[] {
  const rng = new Rng(`${c.seed}/ps/${node.name}`);
  const specs: ProcSpec[] = [...kernelThreads(node), ...hostProcesses(c, node, rng.fork('host')), ...podProcesses(c, node, rng), ...(o.extra ?? [])];
  const byStart = specs.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start || a.i - b.i);
  const used = new Set<number>(specs.filter((s) => s.pid !== undefined).map((s) => s.pid as number));
  const wrap = c.os.pidMax;
  const next = (s: ProcSpec): number => {
    // The PID counter runs fast while the node boots, then at the pace of probes and cron jobs.
    const since = Math.max(0, s.start - node.boot) / SEC;
    let pid = since <= 300 ? 300 + Math.floor(since * 25) : 7800 + Math.floor((since - 300) * 6.3);
    pid = 300 + ((pid - 300) % (wrap - 300));
    while (used.has(pid)) pid = pid + 1 >= wrap ? 300 : pid + 1;
    used.add(pid);
    return pid;
  };
  let kpid = 3;
  const procs = new Map<string, Proc>();
  for (const { s } of byStart) {
    let pid = s.pid;
    if (pid === undefined) {
      if (s.cgroup === '-' && s.key !== 'kthreadd') {
        while (used.has(kpid)) kpid++;
        pid = kpid;
        used.add(pid);
      } else pid = next(s);
    }
    const elapsed = Math.max(1, (c.end - s.start) / SEC);
    procs.set(s.key, { ...s, pid, ppid: 0, cpuSec: elapsed * s.load, psr: rng.int(0, node.cpus - 1), children: [] });
  }
  const roots: Proc[] = [];
  for (const p of procs.values()) {
    const parent = p.parent ? procs.get(p.parent) : undefined;
    if (p.parent && !parent) throw new Error(`process ${p.key}: no parent ${p.parent}`);
    if (parent) {
      p.ppid = parent.pid;
      parent.children.push(p);
    } else roots.push(p);
  }
  const byPid = (a: Proc, b: Proc): number => a.pid - b.pid;
  for (const p of procs.values()) p.children.sort(byPid);
  return roots.sort(byPid);
}

function* walk(nodes: Proc[], depth = 0): Generator<[Proc, number]> {
  for (const n of nodes) {
    yield [n, depth];
    yield* walk(n.children, depth + 1);
  }
}

/** uid → what ps prints in an 8-wide user column (names longer than 8 become numbers). */
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

/** `ps -edF`. */
export function psEdf(c: Cluster, node: Node, o: PsOptions = {}): LineGenerator {
  return function* () {
    const w = c.os.pidWidth;
    const all = [...walk(processTable(c, node, withSelf(c, node, o, 'ps -edF')))].map(([p]) => p).sort((a, b) => a.pid - b.pid);
    yield `${'UID'.padEnd(8)} ${'PID'.padStart(w)} ${'PPID'.padStart(w)} ${'C'.padStart(2)} ${'SZ'.padStart(5)} ${'RSS'.padStart(5)} ${'PSR'.padStart(3)} ${'STIME'.padStart(5)} ${'TTY'.padEnd(8)} ${'TIME'.padStart(8)} CMD`;
    for (const p of all) {
      const cpu = Math.min(99, Math.floor(p.load * 100));
      const cmd = p.cgroup === '-' ? `[${p.comm}]` : p.args;
      yield `${userName(c, p.user).padEnd(8)} ${String(p.pid).padStart(w)} ${String(p.ppid).padStart(w)} ${String(cpu).padStart(2)} ${String(Math.ceil(p.vszKiB / 4)).padStart(5)} ${String(p.rssKiB).padStart(5)} ${String(p.psr).padStart(3)} ${psStartTime(p.start, c.end).padStart(5)} ${'?'.padEnd(8)} ${psCpuTime(p.cpuSec).padStart(8)} ${cmd}`;
    }
  };
}

export const PS_TREE_COMMAND = 'ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H';

/** `ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H`. */
export function psTree(c: Cluster, node: Node, o: PsOptions = {}): LineGenerator {
  return function* () {
    const w = c.os.pidWidth;
    const roots = processTable(c, node, withSelf(c, node, o, PS_TREE_COMMAND));
    // The kernel thread tree comes first, then PID 1's.
    roots.sort((a, b) => (a.key === 'kthreadd' ? -1 : b.key === 'kthreadd' ? 1 : a.pid - b.pid));
    yield `${'PID'.padStart(w)} ${'PPID'.padStart(w)} ${'STAT'} ${'WCHAN'.padEnd(20)} ${'NETNS'.padStart(10)} ${'COMMAND'.padEnd(15)} ${'COMMAND'.padEnd(50)} CGROUP`;
    for (const [p, depth] of walk(roots)) {
      const indent = ' '.repeat(depth * 2);
      const args = p.cgroup === '-' ? `[${p.comm}]` : p.args;
      yield `${String(p.pid).padStart(w)} ${String(p.ppid).padStart(w)} ${p.stat.padEnd(4)} ${p.wchan.slice(0, 20).padEnd(20)} ${String(p.netns).padStart(10)} ${(indent + p.comm.slice(0, 15)).slice(0, 15).padEnd(15)} ${(indent + args).slice(0, 50).padEnd(50)} ${cgroupColumn(c, p.cgroup)}`;
    }
  };
}

/** The ssh session the snapshot ran its commands through, ending in this very `ps`. */
function withSelf(c: Cluster, node: Node, o: PsOptions, command: string): PsOptions {
  const t = c.end - 20 * SEC - node.index * 3 * SEC;
  const session = '/user.slice/user-0.slice/session-4127.scope';
  const base = { user: 'root', netns: HOST_NETNS, cgroup: session, load: 0 };
  return {
    extra: [
      ...(o.extra ?? []),
      { ...base, key: 'ssh:priv', parent: 'sshd', start: t, comm: 'sshd', args: 'sshd: root@notty', stat: 'Ss', wchan: 'do_select', rssKiB: 9120, vszKiB: 13860 },
      { ...base, key: 'ssh:shell', parent: 'ssh:priv', start: t + 20_000, comm: 'bash', args: `bash -c ${command}`, stat: 'Ss', wchan: 'do_wait', rssKiB: 3380, vszKiB: 8960 },
      { ...base, key: 'ssh:ps', parent: 'ssh:shell', start: t + 25_000, comm: 'ps', args: command, stat: 'R', wchan: '-', rssKiB: 3912, vszKiB: 11492 },
    ],
  };
}

function kernelThreads(node: Node): ProcSpec[] {
  const t = node.boot;
  const k = (key: string, comm: string, stat: string, wchan: string, offset = 0): ProcSpec => ({
    key, parent: key === 'kthreadd' ? undefined : 'kthreadd', start: t + offset, user: 'root', comm, args: comm,
    stat, wchan, netns: HOST_NETNS, cgroup: '-', rssKiB: 0, vszKiB: 0, load: 0, pid: key === 'kthreadd' ? 2 : undefined,
  });
  const out: ProcSpec[] = [
    k('kthreadd', 'kthreadd', 'S', 'kthreadd'),
    k('k:rcu_gp', 'rcu_gp', 'I<', 'rescuer_thread', 1),
    k('k:rcu_par_gp', 'rcu_par_gp', 'I<', 'rescuer_thread', 2),
    k('k:kworker/0:0H', 'kworker/0:0H-kblockd', 'I<', 'worker_thread', 3),
    k('k:mm_percpu_wq', 'mm_percpu_wq', 'I<', 'rescuer_thread', 4),
    k('k:rcu_tasks_rude_', 'rcu_tasks_rude_', 'S', 'rcu_tasks_kthread', 5),
    k('k:rcu_tasks_trace', 'rcu_tasks_trace', 'S', 'rcu_tasks_kthread', 6),
    k('k:rcu_sched', 'rcu_sched', 'I', 'rcu_gp_kthread', 7),
  ];
  for (let cpu = 0; cpu < node.cpus; cpu++) {
    out.push(k(`k:cpuhp/${cpu}`, `cpuhp/${cpu}`, 'S', 'smpboot_thread_fn', 10 + cpu * 6));
    out.push(k(`k:idle_inject/${cpu}`, `idle_inject/${cpu}`, 'S', 'smpboot_thread_fn', 11 + cpu * 6));
    out.push(k(`k:migration/${cpu}`, `migration/${cpu}`, 'S', 'smpboot_thread_fn', 12 + cpu * 6));
    out.push(k(`k:ksoftirqd/${cpu}`, `ksoftirqd/${cpu}`, 'S', 'smpboot_thread_fn', 13 + cpu * 6));
    out.push(k(`k:kworker/${cpu}:0H`, `kworker/${cpu}:0H-events_highpri`, 'I<', 'worker_thread', 14 + cpu * 6));
    out.push(k(`k:kworker/${cpu}:1`, `kworker/${cpu}:1-events`, 'I', 'worker_thread', 200_000 + cpu));
  }
  const rest: [string, string, string][] = [
    ['kdevtmpfs', 'S', 'devtmpfsd'], ['netns', 'I<', 'rescuer_thread'], ['kauditd', 'S', 'kauditd_thread'],
    ['khungtaskd', 'S', 'watchdog'], ['oom_reaper', 'S', 'oom_reaper'], ['writeback', 'I<', 'rescuer_thread'],
    ['kcompactd0', 'S', 'kcompactd'], ['ksmd', 'SN', 'ksm_scan_thread'], ['khugepaged', 'SN', 'khugepaged'],
    ['kintegrityd', 'I<', 'rescuer_thread'], ['kblockd', 'I<', 'rescuer_thread'], ['blkcg_punt_bio', 'I<', 'rescuer_thread'],
    ['tpm_dev_wq', 'I<', 'rescuer_thread'], ['ata_sff', 'I<', 'rescuer_thread'], ['md', 'I<', 'rescuer_thread'],
    ['edac-poller', 'I<', 'rescuer_thread'], ['devfreq_wq', 'I<', 'rescuer_thread'], ['watchdogd', 'S', 'kthread_worker_fn'],
    ['kswapd0', 'S', 'kswapd'], ['ecryptfs-kthrea', 'S', 'ecryptfs_threadfn'], ['kthrotld', 'I<', 'rescuer_thread'],
    ['acpi_thermal_pm', 'I<', 'rescuer_thread'], ['vmw_pvscsi_wq_2', 'I<', 'rescuer_thread'], ['scsi_eh_0', 'S', 'scsi_error_handler'],
    ['scsi_tmf_0', 'I<', 'rescuer_thread'], ['scsi_eh_1', 'S', 'scsi_error_handler'], ['scsi_tmf_1', 'I<', 'rescuer_thread'],
    ['vfio-irqfd-clea', 'I<', 'rescuer_thread'], ['ipv6_addrconf', 'I<', 'rescuer_thread'], ['kstrp', 'I<', 'rescuer_thread'],
    ['kworker/u17:0', 'I<', 'worker_thread'], ['charger_manager', 'I<', 'rescuer_thread'], ['kdmflush', 'I<', 'rescuer_thread'],
    ['jbd2/dm-0-8', 'S', 'kjournald2'], ['ext4-rsv-conver', 'I<', 'rescuer_thread'], ['ttm_swap', 'I<', 'rescuer_thread'],
    ['irq/16-vmwgfx', 'S', 'irq_thread'], ['cryptd', 'I<', 'rescuer_thread'], ['kworker/u16:2', 'I', 'worker_thread'],
    ['kworker/u16:0', 'I', 'worker_thread'], ['nf_conntrack', 'I<', 'rescuer_thread'], ['xfsalloc', 'I<', 'rescuer_thread'],
  ];
  rest.forEach(([comm, stat, wchan], i) => out.push(k(`k:${comm}`, comm, stat, wchan, 100 + i * 7)));
  return out;
}

function hostProcesses(c: Cluster, node: Node, rng: Rng): ProcSpec[] {
  const ubuntu = c.os.id === 'ubuntu-20.04';
  const t = node.boot;
  const out: ProcSpec[] = [];
  const d = (key: string, pidOrOffset: { pid?: number; at: number }, user: string, comm: string, args: string, rssKiB: number, stat = 'Ss', wchan = 'ep_poll', load = 0.0002, cgroup?: string, parent = 'systemd'): void => {
    out.push({
      key, parent: key === 'systemd' ? undefined : parent, start: t + pidOrOffset.at, user, comm, args, stat, wchan,
      netns: HOST_NETNS, cgroup: cgroup ?? (key === 'systemd' ? '/init.scope' : `/system.slice/${key}.service`),
      rssKiB, vszKiB: rssKiB * 3 + 12000, load: load * rng.real(0.3, 3), pid: pidOrOffset.pid,
    });
  };
  d('systemd', { pid: 1, at: 0 }, 'root', 'systemd', c.os.init, 11436, 'Ss', 'ep_poll', 0.0008);
  d('systemd-journald', { at: 3.4 * SEC }, 'root', 'systemd-journal', '/lib/systemd/systemd-journald', 62340, 'S<s');
  d('systemd-udevd', { at: 3.6 * SEC }, 'root', 'systemd-udevd', '/lib/systemd/systemd-udevd', 6780);
  if (ubuntu) {
    d('multipathd', { at: 4.2 * SEC }, 'root', 'multipathd', '/sbin/multipathd -d -s', 18000, 'SLsl', 'futex_wait_queue_me');
    d('systemd-timesyncd', { at: 4.9 * SEC }, '102', 'systemd-timesyn', '/lib/systemd/systemd-timesyncd', 6900, 'Ssl');
    d('systemd-networkd', { at: 5.2 * SEC }, '100', 'systemd-network', '/lib/systemd/systemd-networkd', 7940);
    d('systemd-resolved', { at: 5.4 * SEC }, '101', 'systemd-resolve', '/lib/systemd/systemd-resolved', 13120);
    d('accounts-daemon', { at: 5.9 * SEC }, 'root', 'accounts-daemon', '/usr/lib/accountsservice/accounts-daemon', 7412, 'Ssl', 'do_poll.constprop.0');
    d('dbus', { at: 6.0 * SEC }, '103', 'dbus-daemon', '/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only', 5320);
    d('irqbalance', { at: 6.1 * SEC }, 'root', 'irqbalance', '/usr/sbin/irqbalance --foreground', 3884, 'Ssl', 'do_poll.constprop.0');
    d('rsyslog', { at: 6.3 * SEC }, '104', 'rsyslogd', '/usr/sbin/rsyslogd -n -iNONE', 5100, 'Ssl', 'do_select');
    d('cron', { at: 6.4 * SEC }, 'root', 'cron', '/usr/sbin/cron -f', 3020, 'Ss', 'hrtimer_nanosleep');
    d('systemd-logind', { at: 6.5 * SEC }, 'root', 'systemd-logind', '/lib/systemd/systemd-logind', 7680);
    d('atd', { at: 6.7 * SEC }, 'root', 'atd', '/usr/sbin/atd -f', 2240, 'Ss', 'hrtimer_nanosleep');
    d('sshd', { at: 7.0 * SEC }, 'root', 'sshd', 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups', 7520, 'Ss', 'do_select');
    d('getty@tty1', { at: 7.2 * SEC }, 'root', 'agetty', '/sbin/agetty -o -p -- \\u --noclear tty1 linux', 1960, 'Ss+', 'do_select', 0.0002, '/system.slice/system-getty.slice/getty@tty1.service');
    d('unattended-upgrades', { at: 7.4 * SEC }, 'root', 'unattended-upgr', '/usr/bin/python3 /usr/share/unattended-upgrades/unattended-upgrade-shutdown --wait-for-signal', 21720, 'Ssl', 'do_poll.constprop.0');
  } else {
    d('auditd', { at: 4.4 * SEC }, 'root', 'auditd', '/sbin/auditd', 2140, 'S<sl', 'ep_poll');
    d('dbus', { at: 5.0 * SEC }, '81', 'dbus-daemon', '/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only', 5040);
    d('polkit', { at: 5.1 * SEC }, '998', 'polkitd', '/usr/lib/polkit-1/polkitd --no-debug', 21100, 'Ssl', 'do_poll.constprop.13');
    d('chronyd', { at: 5.3 * SEC }, '995', 'chronyd', '/usr/sbin/chronyd', 3572, 'S', 'do_select');
    d('systemd-logind', { at: 5.5 * SEC }, 'root', 'systemd-logind', '/usr/lib/systemd/systemd-logind', 9320);
    d('NetworkManager', { at: 5.8 * SEC }, 'root', 'NetworkManager', '/usr/sbin/NetworkManager --no-daemon', 18880, 'Ssl', 'do_poll.constprop.13');
    d('tuned', { at: 6.2 * SEC }, 'root', 'tuned', '/usr/libexec/platform-python -Es /usr/sbin/tuned -l -P', 31040, 'Ssl', 'do_poll.constprop.13');
    d('sshd', { at: 6.6 * SEC }, 'root', 'sshd', '/usr/sbin/sshd -D -oCiphers=aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes256-ctr,aes256-cbc,aes128-gcm@openssh.com,aes128-ctr,aes128-cbc', 7760, 'Ss', 'do_select');
    d('rsyslog', { at: 6.8 * SEC }, 'root', 'rsyslogd', '/usr/sbin/rsyslogd -n', 14600, 'Ssl', 'do_select');
    d('crond', { at: 7.0 * SEC }, 'root', 'crond', '/usr/sbin/crond -n', 3600, 'Ss', 'hrtimer_nanosleep');
    d('getty@tty1', { at: 7.1 * SEC }, 'root', 'agetty', '/sbin/agetty -o -p -- \\u --noclear tty1 linux', 2020, 'Ss+', 'do_select', 0.0002, '/system.slice/system-getty.slice/getty@tty1.service');
  }
  d('containerd', { pid: node.containerdPid, at: node.containerdStart - t }, 'root', 'containerd', '/usr/bin/containerd', 92412, 'Ssl', 'futex_wait_queue_me', 0.011);
  d('kubelet', { pid: node.kubeletPid, at: node.kubeletStart - t }, 'root', 'kubelet',
    `/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime=remote --container-runtime-endpoint=unix:///run/containerd/containerd.sock --node-ip=${node.ip} --node-labels=baremetal.cluster.gke.io/node-pool=${node.role === 'control-plane' ? c.name : 'np1'} --v=2 --root-dir=/var/lib/kubelet`,
    131220, 'Ssl', 'futex_wait_queue_me', 0.031);
  return out;
}

function podProcesses(c: Cluster, node: Node, rng: Rng): ProcSpec[] {
  const ubuntu = c.os.id === 'ubuntu-20.04';
  const out: ProcSpec[] = [];
  for (const p of podsOn(c, node)) {
    if (p.phase !== 'Running') continue;
    const netns = p.hostNetwork ? HOST_NETNS : p.netns;
    out.push({
      key: shimKey(p), parent: 'systemd', start: p.started - rng.int(50_000, 200_000), user: 'root', comm: 'containerd-shim',
      args: `/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${p.sandboxId} -address /run/containerd/containerd.sock`,
      stat: 'Sl', wchan: 'futex_wait_queue_me', netns: HOST_NETNS, cgroup: '/system.slice/containerd.service', rssKiB: rng.int(9800, 14200), vszKiB: 712080 + rng.int(0, 9000), load: 0.0004,
    });
    out.push({
      key: `pause:${p.sandboxId}`, parent: shimKey(p), start: p.started + rng.int(100_000, 300_000), user: '65535', comm: 'pause', args: '/pause',
      stat: 'Ss', wchan: ubuntu ? '__x64_sys_pause' : 'sys_pause', netns, cgroup: podCgroup(p, p.sandboxId), rssKiB: 4, vszKiB: 964, load: 0,
    });
    for (const ct of p.containers) {
      const add = (def: typeof ct.processes[number], key: string, parent: string, start: number, top: boolean): void => {
        out.push({
          key, parent, start, user: def.user, comm: def.comm, args: expandArgs(def.args, c, node),
          stat: `S${top ? 's' : ''}${def.threads ? 'l' : ''}`, wchan: def.wchan ?? (def.threads ? 'futex_wait_queue_me' : 'do_select'),
          netns, cgroup: podCgroup(p, ct.id), rssKiB: def.rssKiB + rng.int(0, Math.floor(def.rssKiB / 10)), vszKiB: def.threads ? def.rssKiB * 5 + 700_000 : def.rssKiB * 3 + 9000,
          load: def.rssKiB > 100_000 ? rng.real(0.01, 0.06) : rng.real(0, 0.004),
        });
        (def.children ?? []).forEach((child, i) => add(child, `${key}/${i}`, key, start + rng.int(20_000, 200_000), false));
      };
      ct.processes.forEach((def, i) => add(def, i === 0 ? containerKey(ct.id) : `${containerKey(ct.id)}#${i}`, shimKey(p), ct.started, true));
    }
  }
  return out;
}
