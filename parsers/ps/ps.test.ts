import { describe, expect, it } from 'vitest';
import ps, { containerIdOf, durationSeconds, isHeaderLine } from './ps.js';
import { probeFor, realSample, runParser } from '../testing.js';

type Run = ReturnType<typeof runParser>;
const byPid = (run: Run, pid: number) => run.events.find((e) => e.fields.pid === pid)!;

/** Lay out cells the way procps does: each padded to its width (left or right), one space apart. */
function cells(...cols: [string, number, ('l' | 'r')?][]): string {
  return cols
    .map(([v, w, align], i) => (i === cols.length - 1 && align !== 'r' ? v : align === 'r' ? v.padStart(w) : v.padEnd(w)))
    .join(' ');
}

const ID_A = '9b3b5a0b1f0c4c6d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d';
const ID_B = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const ID_C = 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210';

describe('ps helpers', () => {
  it('reads TIME and ETIME durations', () => {
    expect(durationSeconds('0:02')).toBe(2);
    expect(durationSeconds('533:33')).toBe(533 * 60 + 33);
    expect(durationSeconds('00:55:22')).toBe(55 * 60 + 22);
    expect(durationSeconds('2-03:04:05')).toBe(2 * 86400 + 3 * 3600 + 4 * 60 + 5);
    expect(durationSeconds('Oct23')).toBeUndefined();
  });
  it('finds container ids in cgroups and shim command lines', () => {
    expect(containerIdOf(`0::/system.slice/docker-${ID_A}.scope`, undefined)).toBe(ID_A);
    expect(containerIdOf(`0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1b2c3d4e_5f60_7182_93a4_b5c6d7e8f9a0.slice/cri-containerd-${ID_B}.scope`, undefined)).toBe(ID_B);
    expect(containerIdOf(`12:memory:/kubepods/burstable/pod1b2c3d4e-5f60-7182-93a4-b5c6d7e8f9a0/${ID_C};11:cpu:/kubepods/burstable/pod1b2c3d4e-5f60-7182-93a4-b5c6d7e8f9a0/${ID_C}`, undefined)).toBe(ID_C);
    expect(containerIdOf('1:name=systemd:/docker/4f8a2b1c9d0e', undefined)).toBe('4f8a2b1c9d0e');
    expect(containerIdOf('0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1b2c3d4e_5f60_7182_93a4_b5c6d7e8f9a0.slice', undefined)).toBeUndefined();
    expect(containerIdOf('0::/user.slice/user-1000.slice/session-2.scope', undefined)).toBeUndefined();
    expect(containerIdOf('-', `docker-containerd-shim ${ID_A} /var/run/docker/libcontainerd/${ID_A} docker-runc`)).toBe(ID_A);
    expect(containerIdOf(undefined, `containerd-shim -namespace moby -workdir /var/lib/containerd/io.containerd.runtime.v1.linux/moby/${ID_B} -address /run/containerd/containerd.sock -containerd-binary /usr/bin/containerd -runtime-root /var/run/docker/runtime-runc`)).toBe(ID_B);
    expect(containerIdOf(undefined, `/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${ID_C} -address /run/containerd/containerd.sock`)).toBe(ID_C);
    expect(containerIdOf(undefined, '/usr/bin/containerd --config /etc/containerd/config.toml')).toBeUndefined();
  });
  it('tells header lines from other tables', () => {
    expect(isHeaderLine('  PID  PPID STAT WCHAN                     NETNS COMMAND         COMMAND                                            CGROUP')).toBe(true);
    expect(isHeaderLine('UID        PID  PPID  C    SZ   RSS PSR STIME TTY          TIME CMD', true)).toBe(true);
    expect(isHeaderLine('  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND', true)).toBe(false); // top
    expect(isHeaderLine('COMMAND     PID USER   FD      TYPE DEVICE SIZE/OFF NODE NAME', true)).toBe(false); // lsof
    expect(isHeaderLine('CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS   PORTS   NAMES', true)).toBe(false); // docker ps
  });
});

