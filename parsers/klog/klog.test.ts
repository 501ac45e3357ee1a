import { describe, expect, it } from 'vitest';
import klog, { parseKlogHeader, parseStructured } from './klog.js';
import { probeFor, realSample, runParser } from '../testing.js';

describe('klog header', () => {
  it('reads severity, date, thread, caller and body', () => {
    const h = parseKlogHeader('I0517 23:42:46.043950       1 graceful_termination.go:160] Trying to delete rs: 10.233.0.1:443/TCP/172.17.8.102:6443');
    expect(h).toMatchObject({ severity: 'info', month: 4, day: 17, hour: 23, thread: 1, caller: 'graceful_termination.go', callerLine: 160 });
    expect(h?.body).toBe('Trying to delete rs: 10.233.0.1:443/TCP/172.17.8.102:6443');
  });
  it('accepts wide thread ids and rejects journal lines', () => {
    expect(parseKlogHeader('I0222 15:13:31.645988  197901 example.go:54] "runtime"')?.thread).toBe(197901);
    expect(parseKlogHeader('Mar 13 16:02:43 host kubelet[1450]: I0313 16:02:43.934473')).toBeUndefined();
  });
});

describe('structured klog', () => {
  it('splits the quoted message from key="value" pairs, keeping escapes and bare values', () => {
    const s = parseStructured('"Example" data="This is text with a line break\\nand \\"quotation marks\\"." someInt=1 someFloat=0.1 someStruct={StringField: First line,');
    expect(s?.message).toBe('Example');
    expect(s?.fields.data).toBe('This is text with a line break\nand "quotation marks".');
    expect(s?.fields.someInt).toBe('1');
    expect(s?.fields.someStruct).toBe('{StringField: First line,');
  });
  it('keeps the first of repeated keys', () => {
    const s = parseStructured('"another runtime" logger="example" foo="bar" duration="1h0m0s" duration="1m0s"');
    expect(s?.fields.duration).toBe('1h0m0s');
  });
  it('returns undefined for plain messages', () => {
    expect(parseStructured('Trying to delete rs: x')).toBeUndefined();
  });
});

describe('klog parser on real samples', () => {
  it('joins continuation lines (TAB-indented and plain) to the entry before them', () => {
    const run = runParser(klog, realSample('klog/klog-text-structured-mixed-kubelet.txt'), 'kubelet.log');
    expect(run.events).toHaveLength(5);
    expect(run.events[0].message).toContain('\n\tFor verbose messaging see');
    expect(run.events[0].endLine).toBe(2);
    expect(run.events[3].fields.err).toBe('[container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]');
    expect(run.events.every((e) => e.source === 'kubelet')).toBe(true);
  });
  it('reads the docs examples, including a multi-line structured value', () => {
    const run = runParser(klog, realSample('klog/klog-k8s-docs-examples.txt'), 'x.log');
    expect(run.events.map((e) => e.line)).toEqual([1, 2, 4, 5, 7, 8]);
    expect(run.events[1].message).toBe('This is a message\nwhich has a line break.');
    expect(run.events[2].fields.pod).toBe('kube-system/kubedns');
    expect(run.warnings).toEqual([]);
  });
  it('reads JSON lines with millisecond timestamps', () => {
    const run = runParser(klog, realSample('klog/klog-json-kubelet-flags.txt'), 'kubelet.log');
    expect(run.events).toHaveLength(7);
    expect(run.events[6]).toMatchObject({ severity: 'error', message: 'Failed to construct kubelet dependencies', time: 1631610094234 });
    expect(run.events[6].fields.caller).toBe('app/server.go:276');
  });
  it('records the version a component logs at start-up as a fact', () => {
    const run = runParser(klog, realSample('kube-proxy/conntrack-permission-denied.txt'), 'logs/kube-system/kube-proxy-x/kube-proxy.log');
    expect(run.facts).toContainEqual({ name: 'kube-proxy', value: 'v1.20.2', line: 5, node: undefined });
    expect(run.events.find((e) => e.severity === 'fatal')?.message).toBe('open /proc/sys/net/netfilter/nf_conntrack_max: permission denied');
  });
  it('accepts excerpts that kept only `file.go:NN]`', () => {
    const run = runParser(klog, realSample('kube-proxy/conntrack-structured-1.36.txt'), 'kube-proxy.log');
    expect(run.events[1]).toMatchObject({ message: 'Set sysctl', fields: { entry: 'net/netfilter/nf_conntrack_max', value: '1048576' } });
  });
  it('infers the year from the file time, stepping back over new year', () => {
    const dec = runParser(klog, 'I1231 23:59:59.000000       1 a.go:1] x\n', 'x.log', { mtime: Date.UTC(2024, 0, 2) });
    expect(new Date(dec.events[0].time!).getUTCFullYear()).toBe(2023);
  });
  it('detects klog files by content and declines other text', () => {
    expect(klog.detect(probeFor('kube-proxy.log', realSample('kube-proxy/ipvs-graceful-termination.txt')))).toBeGreaterThan(0.5);
    expect(klog.detect(probeFor('x', realSample('ipvsadm/ipvsadm-Ln-kube-proxy.txt')))).toBe(0);
  });
  it('keeps an orphan line as a warning with its location, not a crash', () => {
    const run = runParser(klog, 'garbage first\nI0101 00:00:00.000000 1 a.go:1] ok\n', 'x.log');
    expect(run.warnings).toEqual([{ code: 'klog.orphan-line', line: 1, message: expect.stringContaining('no entry') }]);
    expect(run.events).toHaveLength(1);
  });
});

