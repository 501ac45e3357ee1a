import { describe, expect, it } from 'vitest';
import journal, { MAX_LINE, sourceFromIdent, unitFromCommand } from './journal.js';
import klog from '../klog/klog.js';
import { probeFor, realSample, runParser } from '../testing.js';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
const logs = (run: ReturnType<typeof runParser>) => run.events.filter((e) => e.kind === 'log');
const markers = (run: ReturnType<typeof runParser>) => run.events.filter((e) => e.kind === 'journal.marker');

describe('journal line formats', () => {
  it('reads short lines with host, ident and pid, and parses the klog body', () => {
    const run = runParser(journal,
      'Mar 13 16:02:43 vk-prod4-node-v18-w3fz kubelet[1450]: I0313 16:02:43.934473    1450 kubelet.go:1778] skipping pod synchronization - [PLEG is not healthy: pleg was last seen active 3m5.30015447s ago; threshold is 3m0s]\n',
      'journalctl -u kubelet', { mtime: Date.UTC(2018, 2, 20) });
    expect(run.events).toHaveLength(1);
    const e = run.events[0];
    expect(e).toMatchObject({
      source: 'kubelet', kind: 'log', node: 'vk-prod4-node-v18-w3fz', severity: 'info', line: 1,
      message: 'skipping pod synchronization - [PLEG is not healthy: pleg was last seen active 3m5.30015447s ago; threshold is 3m0s]',
      fields: { host: 'vk-prod4-node-v18-w3fz', ident: 'kubelet', pid: 1450, caller: 'kubelet.go:1778', thread: 1450 },
    });
    // Whole seconds from the journal, milliseconds from the klog stamp of the same second.
    expect(iso(e.time)).toBe('2018-03-13T16:02:43.934Z');
  });

  it('reads syslog lines without a pid and keeps \\" escapes verbatim', () => {
    const run = runParser(journal, realSample('kubelet/cni-no-ip-syslog-escaped.txt'), 'var/log/messages', { mtime: Date.UTC(2018, 3, 12) });
    expect(run.events).toHaveLength(1);
    const e = run.events[0];
    expect(e.fields).toEqual({ host: 'srv-8d-01-a06', ident: 'kubelet', caller: 'pod_workers.go:186', thread: 19237 });
    expect(e.severity).toBe('error');
    expect(e.message).toContain('CreatePodSandbox for pod \\"datadog-agent-4dw8f_default(');
    expect(e.message).toMatch(/no IP addresses available in range set: 172\.22\.5\.1-172\.22\.5\.254"$/);
    expect(iso(e.time)).toBe('2018-04-11T00:52:45.083Z');
  });

  it('reads short-precise', () => {
    const run = runParser(journal, 'Aug 30 16:59:57.230539 minikube systemd[1]: Started kubelet: The Kubernetes Node Agent.\n', 'x', { mtime: Date.UTC(2020, 8, 1) });
    expect(iso(run.events[0].time)).toBe('2020-08-30T16:59:57.230Z');
    expect(run.events[0].message).toBe('Started kubelet: The Kubernetes Node Agent.');
    expect(run.events[0].source).toBe('systemd');
  });

  it('reads short-iso with every offset spelling, and short-iso-precise', () => {
    const text = [
      '2020-08-30T16:59:57+0000 minikube kubelet[3749]: plain message one',
      '2020-08-30T16:59:57Z minikube kubelet[3749]: plain message two',
      '2020-08-30T16:59:57+00:00 minikube kubelet[3749]: plain message three',
      '2020-08-30T11:59:57-0500 minikube kubelet[3749]: plain message four',
      '2020-08-30T16:59:57.231503+0000 minikube kubelet[3749]: I0830 16:59:57.231503    3749 plugins.go:100] No cloud provider specified.',
    ].join('\n');
    const run = runParser(journal, text);
    expect(run.events.map((e) => iso(e.time))).toEqual([
      '2020-08-30T16:59:57.000Z', '2020-08-30T16:59:57.000Z', '2020-08-30T16:59:57.000Z', '2020-08-30T16:59:57.000Z',
      '2020-08-30T16:59:57.231Z',
    ]);
    expect(run.events[4]).toMatchObject({ message: 'No cloud provider specified.', fields: { caller: 'plugins.go:100', pid: 3749 } });
  });

  it('reads short-full, short-unix and short-monotonic', () => {
    const text = [
      'Sun 2020-08-30 16:59:57 UTC minikube containerd[812]: time="2020-08-30T16:59:57.1Z" level=info msg="loading plugin"',
      '1598806796.123456 minikube kubelet[3749]: E0830 16:59:56.123456    3749 kubelet.go:2188] Container runtime network not ready',
      '[   12.345678] minikube kubelet[3749]: W0830 16:59:58.500000    3749 server.go:1]  something',
    ].join('\n');
    const run = runParser(journal, text, 'x', { mtime: Date.UTC(2020, 8, 1) });
    const [full, unix, mono] = run.events;
    expect(full).toMatchObject({ source: 'containerd', severity: 'info', fields: { host: 'minikube', pid: 812 } });
    expect(iso(full.time)).toBe('2020-08-30T16:59:57.000Z');
    expect(unix).toMatchObject({ source: 'kubelet', severity: 'error', message: 'Container runtime network not ready' });
    expect(unix.time).toBe(1598806796123);
    // No wall clock in short-monotonic: the klog stamp gives the time, the journal its offset since boot.
    expect(mono.fields.monotonic).toBe(12.345678);
    expect(mono.severity).toBe('warning');
    expect(iso(mono.time)).toBe('2020-08-30T16:59:58.500Z');
  });

  it('reads json lines, decoding byte-array messages and mapping PRIORITY', () => {
    const text = [
      '{"__CURSOR":"s=739ad4;i=4ece7","__REALTIME_TIMESTAMP":"1598806797230539","__MONOTONIC_TIMESTAMP":"12896673","_BOOT_ID":"6c7c6013a8ba4b2ebd3b9e1a5d9d4b0c","PRIORITY":"6","_HOSTNAME":"minikube","SYSLOG_FACILITY":"3","SYSLOG_IDENTIFIER":"kubelet","_TRANSPORT":"stdout","_PID":"3749","_COMM":"kubelet","_SYSTEMD_UNIT":"kubelet.service","MESSAGE":"I0830 16:59:57.230539    3749 server.go:417] Version: v1.18.3"}',
      '{"__REALTIME_TIMESTAMP":"1598806798000000","_BOOT_ID":"6c7c6013a8ba4b2ebd3b9e1a5d9d4b0c","PRIORITY":"3","_HOSTNAME":"minikube","SYSLOG_IDENTIFIER":"containerd","_PID":"812","_SYSTEMD_UNIT":"containerd.service","MESSAGE":[27,91,51,49,109,102,97,105,108,101,100,32,116,111,32,115,116,97,114,116,27,91,48,109]}',
      '{"__REALTIME_TIMESTAMP":"1598806900000000","_BOOT_ID":"0e5a1b1c7cd84e4e9c3c8e3b1b0a9f11","PRIORITY":"2","_HOSTNAME":"minikube","_TRANSPORT":"kernel","MESSAGE":"Kernel panic averted"}',
    ].join('\n');
    const run = runParser(journal, text, 'journalctl -o json');
    const l = logs(run);
    expect(l).toHaveLength(3);
    expect(l[0]).toMatchObject({
      source: 'kubelet', time: 1598806797230, severity: 'info', message: 'Version: v1.18.3',
      fields: { host: 'minikube', ident: 'kubelet', pid: 3749, unit: 'kubelet.service', priority: 6, caller: 'server.go:417' },
    });
    expect(l[1]).toMatchObject({ source: 'containerd', severity: 'error', message: '\x1b[31mfailed to start\x1b[0m', fields: { priority: 3 } });
    expect(l[2]).toMatchObject({ source: 'kernel', severity: 'critical', fields: { ident: 'kernel', priority: 2 } });
    // A new _BOOT_ID is a boot boundary, reported before the entry that shows it.
    const boot = run.events.findIndex((e) => e.kind === 'journal.boot');
    expect(run.events[boot]).toMatchObject({ line: 3, fields: { bootId: '0e5a1b1c7cd84e4e9c3c8e3b1b0a9f11' } });
    expect(run.events[boot + 1]).toBe(l[2]);
    expect(run.facts).toContainEqual({ name: 'kubelet', value: 'v1.18.3', line: 1 });
  });

  it('reads json-seq (RS before each object)', () => {
    const text = '\x1e{"__REALTIME_TIMESTAMP":"1598806797000000","_HOSTNAME":"n1","SYSLOG_IDENTIFIER":"dockerd","_PID":"900","PRIORITY":"6","MESSAGE":"time=\\"2020-08-30T16:59:57Z\\" level=error msg=\\"Handler for POST /v1.40/containers/x/start returned error\\""}\n';
    const run = runParser(journal, text);
    expect(run.events).toHaveLength(1);
    expect(run.events[0]).toMatchObject({ source: 'dockerd', severity: 'error', time: 1598806797000, fields: { host: 'n1', pid: 900 } });
    expect(run.warnings).toEqual([]);
  });

  it('reads journalctl -k: ident kernel, its own [seconds] stamp moved to fields.monotonic', () => {
    const text = [
      'Jan 31 15:43:30 ip-10-240-0-20 kernel: [    0.000000] Linux version 4.15.0-1057-aws (buildd@lcy01-amd64-026) (gcc version 7.4.0)',
      'Jan 31 15:43:35 ip-10-240-0-20 kernel: [1454500.910215] nf_conntrack: table full, dropping packet',
      'Jan 31 15:43:36 ip-10-240-0-20 kernel: nf_conntrack: nf_conntrack: table full, dropping packet',
    ].join('\n');
    const run = runParser(journal, text, 'nodes/ip-10-240-0-20/journalctl --utc --boot --dmesg', { mtime: Date.UTC(2020, 1, 1) });
    expect(run.events.map((e) => e.source)).toEqual(['kernel', 'kernel', 'kernel']);
    expect(run.events[1]).toMatchObject({ message: 'nf_conntrack: table full, dropping packet', fields: { monotonic: 1454500.910215, ident: 'kernel' } });
    expect(run.events[2].fields.monotonic).toBeUndefined();
    expect(run.facts).toContainEqual({ name: 'kernel', value: '4.15.0-1057-aws', line: 1 });
  });

  it('reads a file that mixes outputs after shell prompts', () => {
    const text = [
      '[root@worker-1 ~]# journalctl -u containerd -o short-iso',
      '2021-06-02T16:57:57+0000 worker-1 containerd[700]: time="2021-06-02T16:57:57.100000000Z" level=info msg="starting containerd" revision=05f951a3781f4f2c1911b05e61c160e9c30eaa8e version=v1.4.4',
      '[root@worker-1 ~]# journalctl -u kubelet',
      '-- No entries --',
      'root@worker-1:/# journalctl -o json -n 1',
      '{"__REALTIME_TIMESTAMP":"1622653077000000","_HOSTNAME":"worker-1","SYSLOG_IDENTIFIER":"docker","_PID":"900","MESSAGE":"time=\\"2021-06-02T16:57:57Z\\" level=info msg=\\"Docker daemon\\" commit=b0f5bc3 graphdriver(s)=overlay2 version=20.10.7"}',
    ].join('\n');
    const run = runParser(journal, text);
    expect(run.warnings).toEqual([]);
    expect(logs(run).map((e) => e.source)).toEqual(['containerd', 'dockerd']);
    expect(markers(run)).toEqual([expect.objectContaining({ line: 4, fields: { marker: 'no-entries', unit: 'kubelet.service' } })]);
    expect(run.facts).toEqual(expect.arrayContaining([
      { name: 'containerd', value: 'v1.4.4', line: 2 },
      { name: 'docker', value: '20.10.7', line: 6 },
      { name: 'node', value: 'worker-1', line: 2 },
    ]));
  });
});

describe('journal headers and separators', () => {
  it('emits journal.boot for -- Reboot -- and -- Boot <id> --', () => {
    const text = [
      'Aug 30 16:59:56 minikube systemd[1]: Stopped kubelet: The Kubernetes Node Agent.',
      '-- Reboot --',
      'Aug 30 17:01:02 minikube systemd[1]: Started kubelet: The Kubernetes Node Agent.',
      '-- Boot 3a2f9c0d4e5b6a7f8091a2b3c4d5e6f7 --',
      'Aug 30 17:05:00 minikube systemd[1]: Started kubelet: The Kubernetes Node Agent.',
    ].join('\n');
    const run = runParser(journal, text);
    expect(run.events.map((e) => e.kind)).toEqual(['log', 'journal.boot', 'log', 'journal.boot', 'log']);
    expect(run.events[1]).toMatchObject({ source: 'journalctl', line: 2, fields: {} });
    expect(run.events[3].fields).toEqual({ bootId: '3a2f9c0d4e5b6a7f8091a2b3c4d5e6f7' });
  });

  it('marks an empty journal, naming the unit from the file name', () => {
    const run = runParser(journal, '-- No entries --\n', 'nodes/10.200.0.3/journalctl_--utc_-u_containerd');
    expect(run.events).toEqual([expect.objectContaining({ kind: 'journal.marker', source: 'journalctl', line: 1, fields: { marker: 'no-entries', unit: 'containerd.service' } })]);
  });

  it('skips journalctl -x catalog text without warnings or continuations', () => {
    const text = [
      'Aug 30 16:59:57 minikube systemd[1]: Started kubelet: The Kubernetes Node Agent.',
      '-- Subject: A start job for unit kubelet.service has finished successfully',
      '-- Defined-By: systemd',
      '-- ',
      '-- A start job for unit kubelet.service has finished successfully.',
      '░░ Subject: A start job for unit kubelet.service has finished successfully',
      '░░ Defined-By: systemd',
    ].join('\n');
    const run = runParser(journal, text);
    expect(run.events).toHaveLength(1);
    expect(run.events[0].message).toBe('Started kubelet: The Kubernetes Node Agent.');
    expect(run.events[0].endLine).toBeUndefined();
    expect(run.warnings).toEqual([]);
  });

  it('tells a pager cut (`>`) from a message that ends in `>` itself', () => {
    const run = runParser(journal, [
      'Jun 02 16:57:58 m dockerd[9]: level=info msg="x" err=<nil>',
      'Jun 02 16:57:58 m dockerd[9]: a -> b',
      'Jun 02 16:57:58 m containerd[8]: shim disconnected id=0a1b2c3d4e5f6>',
    ].join('\n'));
    expect(run.events.map((e) => e.fields.cut)).toEqual([undefined, undefined, true]);
    expect(run.events[2].message).toBe('shim disconnected id=0a1b2c3d4e5f6');
  });
});

describe('journal parser on real samples', () => {
  it('minikube kubelet: I/O warning, Logs-begin header, klog bodies, version fact', () => {
    const run = runParser(journal, realSample('journalctl/kubelet-short-logs-begin-minikube.txt'), 'nodes/minikube/journalctl --utc -u kubelet');
    expect(run.warnings).toEqual([]);
    expect(markers(run).map((e) => e.fields.marker)).toEqual(['journal-error', 'logs-begin']);
    expect(markers(run)[0].message).toContain('Input/output error');
    expect(markers(run)[1].fields).toMatchObject({ begin: 'Sun 2020-08-30 16:57:38 UTC', end: 'Sun 2020-08-30 17:23:29 UTC', unit: 'kubelet.service' });
    const l = logs(run);
    expect(l).toHaveLength(10);
    expect(l.slice(0, 6).every((e) => e.source === 'systemd' && e.fields.pid === 1 && e.severity === undefined)).toBe(true);
    expect(l[0].message).toBe('kubelet.service: Main process exited, code=exited, status=255/EXCEPTION');
    // The header's end time gives the year, not the file's mtime (2024 in runParser).
    expect(iso(l[0].time)).toBe('2020-08-30T16:59:56.000Z');
    const fatal = l[9];
    expect(fatal).toMatchObject({ source: 'kubelet', severity: 'fatal', line: 12, fields: { caller: 'server.go:274', pid: 3749, host: 'minikube' } });
    expect(fatal.message).toBe('failed to run Kubelet: unable to load bootstrap kubeconfig: stat /etc/kubernetes/bootstrap-kubelet.conf: no such file or directory');
    expect(iso(fatal.time)).toBe('2020-08-30T16:59:57.231Z');
    expect(run.facts).toEqual([
      { name: 'node', value: 'minikube', line: 3 },
      { name: 'kubelet', value: 'v1.18.3', line: 9 },
    ]);
  });

  it('kubeadm: a pager-cut line keeps its text without the `>` and is flagged cut', () => {
    const run = runParser(journal, realSample('journalctl/kubelet-unit-truncated-lines-kubeadm.txt'), 'journalctl -xeu kubelet');
    const l = logs(run);
    expect(l).toHaveLength(3);
    expect(l[1]).toMatchObject({ line: 3, message: 'kubelet.service: Current command vanished from the unit file,', fields: { cut: true, host: 'macbook-kubernetes-master' } });
    expect(l[0].fields.cut).toBeUndefined();
    expect(l[2].fields.cut).toBeUndefined();
    // `-- Logs begin at Fri 2020-08-07 …, end at Wed 2021-06-02 … --`: June is 2021.
    expect(iso(l[0].time)).toBe('2021-06-02T16:57:57.000Z');
  });

  it('no entries: prompts skipped, Hint block one marker, No entries marker with the unit from the prompt', () => {
    const run = runParser(journal, realSample('journalctl/no-entries-with-hint.txt'), 'support/kubelet-journal.txt');
    expect(run.warnings).toEqual([]);
    expect(logs(run)).toEqual([]);
    expect(run.events).toHaveLength(2);
    expect(run.events[0]).toMatchObject({ kind: 'journal.marker', line: 5, endLine: 7, fields: { marker: 'hint', unit: 'kubelet.service' } });
    expect(run.events[0].message).toBe("You are currently not seeing messages from other users and the system.\nUsers in the 'systemd-journal' group can see all messages. Pass -q to\nturn off this notice.");
    expect(run.events[1]).toMatchObject({ kind: 'journal.marker', line: 8, fields: { marker: 'no-entries', unit: 'kubelet.service' } });
  });

  it('kube-proxy IPVS: a wrapped line rejoins its entry as one message', () => {
    const run = runParser(journal, realSample('kube-proxy/ipvs-graceful-termination-journald.txt'), 'journalctl -u kube-proxy', { mtime: Date.UTC(2018, 10, 20) });
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(6);
    expect(run.events.every((e) => e.source === 'kube-proxy' && e.fields.host === 'hex-48b-pm' && e.fields.pid === 5389)).toBe(true);
    const wrapped = run.events[2];
    expect(wrapped).toMatchObject({ line: 3, endLine: 4, severity: 'error', fields: { caller: 'graceful_termination.go:89' } });
    expect(wrapped.message).toBe('Try delete rs "10.128.32.132:5432/TCP/10.125.2.13:6432" err: Failed to delete rs "10.128.32.132:5432/TCP/10.125.2.13:6432", can\'t find the real server');
    expect(wrapped.text?.split('\n')).toHaveLength(2);
    expect(run.events[4]).toMatchObject({ severity: 'error', message: 'Try flush graceful termination list err' });
    expect(iso(run.events[5].time)).toBe('2018-11-15T07:49:52.393Z');
  });

  it('kubelet PLEG samples: five entries, then a node fact per distinct host', () => {
    const a = runParser(journal, realSample('kubelet/pleg-not-healthy-journald.txt'), 'journalctl -u kubelet');
    expect(a.events).toHaveLength(5);
    expect(a.events.map((e) => e.fields.caller)).toEqual(Array(5).fill('kubelet.go:1778'));
    expect(a.events[4].message).toBe('skipping pod synchronization - [PLEG is not healthy: pleg was last seen active 3m25.306459083s ago; threshold is 3m0s]');
    expect(a.facts).toEqual([{ name: 'node', value: 'vk-prod4-node-v18-w3fz', line: 1 }]);

    const b = runParser(journal, realSample('kubelet/pleg-node-not-ready-journald.txt'), 'journalctl -u kubelet');
    expect(b.events).toHaveLength(3);
    expect(b.events[1].message).toContain('SyncLoop (PLEG): "untrusted3_default(70a6b852-4440-11ea-9a3e-0624b25d9900)", event: &pleg.PodLifecycleEvent{ID:');
    expect(b.events[2]).toMatchObject({ node: 'ip-10-240-0-20', message: 'Recording NodeNotReady event message for node ip-10-240-0-20' });
  });

  it('fluent-bit relayed without a host: ident td-agent-bit, level from the bracket', () => {
    const run = runParser(journal, realSample('fluent-bit/chunk-validation-failed-journald-no-valid.txt'), 'x');
    expect(run.events).toHaveLength(3);
    expect(run.events[0]).toMatchObject({ source: 'fluent-bit', severity: 'error', fields: { ident: 'td-agent-bit', pid: 7496 } });
    expect(run.events[0].fields.host).toBeUndefined();
    expect(run.events[1].severity).toBe('info');
    // The lines without a journal prefix that follow are records of their own, kept on new lines.
    expect(run.events[2]).toMatchObject({ line: 3, endLine: 6 });
    expect(run.events[2].message?.split('\n')[1]).toBe('[2021/08/05 09:50:03] [error] [input:storage_backlog:storage_backlog.5] chunk validation failed, data might be corrupted. No valid records found, the chunk will be discarded.');
    expect(run.facts).toEqual([]);
  });
});

describe('year inference', () => {
  const newYear = [
    'Dec 31 23:59:58 node-a kubelet[1]: last of the year',
    'Jan 01 00:00:02 node-a kubelet[1]: first of the next',
  ].join('\n');

  it('rolls over into the next year with the mtime in January', () => {
    const run = runParser(journal, newYear, 'x', { mtime: Date.UTC(2024, 0, 2) });
    expect(run.events.map((e) => iso(e.time))).toEqual(['2023-12-31T23:59:58.000Z', '2024-01-01T00:00:02.000Z']);
  });

  it('keeps time moving forward when there is no reference at all', () => {
    const run = runParser(journal, newYear, 'x', { mtime: undefined });
    expect(run.events.map((e) => iso(e.time))).toEqual(['2000-12-31T23:59:58.000Z', '2001-01-01T00:00:02.000Z']);
  });

  it('follows a log over several months and does not jump on a line slightly out of order', () => {
    const text = [
      'Nov 20 10:00:00 n kubelet[1]: a',
      'Dec 31 23:59:59 n kubelet[1]: b',
      'Jan 01 00:00:01 n kubelet[1]: c',
      'Dec 31 23:59:59 n kubelet[1]: d (late)',
      'Jan 01 00:00:03 n kubelet[1]: e',
      'Feb 10 08:00:00 n kubelet[1]: f',
    ].join('\n');
    const run = runParser(journal, text, 'x', { mtime: Date.UTC(2024, 2, 1) });
    expect(run.events.map((e) => new Date(e.time!).getUTCFullYear())).toEqual([2023, 2023, 2024, 2023, 2024, 2024]);
  });

  it('uses a begin-only header (`journalctl -f`) as a lower bound', () => {
    const text = '-- Logs begin at Fri 2020-08-07 12:14:59 CEST. --\nJun 02 16:57:57 m systemd[1]: Started kubelet.\n';
    const run = runParser(journal, text, 'x', { mtime: Date.UTC(2024, 5, 1) });
    expect(iso(logs(run)[0].time)).toBe('2021-06-02T16:57:57.000Z');
    expect(markers(run)[0].fields.end).toBeUndefined();
  });

  it('starts afresh after a prompt: a second output is dated from the mtime again', () => {
    const text = [
      '-- Logs begin at Mon 2019-03-04 00:00:00 UTC, end at Tue 2019-03-05 00:00:00 UTC. --',
      'Mar 04 10:00:00 n kubelet[1]: from 2019',
      'admin@n:~$ journalctl -u kubelet',
      'Mar 04 10:00:00 n kubelet[1]: from the mtime year',
    ].join('\n');
    const run = runParser(journal, text, 'x', { mtime: Date.UTC(2024, 5, 1) });
    expect(logs(run).map((e) => new Date(e.time!).getUTCFullYear())).toEqual([2019, 2024]);
  });
  // `journalctl -u containerd | kubesleuth scan -`: no header, no mtime.
  const containerd = [
    'Mar 11 09:59:59 node-1 systemd[1]: Starting containerd container runtime...',
    'Mar 11 10:00:00 node-1 containerd[812]: time="2024-03-11T10:00:00.123456789Z" level=info msg="starting containerd" revision=1e1ea6e986c6c86565bc33d52e34b81b3e2bc71f version=1.6.20',
    'Mar 11 10:00:00 node-1 containerd[812]: time="2024-03-11T10:00:00.131027118Z" level=info msg="loading plugin \\"io.containerd.snapshotter.v1.overlayfs\\"..." type=io.containerd.snapshotter.v1',
  ].join('\n');

  it('without a header or mtime, takes the year from the first containerd time= field, for the lines before it too', () => {
    const run = runParser(journal, containerd, 'journalctl -u containerd', { mtime: undefined });
    expect(run.events.map((e) => iso(e.time))).toEqual(['2024-03-11T09:59:59.000Z', '2024-03-11T10:00:00.000Z', '2024-03-11T10:00:00.000Z']);
  });

  it('reads a zeroed archive mtime as no mtime', () => {
    const run = runParser(journal, containerd, 'journalctl -u containerd', { mtime: 0 });
    expect(new Date(run.events[0].time!).getUTCFullYear()).toBe(2024);
  });

  it('prefers a usable mtime over the dates in messages', () => {
    const run = runParser(journal, containerd, 'journalctl -u containerd', { mtime: Date.UTC(2025, 2, 20) });
    expect(new Date(run.events[0].time!).getUTCFullYear()).toBe(2025);
  });

  it('takes a Go log date or a JSON ts at the start of a message, and keeps the year across New Year', () => {
    const text = [
      'Dec 31 23:59:58 node-1 kube-vip[2201]: 2023/12/31 23:59:58 [INFO] Broadcasting ARP update for 10.200.0.49 (ac:1f:6b:23:0f:11) via ens192',
      'Jan 01 00:00:01 node-1 kube-vip[2201]: 2024/01/01 00:00:01 [INFO] Broadcasting ARP update for 10.200.0.49 (ac:1f:6b:23:0f:11) via ens192',
    ].join('\n');
    expect(runParser(journal, text, 'x', { mtime: undefined }).events.map((e) => iso(e.time))).toEqual(['2023-12-31T23:59:58.000Z', '2024-01-01T00:00:01.000Z']);
    const etcd = 'Jun 02 08:14:07 cp-1 etcd[1312]: {"level":"warn","ts":"2022-06-02T08:14:07.512Z","caller":"etcdserver/util.go:166","msg":"apply request took too long","took":"212.4ms"}';
    expect(iso(runParser(journal, etcd, 'x', { mtime: undefined }).events[0].time)).toBe('2022-06-02T08:14:07.000Z');
  });

  it('ignores dates a message talks about, and a logger date that disagrees with the line', () => {
    const text = [
      // The certificate expires a year after it was issued, to the minute: a date, not the time.
      'Mar 11 10:00:00 node-1 kubelet[1450]: I0311 10:00:00.231190    1450 certificate_manager.go:270] kubernetes.io/kube-apiserver-client-kubelet: Certificate expiration is 2025-03-11 09:55:00 +0000 UTC, rotation deadline is 2024-12-05 14:51:39.04 +0000 UTC',
      // A record replayed from a container's own log.
      'Mar 11 10:00:03 node-1 fluent-bit[7496]: [2023/11/02 08:00:00] [ warn] [engine] failed to flush chunk \'1-1698912000.123.flb\', retry in 7 seconds',
      'Mar 11 10:00:05 node-1 containerd[812]: time="2024-03-11T10:00:05.000000000Z" level=info msg="StartContainer for \\"a1b2c3\\" returns successfully"',
    ].join('\n');
    const run = runParser(journal, text, 'x', { mtime: undefined });
    expect(run.events.map((e) => new Date(e.time!).getUTCFullYear())).toEqual([2024, 2024, 2024]);
  });

  it('stays on the default year when no message carries a date', () => {
    const run = runParser(journal, 'Mar 11 10:00:00 node-1 kubelet[1450]: I0311 10:00:00.231190    1450 kubelet.go:2145] "SyncLoop ADD" source="api" pods=[kube-system/kube-proxy-vppxm]\n', 'x', { mtime: undefined });
    expect(iso(run.events[0].time)).toBe('2000-03-11T10:00:00.231Z');
  });
});

describe('journal severities, sources and facts', () => {
  it('infers severity from logrus levels and normalises identifiers to components', () => {
    const text = [
      'Jul 20 01:00:57 node1 dockerd-current[1123]: time="2021-07-20T01:00:57.636Z" level=error msg="Handler for POST /v1.40/containers/a3a8/start returned error: error setting label on mount source \'/var/lib/kubelet/pods/f7ce/volumes/kubernetes.io~secret/secret\': failed to set file label on /var/lib/kubelet/pods/f7ce/volumes/kubernetes.io~secret/secret: permission denied"',
      'Jul 20 01:00:58 node1 /usr/bin/containerd[900]: time="2021-07-20T01:00:58Z" level=warning msg="cleaning up after shim disconnected"',
      'Jul 20 01:00:59 node1 etcd[77]: {"level":"warn","ts":"2021-07-20T01:00:59.000Z","msg":"apply request took too long"}',
      'Jul 20 01:01:00 node1 firewalld[600]: WARNING: COMMAND_FAILED',
      'Jul 20 01:01:01 node2 crio[500]: level=fatal msg="validating root config"',
    ].join('\n');
    const run = runParser(journal, text);
    expect(run.events.map((e) => [e.source, e.severity])).toEqual([
      ['dockerd', 'error'], ['containerd', 'warning'], ['etcd', 'warning'], ['firewalld', undefined], ['crio', 'fatal'],
    ]);
    expect(run.events[0].message).toContain("error setting label on mount source '/var/lib/kubelet/pods/f7ce/volumes/kubernetes.io~secret/secret'");
    expect(run.facts.filter((f) => f.name === 'node').map((f) => [f.value, f.line])).toEqual([['node1', 1], ['node2', 5]]);
  });

  it('maps identifiers as the issue texts spell them', () => {
    expect(['docker', 'dockerd', 'kube-proxy', 'td-agent-bit', 'Kernel', 'systemd', 'containerd-shim', 'cilium-agent'].map(sourceFromIdent))
      .toEqual(['dockerd', 'dockerd', 'kube-proxy', 'fluent-bit', 'kernel', 'systemd', 'containerd', 'cilium']);
  });

  it('reads the unit of a journalctl command only when it names exactly one', () => {
    expect(unitFromCommand('journalctl --utc -u kubelet')).toBe('kubelet.service');
    expect(unitFromCommand('journalctl --unit=docker.socket')).toBe('docker.socket');
    expect(unitFromCommand('journalctl -u kubelet -u containerd')).toBeUndefined();
    expect(unitFromCommand('journalctl -k')).toBeUndefined();
    expect(unitFromCommand('cat -u kubelet')).toBeUndefined();
  });

  it('structured klog keys do not overwrite the journal fields', () => {
    const run = runParser(journal, 'Feb 22 15:13:31 node-7 kubelet[197901]: I0222 15:13:31.645988  197901 kubelet.go:2500] "SyncLoop ADD" source="api" pods=[kube-system/kube-proxy-x] host="other" pid=5\n');
    expect(run.events[0]).toMatchObject({
      message: 'SyncLoop ADD',
      fields: { host: 'node-7', pid: 197901, source: 'api', pods: '[kube-system/kube-proxy-x]', caller: 'kubelet.go:2500' },
    });
  });
});

describe('journal parser on broken input', () => {
  it('warns with line numbers on binary garbage, a cut last line and an absurdly long line', () => {
    const long = `Aug 30 16:59:59 minikube kubelet[3749]: ${'x'.repeat(200_000)}`;
    const text = [
      'Aug 30 16:59:57 minikube kubelet[3749]: I0830 16:59:57.230539    3749 server.go:417] Version: v1.18.3',
      '\u0000\u0001\u0002\ufffd\ufffdPK\u0003\u0004\u0000',
      'Aug 30 16:59:58 minikube kubelet[3749]: still reading',
      long,
      'Aug 30 17:00:00 minikube kube',
    ].join('\n');
    const run = runParser(journal, text);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([
      ['journal.binary', 2], ['journal.long-line', 4], ['journal.bad-line', 5],
    ]);
    expect(run.events.map((e) => e.line)).toEqual([1, 3, 4]);
    expect(run.events[0].endLine).toBeUndefined(); // the garbage did not join the entry
    expect(run.events[2].fields.cut).toBe(true);
    expect(run.events[2].message).toHaveLength(MAX_LINE - 'Aug 30 16:59:59 minikube kubelet[3749]: '.length);
  });

  it('parses a long json line whole and cuts only its MESSAGE', () => {
    const msg = 'E0830 16:59:57.230539    3749 kubelet.go:1] ' + 'y'.repeat(100_000);
    const line = JSON.stringify({ __REALTIME_TIMESTAMP: '1598806797230539', _HOSTNAME: 'n', SYSLOG_IDENTIFIER: 'kubelet', MESSAGE: msg });
    const run = runParser(journal, `${line}\n`);
    expect(run.warnings).toEqual([{ code: 'journal.long-line', line: 1, message: expect.stringContaining('MESSAGE of 100044 characters') }]);
    expect(run.events).toHaveLength(1);
    expect(run.events[0]).toMatchObject({ source: 'kubelet', severity: 'error', fields: { cut: true, caller: 'kubelet.go:1' } });
    expect(run.events[0].text).toHaveLength(MAX_LINE);
  });

  it('warns on an orphan first line and on damaged or foreign JSON', () => {
    const text = [
      'some text before any entry',
      '{"__REALTIME_TIMESTAMP":"1598806797230539","_HOSTNAME":"minikube","MESS',
      '{"ts":1631610094233.7605,"caller":"app/server.go:276","msg":"Failed to construct kubelet dependencies"}',
      'Aug 30 16:59:58 minikube kubelet[3749]: ok',
    ].join('\n');
    const run = runParser(journal, text);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([
      ['journal.orphan-line', 1], ['journal.bad-json', 2], ['journal.bad-json', 3],
    ]);
    expect(run.events).toHaveLength(1);
  });

  it('bounds a runaway continuation', () => {
    const lines = ['Aug 30 16:59:58 minikube kubelet[3749]: start'];
    for (let i = 0; i < 1000; i++) lines.push(`  more ${i}`);
    const run = runParser(journal, lines.join('\n'));
    expect(run.events).toHaveLength(1);
    expect(run.events[0].endLine).toBe(1001);
    expect(run.events[0].message?.split('\n')).toHaveLength(201);
  });
});

describe('journal detect', () => {
  const minikube = realSample('journalctl/kubelet-short-logs-begin-minikube.txt');

  it('scores name and content together 1, content alone 0.8', () => {
    expect(journal.detect(probeFor('nodes/10.0.0.1/journalctl --utc -u kubelet', minikube))).toBe(1);
    expect(journal.detect(probeFor('nodes/10.0.0.1/journalctl_-u_containerd', minikube))).toBe(1);
    expect(journal.detect(probeFor('var/log/syslog', minikube))).toBe(1);
    expect(journal.detect(probeFor('var/log/messages-20240101', minikube))).toBe(1);
    expect(journal.detect(probeFor('logs/kubelet.log', minikube))).toBe(1);
    expect(journal.detect(probeFor('issue/kubelet-short-logs-begin-minikube.txt', minikube))).toBe(0.8);
    expect(journal.detect(probeFor('x', realSample('kube-proxy/ipvs-graceful-termination-journald.txt')))).toBe(0.8);
    expect(journal.detect(probeFor('x', realSample('journalctl/no-entries-with-hint.txt')))).toBe(0.8);
    expect(journal.detect(probeFor('journalctl -u kubelet', '-- No entries --\n'))).toBe(1);
  });

  it('claims json and every short variant by content', () => {
    for (const head of [
      '{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1598806797230539","MESSAGE":"x"}\n',
      '\x1e{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1598806797230539","MESSAGE":"x"}\n',
      '2020-08-30T16:59:57+0000 minikube kubelet[3749]: x\n',
      '1598806796.123456 minikube kubelet[3749]: x\n',
      '[   12.345678] minikube kernel: x\n',
      'Sun 2020-08-30 16:59:57 UTC minikube kubelet[3749]: x\n',
    ]) expect(journal.detect(probeFor('x', head))).toBe(0.8);
  });

  it('wins journalctl -k / --dmesg files', () => {
    const head = 'Jan 31 15:43:35 ip-10-240-0-20 kernel: [1454500.910215] nf_conntrack: table full, dropping packet\n';
    expect(journal.detect(probeFor('nodes/n/journalctl -k', head))).toBe(1);
    expect(journal.detect(probeFor('nodes/n/journalctl --utc --boot --dmesg', head))).toBe(1);
  });

  it('leaves plain klog to the klog parser and raw dmesg to the kernel parser', () => {
    for (const f of ['kubelet/cni-no-ip-addresses-in-range.txt', 'kube-proxy/ipvs-graceful-termination.txt', 'klog/klog-json-kubelet-flags.txt']) {
      const probe = probeFor('logs/kubelet.log', realSample(f));
      expect(journal.detect(probe), f).toBe(0);
      expect(klog.detect(probe), f).toBeGreaterThan(0.5);
    }
    // `journalctl -o cat` prints bare klog: the name alone is not enough to beat klog.
    const cat = probeFor('nodes/n/journalctl -u kubelet -o cat', realSample('kubelet/cni-no-ip-addresses-in-range.txt'));
    expect(journal.detect(cat)).toBe(0.5);
    expect(klog.detect(cat)).toBeGreaterThan(0.5);
    for (const f of ['kernel/nf-conntrack-table-full-dmesg.txt', 'kernel/nfs-not-responding-dmesg.txt', 'kubelet/selinux-error-setting-label-dockerd.txt', 'ipvsadm/ipvsadm-Ln-kube-proxy.txt']) {
      expect(journal.detect(probeFor('dmesg', realSample(f))), f).toBe(0);
    }
    const usb = '[    5.123456] usb 1-1: new high-speed USB device number 2 using xhci_hcd\n[    5.234567] usb 1-1: New USB device found, idVendor=0627\n[    6.000001] EXT4-fs (sda1): mounted filesystem\n';
    expect(journal.detect(probeFor('dmesg', usb))).toBe(0);
  });
});