describe('ps aux family on real samples', () => {
  it('reads ps auxww with an 8-digit VSZ pushing columns right and long args', () => {
    const run = runParser(ps, realSample('ps/ps-auxww-insights-core.txt'), 'ps auxww');
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(7);
    expect(byPid(run, 2713).fields).toMatchObject({
      user: 'user_01', cpu: 2.4, mem: 19.2, vsz: 12508144, rss: 3077224, tty: '?', stat: 'Sl', state: 'S',
      start: 'Nov21', time: '533:33', cpuSeconds: 32013, command: '/usr/lib64/firefox/firefox', depth: 0,
    });
    expect(byPid(run, 8257).fields.args).toBe('/sbin/dhclient -d -q -sf /usr/libexec/nm-dhcp-helper -pf /var/run/dhclient-enp0s25.pid -lf /var/lib/NetworkManager/dhclient-bdb77870-4bb7-44e4-9f4f-d15ededcb42c-enp0s25.lease -cf /var/lib/NetworkManager/dhclient-enp0s25.conf enp0s25');
    expect(byPid(run, 2).fields).toMatchObject({ command: '[kthreadd]', kernelThread: true, defunct: false });
    expect(byPid(run, 1).fields.kernelThread).toBe(false);
    expect(byPid(run, 1).line).toBe(2);
  });
  it('keeps STAT codes raw and takes the state letter', () => {
    const run = runParser(ps, realSample('ps/ps-auxwww-stat-codes-insights-core.txt'), 'ps auxwww');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => e.fields.stat)).toEqual(['Ss', 'S', 'S<s', 'Sl', 'Ssl', 'Ss+', 'Ss', 'Ss', 'S+']);
    expect(new Set(run.events.map((e) => e.fields.state))).toEqual(new Set(['S']));
    expect(byPid(run, 1533).fields).toMatchObject({ tty: 'tty4', command: '/sbin/mingetty /dev/tty4' });
    expect(byPid(run, 1606).fields.command).toBe('login -- root');
    expect(byPid(run, 1610).fields.command).toBe('-bash');
    expect(byPid(run, 2573).fields).toMatchObject({ cpu: 1.6, mem: 1, start: '17:46' });
  });
  it('skips the bogus-screen warning before a late header', () => {
    const run = runParser(ps, realSample('ps/ps-auxww-late-header-warning.txt'), 'ps auxww');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => e.line)).toEqual([3, 4, 5, 6, 7]);
    expect(byPid(run, 1).fields).toMatchObject({ mem: 0.1, time: '6:52', cpuSeconds: 412 });
    expect(byPid(run, 5).fields).toMatchObject({ stat: 'S<', command: '[kworker/0:0H]', kernelThread: true });
  });
  it('reads ps auxf forests: depth from ` \\_ ` markers, args with quotes and `&` kept', () => {
    const run = runParser(ps, realSample('ps/ps-auxf-forest-local.txt'), 'ps auxf');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => [e.fields.pid, e.fields.depth])).toEqual([[1, 0], [2, 0], [4, 0], [6, 1], [7, 1], [9, 0]]);
    expect(byPid(run, 6).fields.command).toBe('sleep 101');
    expect(byPid(run, 1).fields.command).toBe('bash -c sleep 100 & (sh -c "sleep 101 & sleep 102; wait" &) ; sleep 0.5; ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H > /tmp/ps-eo-tree-nested-local.txt; ps auxf > /tmp/ps-auxf-forest-local.txt; kill %1');
    expect(byPid(run, 9).fields).toMatchObject({ state: 'R', command: 'ps auxf' });
  });
  it('reads a headerless forest excerpt as ps aux', () => {
    const run = runParser(ps, realSample('ps/ps-auxf-kthreads-forest-aks-engine.txt'), 'ps auxf');
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(16);
    expect(run.events.every((e) => e.fields.depth === 1 && e.fields.kernelThread === true && e.fields.user === 'root')).toBe(true);
    expect(byPid(run, 440).fields).toMatchObject({ command: '[rpciod]', stat: 'I<', state: 'I', start: '16:24' });
    expect(byPid(run, 358).fields).toMatchObject({ command: '[jbd2/sda1-8]', state: 'S' });
    expect(byPid(run, 118).line).toBe(1);
  });
  it('reads BSD long format: numeric UID, truncated WCHAN, PRI -100 with NI -', () => {
    const run = runParser(ps, realSample('ps/ps-alxwww-wchan-rtprio-insights-core.txt'), 'ps -alxwww');
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(8);
    expect(byPid(run, 1).fields).toMatchObject({ f: 4, uid: 0, ppid: 0, pri: 20, ni: 0, vsz: 128292, rss: 6928, wchan: 'ep_pol', stat: 'Ss' });
    expect(byPid(run, 1).fields.args).toBe('/usr/lib/systemd/systemd --switched-root --system --deserialize 22');
    expect(byPid(run, 1).fields.user).toBeUndefined();
    const migration = byPid(run, 7).fields;
    expect(migration).toMatchObject({ pri: -100, wchan: 'smpboo', command: '[migration/0]', kernelThread: true });
    expect(migration.ni).toBeUndefined();
    expect(byPid(run, 5).fields).toMatchObject({ pri: 0, ni: -20, stat: 'S<' });
  });
});

