import { describe, expect, it } from 'vitest';
import containerLog, { kubeletLogPath, parseLogfmt } from './container-log.js';
import klog from '../klog/klog.js';
import { probeFor, realSample, runParser } from '../testing.js';

const ANETD = 'var/log/pods/kube-system_anetd-5x2lq_1e7c2a7f-1f5e-4a9c-8f1d-2f2b0d3c4e5f/cilium-agent/0.log';

describe('container-log: cilium / anetd logfmt (real sample)', () => {
  const text = realSample('cilium/cilium-agent-logfmt-and-nodeport-kernel-error.txt');
  const run = runParser(containerLog, text, 'logs/kube-system/anetd-5x2lq/cilium-agent.log');

  it('reads every logfmt line with level, subsys and the quoted message', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(14);
    expect(run.events[0]).toMatchObject({
      source: 'cilium', kind: 'log', severity: 'info', message: "  --prepend-iptables-chains='true'",
      fields: { format: 'logfmt', level: 'info', subsys: 'daemon' },
    });
    expect(run.events[12]).toMatchObject({ severity: 'warning', message: expect.stringContaining("incompatible pointer types passing 'uint8_t (*)[6]'") });
  });

  it('keeps the kernel-4.17 NodePort error fragment whole, with its error field', () => {
    const last = run.events[13];
    expect(last.message).toBe('kernel (5.18.14) versions: OK! but error="BPF NodePort services needs kernel 4.17.0 or newer." subsys=daemon');
    expect(last.fields).toMatchObject({ error: 'BPF NodePort services needs kernel 4.17.0 or newer.', subsys: 'daemon', format: 'logfmt' });
    expect(last.severity).toBe('error');
  });

  it('wins detection over klog for logfmt content', () => {
    const probe = probeFor('logs/kube-system/anetd-5x2lq/cilium-agent.log', text);
    expect(containerLog.detect(probe)).toBe(0.85);
    expect(containerLog.detect(probe)).toBeGreaterThan(klog.detect(probe));
  });
});

describe('container-log: fluent-bit (real samples)', () => {
  it('reads chunk validation errors with the plugin and the time', () => {
    const run = runParser(containerLog, realSample('fluent-bit/chunk-validation-failed.txt'), 'logs/kube-system/stackdriver-log-forwarder-x2k4j/stackdriver-log-forwarder.log');
    expect(run.events).toHaveLength(8);
    expect(run.events[0]).toMatchObject({
      source: 'stackdriver-log-forwarder', severity: 'error', time: Date.UTC(2021, 4, 25, 8, 1, 10),
      message: 'chunk validation failed, data might be corrupted. Found 43 valid records, failed content starts right after byte 63111.',
      fields: { format: 'fluent-bit', level: 'error', plugin: 'input:storage_backlog:storage_backlog.7' },
    });
    expect(run.events[1].message).toBe('removing chunk tail.0:1-1621929153.819449724.flb from the queue');
  });

  it('reads the syslog-wrapped and bare variants, including the padded [ info] level', () => {
    const text = realSample('fluent-bit/chunk-validation-failed-journald-no-valid.txt');
    const run = runParser(containerLog, text, 'fluent-bit.log');
    expect(run.events).toHaveLength(6);
    expect(run.events.map((e) => e.severity)).toEqual(['error', 'info', 'error', 'error', 'error', 'info']);
    expect(run.events[2]).toMatchObject({
      source: 'fluent-bit', message: expect.stringMatching(/^chunk validation failed, data might be corrupted\. Found 105 valid records/),
      fields: { ident: 'td-agent-bit', pid: 7496, plugin: 'input:storage_backlog:storage_backlog.2' }, time: Date.UTC(2021, 2, 16, 12, 19, 53),
    });
    expect(run.events[3].message).toBe('chunk validation failed, data might be corrupted. No valid records found, the chunk will be discarded.');
    expect(run.events[5].fields.level).toBe('info');
    expect(containerLog.detect(probeFor('fluent-bit.log', text))).toBe(0.85);
  });
});