describe('klog source', () => {
  const line = 'I0305 05:18:28.301500       1 server.go:160] Starting\n';
  it('is the container named by a pod log file when the component is not a known one', () => {
    const run = runParser(klog, line, 'snap/logs/gke-system/istio-ingress-kpwt76nphh-rz5kc/istio-proxy.log');
    expect(run.events.map((e) => e.source)).toEqual(['istio-proxy']);
  });
  it('is the known component when the path names one', () => {
    const run = runParser(klog, line, 'snap/logs/kube-system/kube-proxy-87b8t/kube-proxy.log');
    expect(run.events.map((e) => e.source)).toEqual(['kube-proxy']);
  });
  it('stays unknown for a file outside any pod folder', () => {
    const run = runParser(klog, line, 'mystery.log');
    expect(run.events.map((e) => e.source)).toEqual(['unknown']);
  });
});

describe('klog header read by position', () => {
  // The header's definition, as a regex: the positional reader must agree with it everywhere.
  const REFERENCE = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) +(\d+) ([^:\]\s]+):(\d+)\] ?(.*)$/s;
  const reference = (text: string) => {
    const m = REFERENCE.exec(text);
    return m ? [m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7], +m[8], m[9], +m[10], m[11]] : undefined;
  };
  const positional = (text: string) => {
    const h = parseKlogHeader(text);
    return h ? [h.severity[0].toUpperCase(), h.month, h.day, h.hour, h.minute, h.second, h.micros, h.thread, h.caller, h.callerLine, h.body] : undefined;
  };
  it('agrees with the header regex on real lines and on every single-character damage of them', () => {
    const lines = [
      'I0305 05:18:28.301500       1 graceful_termination.go:160] Trying to delete rs: 10.96.7.227:80/TCP/192.168.1.17:8080',
      'E0711 15:11:17.994634   24727 remote_runtime.go:92] RunPodSandbox from runtime service failed',
      'W1207 00:00:00.000001 7 x.go:1]',
      'F0101 23:59:59.999999 12 main.go:42]no space before body',
      'I0611 08:00:00.123456    1201 kubelet.go:1852] "Skipping pod synchronization" err="[PLEG is not healthy]"\n\tcontinued',
    ];
    const damage = '0 :].xI\tA';
    let checked = 0;
    for (const line of lines) {
      expect(positional(line)).toEqual(reference(line));
      for (let i = 0; i < Math.min(line.length, 45); i++) {
        for (const c of damage) {
          const variant = line.slice(0, i) + c + line.slice(i + 1);
          expect(positional(variant), variant).toEqual(reference(variant));
          checked++;
        }
        const cut = line.slice(0, i);
        expect(positional(cut), cut).toEqual(reference(cut));
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