describe('ps -ef family on real samples', () => {
  it('keeps spaces and colons in CMD and reads a user name under UID', () => {
    const run = runParser(ps, realSample('ps/ps-ef-spaces-in-cmd-insights-core.txt'), 'ps -ef');
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(9);
    expect(byPid(run, 111434).fields).toMatchObject({
      user: 'root', ppid: 1, c: 0, start: '22:32', tty: '?', time: '00:00:00',
      args: 'nginx: master process /usr/sbin/nginx -c /etc/nginx/nginx.conf',
      command: 'nginx: master process /usr/sbin/nginx -c /etc/nginx/nginx.conf',
    });
    expect(byPid(run, 111435).fields).toMatchObject({ user: 'nginx', ppid: 111434, command: 'nginx: worker process' });
    expect(byPid(run, 1803).fields).toMatchObject({ c: 5, cpuSeconds: 55 * 60 + 22 });
    expect(byPid(run, 1803).fields.uid).toBeUndefined();
  });
  it('reads ps -edF kernel threads', () => {
    const run = runParser(ps, realSample('ps/ps-edF-kthreads-local.txt'), 'ps -edF');
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(29);
    expect(run.events.every((e) => e.fields.ppid === 2 && e.fields.kernelThread === true)).toBe(true);
    expect(byPid(run, 10).fields).toMatchObject({ args: '[kworker/0:0H-events_highpri]', sz: 0, rss: 0, psr: 0, start: '03:23', time: '00:00:00' });
    expect(byPid(run, 15).fields.psr).toBe(1);
  });
});