describe('container-log: dockerd logrus line (real sample)', () => {
  it('reads the indented logfmt line as an error entry carrying the SELinux label failure', () => {
    const text = realSample('kubelet/selinux-error-setting-label-dockerd.txt').split('\n').filter((l) => !l.startsWith('type=AVC')).join('\n');
    const run = runParser(containerLog, text, 'dockerd.log');
    expect(run.events).toHaveLength(1);
    expect(run.events[0]).toMatchObject({ source: 'dockerd', severity: 'error', fields: { format: 'logfmt', level: 'error' } });
    expect(run.events[0].message).toMatch(/error setting label on mount source '\/var\/lib\/kubelet\/pods\/.*\/volumes\/kubernetes.io~secret\/secret': failed to set file label/);
  });
});

describe('container-log: CRI frames and mixed bodies', () => {
  const lines = [
    '2024-03-05T10:00:00.123456789Z stderr F level=info msg="Cilium 1.8.0-anthos1.8 4a3b2c1 go version go1.15.8 linux/amd64" subsys=daemon',
    '2024-03-05T10:00:01.000000000Z stderr F E0305 10:00:01.000000       1 controller.go:114] controllers/Cluster "msg"="error during manifests operations" "error"="1 error occurred:',
    '2024-03-05T10:00:01.000000000Z stderr F \t* Secret \\"x\\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"',
    '2024-03-05T10:00:02.000000000Z stdout P {"level":"error","ts":1709632802.5,"logger":"setup",',
    '2024-03-05T10:00:02.000000000Z stdout F "msg":"unable to start manager","error":"dial tcp 10.96.0.1:443: i/o timeout"}',
    '2024-03-05T10:00:03.000000000Z stdout F level=fatal msg="Error while initializing daemon" error="BPF NodePort services needs kernel 4.17.0 or newer." subsys=daemon',
    '2024-03-05T10:00:04.000000000Z stdout F 2024-03-05T10:00:04.000Z\tERROR\tcontroller.cluster\tReconciler error\t{"name": "edge-1", "error": "context deadline exceeded"}',
    '2024-03-05T10:00:05.000000000Z stdout F panic: runtime error: invalid memory address or nil pointer dereference',
    '2024-03-05T10:00:05.000000000Z stdout F \tgoroutine 1 [running]:',
    '2024-03-05T10:00:06.000000000Z stderr F plain text with no structure',
  ];
  const run = runParser(containerLog, lines.join('\n'), ANETD);

  it('unwraps the CRI prefix, joins P partials, and takes the time and stream from the frame', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => e.fields.format)).toEqual(['logfmt', 'klog', 'json', 'logfmt', 'zap', 'text', 'text']);
    expect(run.events[0]).toMatchObject({ source: 'cilium', time: Date.parse('2024-03-05T10:00:00.123Z'), fields: { stream: 'stderr', namespace: 'kube-system', pod: 'anetd-5x2lq', container: 'cilium-agent' } });
    expect(run.events[1]).toMatchObject({ time: Date.parse('2024-03-05T10:00:01Z'), severity: 'error', fields: { caller: 'controller.go:114', thread: 1 } });
    expect(run.events[2]).toMatchObject({
      line: 4, endLine: 5, severity: 'error', message: 'unable to start manager: dial tcp 10.96.0.1:443: i/o timeout',
      fields: { stream: 'stdout', logger: 'setup', error: 'dial tcp 10.96.0.1:443: i/o timeout' },
    });
  });

  it('reads klogr bodies and joins their continuation lines', () => {
    const e = run.events[1];
    expect(e.fields.logger).toBe('controllers/Cluster');
    expect(e.message).toMatch(/^error during manifests operations: 1 error occurred:\n.*metadata\.resourceVersion: Invalid value: 0x0/s);
    expect(e.endLine).toBe(3);
  });

  it('appends the error to the message of logfmt and zap entries, and marks panics fatal', () => {
    expect(run.events[3]).toMatchObject({ severity: 'fatal', message: 'Error while initializing daemon: BPF NodePort services needs kernel 4.17.0 or newer.' });
    expect(run.events[4]).toMatchObject({ severity: 'error', message: 'Reconciler error: context deadline exceeded', fields: { logger: 'controller.cluster', name: 'edge-1' } });
    expect(run.events[5]).toMatchObject({ severity: 'fatal', endLine: 9 });
    expect(run.events[6].severity).toBeUndefined();
  });

  it('records the Cilium version the agent logs at start-up', () => {
    expect(run.facts).toEqual([{ name: 'cilium', value: '1.8.0-anthos1.8', line: 1, node: undefined }]);
  });

  it('detects CRI-framed logs above klog, even without a known component', () => {
    expect(containerLog.detect(probeFor('some/unknown.log', lines.join('\n')))).toBe(0.95);
  });
});