describe('ps -eo custom columns on real samples', () => {
  it('reads scheduling columns: `FF 99 - 139`, full kworker comm, truncated WCHAN', () => {
    const run = runParser(ps, realSample('ps/ps-eo-sched-class-rtprio-kthreads-local.txt'), 'ps -eo pid,tid,ppid,class,rtprio,ni,pri,psr,pcpu,stat,wchan:14,comm');
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(44);
    expect(byPid(run, 10).fields).toMatchObject({ tid: 10, ppid: 2, cls: 'TS', ni: -20, pri: 39, stat: 'I<', state: 'I', wchan: 'worker_thread', comm: 'kworker/0:0H-events_highpri', command: 'kworker/0:0H-events_highpri' });
    expect(byPid(run, 10).fields.args).toBeUndefined();
    const migration = byPid(run, 18).fields;
    expect(migration).toMatchObject({ cls: 'FF', rtprio: 99, pri: 139, psr: 0, cpu: 0, comm: 'migration/0', kernelThread: true });
    expect(migration.ni).toBeUndefined();
    expect(byPid(run, 42).fields).toMatchObject({ cls: 'FF', rtprio: 50, pri: 90, comm: 'watchdogd' });
    expect(byPid(run, 3).fields.rtprio).toBeUndefined();
    expect(byPid(run, 37).fields).toMatchObject({ stat: 'SN', ni: 5, pri: 14, wchan: 'ksm_scan_threa' });
    expect(byPid(run, 15).fields.wchan).toBe('rcu_gp_fqs_loo');
    // Same reading without the command name to hint that the column is comm.
    const anon = runParser(ps, realSample('ps/ps-eo-sched-class-rtprio-kthreads-local.txt'), 'processes.txt');
    expect(byPid(anon, 10).fields.comm).toBe('kworker/0:0H-events_highpri');
  });
  it('cuts the two-COMMAND tree form at header offsets: comm, args, depth, netns, cgroup', () => {
    const run = runParser(ps, realSample('ps/ps-eo-tree-wchan-netns-cgroup-kthreads-local.txt'), 'ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H');
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(44);
    expect(byPid(run, 2).fields).toMatchObject({ ppid: 0, wchan: 'kthreadd', netns: 4026531833, comm: 'kthreadd', args: '[kthreadd]', depth: 0, cgroup: '-', kernelThread: true });
    expect(byPid(run, 3).fields).toMatchObject({ wchan: 'kthread_worker_fn', comm: 'pool_workqueu', args: '[pool_workqueue_release]', command: '[pool_workqueue_release]', depth: 1 });
    expect(byPid(run, 10).fields).toMatchObject({ comm: 'kworker/0:0H-', args: '[kworker/0:0H-events_highpri]', stat: 'I<' });
    expect(run.events.filter((e) => e.fields.depth === 1)).toHaveLength(43);
    expect(new Set(run.events.map((e) => e.fields.cgroup))).toEqual(new Set(['-']));
    expect(byPid(run, 3).fields.containerId).toBeUndefined();
  });
  it('reads three tree levels with args cut at 50 characters', () => {
    const run = runParser(ps, realSample('ps/ps-eo-tree-nested-local.txt'), 'ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => [e.fields.pid, e.fields.depth])).toEqual([[1, 0], [2, 1], [4, 1], [6, 2], [7, 2], [8, 1]]);
    expect(byPid(run, 1).fields).toMatchObject({ comm: 'bash', args: 'bash -c sleep 100 & (sh -c "sleep 101 & sleep 102;', cgroup: '-', kernelThread: false });
    expect(byPid(run, 4).fields).toMatchObject({ comm: 'sh', args: 'sh -c sleep 101 & sleep 102; wait' });
    expect(byPid(run, 6).fields).toMatchObject({ ppid: 4, comm: 'sleep', args: 'sleep 101', wchan: 'hrtimer_nanosleep', depth: 2 });
    expect(byPid(run, 8).fields).toMatchObject({ state: 'R', wchan: '-', args: 'ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50', cgroup: '-' });
    // PID 2 inside a PID namespace is an ordinary process.
    expect(byPid(run, 2).fields.kernelThread).toBe(false);
  });
});

describe('ps synthetic tables', () => {
  it('reads hung-task evidence: D state, NFS/RPC wait channels, zombies, runc init age', () => {
    const header = cells(['PID', 7, 'r'], ['PPID', 7, 'r'], ['STAT', 4], ['WCHAN', 32], ['ELAPSED', 7, 'r'], ['ETIME', 11, 'r'], ['COMMAND', 0]);
    const row = (pid: number, ppid: number, stat: string, wchan: string, etime: string, secs: number, args: string) =>
      cells([String(pid), 7, 'r'], [String(ppid), 7, 'r'], [stat, 4], [wchan, 32], [String(secs), 7, 'r'], [etime, 11, 'r'], [args, 0]);
    const text = [
      header,
      row(4100, 1, 'D', 'rpc_wait_bit_killable', '2-03:04:05', 183845, 'df -h'),
      row(4101, 1, 'D', 'nfs_wait_bit_killable', '10:00', 600, 'ls /mnt/nfs'),
      row(4200, 4000, 'Z', '-', '05:00', 300, '[sh] <defunct>'),
      row(4300, 4250, 'Ssl', 'futex_wait_queue', '1-00:00:00', 86400, 'runc init'),
      row(4301, 4250, 'Ssl', 'futex_wait_queue', '23:59:59', 86399, 'runc:[2:INIT]'),
    ].join('\n');
    const run = runParser(ps, text, 'ps -eo pid,ppid,stat,wchan:32,etimes,etime,args');
    expect(run.warnings).toEqual([]);
    expect(byPid(run, 4100).fields).toMatchObject({ state: 'D', wchan: 'rpc_wait_bit_killable', etime: '2-03:04:05', elapsedSeconds: 183845, command: 'df -h' });
    expect(byPid(run, 4101).fields).toMatchObject({ state: 'D', wchan: 'nfs_wait_bit_killable', elapsedSeconds: 600 });
    expect(byPid(run, 4200).fields).toMatchObject({ state: 'Z', defunct: true, kernelThread: false, command: '[sh] <defunct>' });
    expect(byPid(run, 4300).fields).toMatchObject({ command: 'runc init', args: 'runc init', elapsedSeconds: 86400, kernelThread: false, defunct: false });
    expect(byPid(run, 4301).fields).toMatchObject({ command: 'runc:[2:INIT]', kernelThread: false });
  });
  it('finds container ids from cgroup columns and shim args', () => {
    const header = cells(['PID', 5, 'r'], ['CGROUP', 150], ['COMMAND', 0]);
    const text = [
      header,
      cells(['2001', 5, 'r'], [`0::/system.slice/docker-${ID_A}.scope`, 150], ['nginx: master process nginx -g daemon off;', 0]),
      cells(['2002', 5, 'r'], [`12:pids:/kubepods/besteffort/pod1b2c3d4e-5f60-7182-93a4-b5c6d7e8f9a0/${ID_B};1:name=systemd:/kubepods/besteffort/pod1b2c3d4e-5f60-7182-93a4-b5c6d7e8f9a0/${ID_B}`, 150], ['/pause', 0]),
      cells(['2003', 5, 'r'], ['0::/system.slice/containerd.service', 150], [`docker-containerd-shim ${ID_C} /var/run/docker/libcontainerd/${ID_C} docker-runc`, 0]),
      cells(['2004', 5, 'r'], ['0::/user.slice/user-0.slice/session-1.scope', 150], ['-bash', 0]),
      // args cut at 50 columns leaves only the start of a shim's id.
      cells(['2005', 5, 'r'], ['12:pids:/system.slice/docker.service', 150], [`docker-containerd-shim ${ID_A.slice(0, 21)}`, 0]),
    ].join('\n');
    const run = runParser(ps, text, 'ps -eo pid,cgroup:150,args');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => e.fields.containerId)).toEqual([ID_A, ID_B, ID_C, undefined, ID_A.slice(0, 21)]);
    expect(run.events.map((e) => e.fields.containerShortId)).toEqual([ID_A, ID_B, ID_C, undefined, ID_A].map((id) => id?.slice(0, 12)));
    expect(byPid(run, 2001).fields).toMatchObject({ cgroup: `0::/system.slice/docker-${ID_A}.scope`, command: 'nginx: master process nginx -g daemon off;' });
  });
  it('cuts a comm with spaces and follows a row pushed right by a wide PID', () => {
    const header = cells(['PID', 5, 'r'], ['COMMAND', 15], ['COMMAND', 30], ['CGROUP', 0]);
    const text = [
      header,
      cells(['812', 5, 'r'], ['Web Content', 15], ['/usr/lib/firefox/firefox -cont', 30], ['0::/user.slice', 0]),
      // ps moves the rest of the row right by the overflow and takes it back from the padding.
      `1234567 ${'sleep'.padEnd(13)} ${'sleep 5'.padEnd(30)} -`,
    ].join('\n');
    const run = runParser(ps, text, 'ps -eo pid,comm,args:30,cgroup');
    expect(run.warnings).toEqual([]);
    expect(byPid(run, 812).fields).toMatchObject({ comm: 'Web Content', args: '/usr/lib/firefox/firefox -cont', cgroup: '0::/user.slice' });
    expect(byPid(run, 1234567).fields).toMatchObject({ comm: 'sleep', args: 'sleep 5', cgroup: '-', depth: 0 });
  });
  it('reads -H indentation in a last comm column and lstart dates with spaces', () => {
    const header = cells(['PID', 5, 'r'], ['STARTED', 24, 'r'], ['CMD', 0]);
    const text = [
      header,
      cells(['1', 5, 'r'], ['Mon Jan  1 00:00:00 2024', 24, 'r'], ['systemd', 0]),
      cells(['200', 5, 'r'], ['Mon Jan  1 00:00:05 2024', 24, 'r'], ['  containerd', 0]),
      cells(['300', 5, 'r'], ['Tue Jan  2 10:11:12 2024', 24, 'r'], ['    containerd-shim', 0]),
    ].join('\n');
    const run = runParser(ps, text, 'ps -eo pid,lstart,ucmd -H');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => [e.fields.comm, e.fields.depth])).toEqual([['systemd', 0], ['containerd', 1], ['containerd-shim', 2]]);
    expect(byPid(run, 300).fields.start).toBe('Tue Jan  2 10:11:12 2024');
  });
  it('switches layout at a second header', () => {
    const text = [
      'UID        PID  PPID  C STIME TTY          TIME CMD',
      'root         1     0  0 03:53 ?        00:00:06 /sbin/init',
      '',
      'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
      'root         1  0.0  0.0   4360  3216 ?        Ss   03:31   0:00 /sbin/init splash',
    ].join('\n');
    const run = runParser(ps, text, 'ps.txt');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => [e.line, e.fields.command, e.fields.ppid, e.fields.vsz])).toEqual([[2, '/sbin/init', 0, undefined], [5, '/sbin/init splash', undefined, 4360]]);
  });
});