describe('container-log: Docker json-file frames', () => {
  it('joins a partial record and strips the trailing newline', () => {
    const text = [
      '{"log":"I0615 10:00:00.000000       1 proxier.go:100] part one, ","stream":"stderr","time":"2021-06-15T10:00:00.000000001Z"}',
      '{"log":"part two\\n","stream":"stderr","time":"2021-06-15T10:00:00.000000002Z"}',
      '{"log":"E0615 10:00:01.000000       1 server.go:1] boom\\n","stream":"stderr","time":"2021-06-15T10:00:01Z"}',
    ].join('\n');
    const run = runParser(containerLog, text, 'var/log/containers/kube-proxy-87b8t_kube-system_kube-proxy-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.log');
    expect(run.events.map((e) => e.message)).toEqual(['part one, part two', 'boom']);
    expect(run.events[0]).toMatchObject({ source: 'kube-proxy', time: Date.UTC(2021, 5, 15, 10), fields: { stream: 'stderr', pod: 'kube-proxy-87b8t', namespace: 'kube-system', container: 'kube-proxy' } });
  });
});

describe('container-log: broken input', () => {
  it('never throws on binary bytes, huge lines or a dangling partial line', () => {
    const text = [
      '\u0000\u0001\u00ff\ufffd binary junk',
      'x'.repeat(200_000),
      '2024-03-05T10:00:00Z stdout P dangling partial at end of file',
    ].join('\n');
    const run = runParser(containerLog, text, ANETD);
    expect(run.events).toHaveLength(3);
    expect(run.events[1].message?.length).toBe(200_000);
    expect(run.events[2]).toMatchObject({ line: 3, message: 'dangling partial at end of file', fields: { stream: 'stdout' } });
  });

  it('detects nothing in files that are not container logs', () => {
    expect(containerLog.detect(probeFor('ps aux', 'USER PID %CPU\nroot 1 0.0\n'))).toBe(0);
    expect(containerLog.detect(probeFor('audit.log', realSample('kubelet/selinux-error-setting-label-dockerd.txt')))).toBe(0);
    expect(containerLog.detect(probeFor('kube-proxy.log', realSample('kube-proxy/ipvs-graceful-termination.txt')))).toBe(0.6);
  });
});

describe('logfmt and paths', () => {
  it('reads quoted values with escapes and rejects prose', () => {
    expect(parseLogfmt('time="2021-07-19T22:00:57Z" level=error msg="a \\"quoted\\" word" k=v')?.pairs).toEqual({ time: '2021-07-19T22:00:57Z', level: 'error', msg: 'a "quoted" word', k: 'v' });
    expect(parseLogfmt('just some words = not pairs')).toBeUndefined();
    expect(parseLogfmt('x=1')).toBeUndefined();
  });
  it('reads pod, namespace and container from kubelet paths', () => {
    expect(kubeletLogPath(ANETD)).toEqual({ namespace: 'kube-system', pod: 'anetd-5x2lq', container: 'cilium-agent' });
    expect(kubeletLogPath('logs/x.log')).toEqual({});
  });
});