describe('ps on broken input', () => {
  it('warns with line numbers for garbage, binary and truncated rows, and never throws', () => {
    const hugeGarbage = 'z'.repeat(200 * 1024);
    const hugeArgs = `java -cp ${'a.jar:'.repeat(34000)}b.jar Main`;
    const text = [
      'garbage before the header',                                                                  // 1
      'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',                  // 2
      'root         1  0.0  0.0   4360  3216 ?        Ss   03:31   0:00 /sbin/init',                // 3
      'this is not a process row',                                                                  // 4
      '\u0000\u0001\u0002\uFFFD binary \u0007',                                                    // 5
      hugeGarbage,                                                                                  // 6
      `app       4242 97.5 12.0 9999999 888888 ?      Rl   03:31 120:00 ${hugeArgs}`,              // 7
      'root         9  x.y  0.0   4360  3216 ?        S    03:31   0:00 weird',                     // 8
      'root      9999  0.0  0.0   8548',                                                            // 9: truncated
    ].join('\n');
    let run: Run | undefined;
    expect(() => { run = runParser(ps, text, 'ps aux'); }).not.toThrow();
    const r = run!;
    expect(r.warnings.map((w) => [w.code, w.line])).toEqual([
      ['ps.no-header', 1],
      ['ps.bad-row', 4],
      ['ps.bad-row', 5],
      ['ps.bad-row', 6],
      ['ps.bad-number', 8],
      ['ps.truncated-row', 9],
    ]);
    expect(r.warnings.every((w) => w.message.length < 200)).toBe(true);
    expect(r.events.map((e) => e.fields.pid)).toEqual([1, 4242, 9]);
    expect(byPid(r, 4242).fields).toMatchObject({ cpu: 97.5, state: 'R', cpuSeconds: 7200 });
    expect(byPid(r, 4242).fields.command).toBe(hugeArgs);
    expect(byPid(r, 9).fields.cpu).toBeUndefined();
  });
  it('stops warning after 1000 lines and says how many were left out', () => {
    const run = runParser(ps, Array.from({ length: 1200 }, (_, i) => `noise ${i}`).join('\n'), 'ps aux');
    expect(run.warnings).toHaveLength(1001);
    expect(run.warnings[1000]).toMatchObject({ code: 'ps.more-warnings', line: 1200, message: expect.stringContaining('200 more') });
  });
});

describe('ps detect', () => {
  it('scores name and content', () => {
    const ef = realSample('ps/ps-ef-spaces-in-cmd-insights-core.txt');
    expect(ps.detect(probeFor('nodes/n1/ps_-edf', ef))).toBe(1);
    expect(ps.detect(probeFor('nodes/n1/ps -eo pid,ppid,stat,wchan:20,comm', realSample('ps/ps-eo-tree-nested-local.txt')))).toBe(1);
    expect(ps.detect(probeFor('nodes/n1/processes.txt', ef))).toBe(0.8);
    expect(ps.detect(probeFor('nodes/n1/processes.txt', realSample('ps/ps-auxww-late-header-warning.txt')))).toBe(0.8);
    expect(ps.detect(probeFor('ps auxf', realSample('ps/ps-auxf-kthreads-forest-aks-engine.txt')))).toBe(0.9);
    expect(ps.detect(probeFor('x.txt', realSample('ps/ps-auxf-kthreads-forest-aks-engine.txt')))).toBe(0.3);
    expect(ps.detect(probeFor('ps aux', ''))).toBe(0.5);
  });
  it('declines other tables', () => {
    expect(ps.detect(probeFor('docker ps -a', 'CONTAINER ID   IMAGE     COMMAND                  CREATED       STATUS       PORTS     NAMES\n0123456789ab   nginx     "/docker-entrypoint.…"   2 hours ago   Up 2 hours   80/tcp    web\n'))).toBe(0);
    expect(ps.detect(probeFor('top -b -n1', 'top - 10:00:00 up 1 day\n\n  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n'))).toBe(0);
    expect(ps.detect(probeFor('ipvsadm -Ln', realSample('ipvsadm/ipvsadm-Ln-kube-proxy.txt')))).toBe(0);
  });
});
