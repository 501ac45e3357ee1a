import { describe, expect, it } from 'vitest';
import ipvsadm, { parseLargeNumber, splitAddress } from './ipvsadm.js';
import { probeFor, realSample, runParser } from '../testing.js';

const of = (run: ReturnType<typeof runParser>, kind: string) => run.events.filter((e) => e.kind === kind);

describe('ipvsadm helpers', () => {
  it('splits IPv4, IPv6 and resolved addresses', () => {
    expect(splitAddress('10.98.205.56:5473')).toEqual({ host: '10.98.205.56', port: 5473, portText: '5473', resolved: false, family: 'ipv4' });
    expect(splitAddress('[fd00::1]:443')).toMatchObject({ host: 'fd00::1', port: 443, resolved: false, family: 'ipv6' });
    expect(splitAddress('100.98.125.10:http')).toEqual({ host: '100.98.125.10', portText: 'http', resolved: true, family: 'ipv4' });
    // 28 characters: the name was cut, so the `9` may be the start of 9090.
    expect(splitAddress('ip-10-0-62-92.ec2.internal:9')).toEqual({ host: 'ip-10-0-62-92.ec2.internal', portText: '9', resolved: true, family: undefined });
    expect(splitAddress('web.local:8080')).toMatchObject({ port: 8080, resolved: true });
  });
  it('reads K/M/G/T counters as multiples of 1000', () => {
    expect(parseLargeNumber('0')).toBe(0);
    expect(parseLargeNumber('123456K')).toBe(123_456_000);
    expect(parseLargeNumber('1234M')).toBe(1_234_000_000);
    expect(parseLargeNumber('123G')).toBe(123_000_000_000);
    expect(parseLargeNumber('7T')).toBe(7e12);
    expect(parseLargeNumber('12k')).toBeUndefined();
    expect(parseLargeNumber('-')).toBeUndefined();
  });
});

describe('ipvsadm -Ln on real samples', () => {
  const run = runParser(ipvsadm, realSample('ipvsadm/ipvsadm-Ln-kube-proxy.txt'), 'nodes/10.0.0.1/ipvsadm -Ln');

  it('reads the banner, 7 services and 14 real servers without warnings despite trailing spaces', () => {
    expect(run.warnings).toEqual([]);
    expect(of(run, 'ipvs.header')).toEqual([expect.objectContaining({ line: 1, fields: { version: '1.2.1', size: 4096 } })]);
    expect(of(run, 'ipvs.service')).toHaveLength(7);
    expect(of(run, 'ipvs.realserver')).toHaveLength(14);
    expect(run.events.every((e) => e.source === 'ipvsadm')).toBe(true);
  });
  it('gives the persistent service its flags and its 2 real servers', () => {
    const vs = of(run, 'ipvs.service').find((e) => e.fields.persistent === 10800)!;
    expect(vs).toMatchObject({ line: 13, endLine: 15 });
    expect(vs.fields).toEqual({
      proto: 'TCP', address: '10.254.0.1:443', vip: '10.254.0.1', port: 443, family: 'ipv4', resolved: false,
      scheduler: 'rr', flags: 'persistent 10800', persistent: 10800,
      realServers: 2, activeRealServers: 2, activeConn: 0, inactConn: 0,
    });
  });
  it('closes the last block at the end of input (last RS line has no trailing spaces)', () => {
    const last = of(run, 'ipvs.service').at(-1)!;
    expect(last).toMatchObject({ line: 21, endLine: 24, fields: { address: '10.254.20.57:1', port: 1, realServers: 3 } });
    expect(last.fields.flags).toBeUndefined();
  });
  it('types every real-server column and links it to its service', () => {
    const rs = of(run, 'ipvs.realserver').find((e) => e.line === 6)!;
    expect(rs.fields).toEqual({
      service: '10.253.102.0:32429', address: '10.253.35.7:80', ip: '10.253.35.7', port: 80, resolved: false,
      forward: 'Masq', weight: 1, activeConn: 0, inactConn: 0,
    });
    expect(rs.text).toBe('  -> 10.253.35.7:80               Masq    1      0          0         ');
  });
});

describe('ipvsadm -L (resolved names) on a real sample', () => {
  const run = runParser(ipvsadm, realSample('ipvsadm/ipvsadm-L-resolved-names-kube-router.txt'), 'ipvsadm -L');

  it('marks resolved services and drops ports that may have been cut', () => {
    expect(run.warnings).toEqual([]);
    const services = of(run, 'ipvs.service');
    expect(services).toHaveLength(8);
    expect(services.every((s) => s.fields.resolved === true && s.fields.vip === 'ip-10-0-62-121.ec2.internal' && s.fields.port === undefined)).toBe(true);
    expect(services.map((s) => s.fields.realServers)).toEqual([1, 1, 1, 2, 4, 2, 1, 2]);
  });
  it('sums connection counters of a service', () => {
    expect(of(run, 'ipvs.service').find((s) => s.line === 10)?.fields).toMatchObject({ activeConn: 2, inactConn: 28 });
    expect(of(run, 'ipvs.service').find((s) => s.line === 10)).toMatchObject({ endLine: 12 });
  });
  it('keeps numeric real servers exact and flags named ones', () => {
    const rs = of(run, 'ipvs.realserver');
    expect(rs.find((e) => e.line === 5)?.fields).toMatchObject({ address: '100.96.5.4:9090', port: 9090, resolved: false });
    expect(rs.find((e) => e.line === 7)?.fields).toMatchObject({ ip: 'ip-10-0-62-92.ec2.internal', resolved: true });
    expect(rs.find((e) => e.line === 7)?.fields.port).toBeUndefined();
    expect(rs.find((e) => e.line === 19)?.fields).toMatchObject({ address: '100.99.43.2:bacula-fd', ip: '100.99.43.2', resolved: true });
  });
});

describe('ipvsadm --stats and --rate', () => {
  it('emits one stats row per service and real server of the real sample', () => {
    const run = runParser(ipvsadm, realSample('ipvsadm/ipvsadm-Ln-stats.txt'), 'ipvsadm -ln --stats');
    expect(run.warnings).toEqual([]);
    expect(of(run, 'ipvs.service')).toEqual([]);
    const stats = of(run, 'ipvs.stats');
    expect(stats.filter((e) => e.fields.row === 'service')).toHaveLength(3);
    expect(stats.filter((e) => e.fields.row === 'realserver')).toHaveLength(10);
    expect(stats.find((e) => e.line === 8)?.fields).toEqual({
      row: 'service', service: '10.3.0.42:80', address: '10.3.0.42:80',
      conns: 14209, inPkts: 111769, outPkts: 74613, inBytes: 7207174, outBytes: 8334358,
    });
    expect(stats.find((e) => e.line === 12)?.fields).toMatchObject({ row: 'realserver', service: '10.3.0.42:80', address: '10.2.1.25:80', conns: 3, outBytes: 1341 });
  });
  it('multiplies K/M/G suffixes', () => {
    const text = [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
      '  -> RemoteAddress:Port',
      'TCP  10.0.0.1:80                   123456K  987654K    1234M   98765M     123G',
      '  -> 10.1.0.1:80                     5000K        7        8     999K       1M',
    ].join('\n');
    const run = runParser(ipvsadm, text, 'ipvsadm -ln --stats');
    expect(run.warnings).toEqual([]);
    expect(run.events[1].fields).toMatchObject({ conns: 123_456_000, inPkts: 987_654_000, outPkts: 1_234_000_000, inBytes: 98_765_000_000, outBytes: 123_000_000_000 });
    expect(run.events[2].fields).toMatchObject({ row: 'realserver', conns: 5_000_000, inPkts: 7, inBytes: 999_000, outBytes: 1_000_000 });
  });
  it('names --rate columns after the rate header', () => {
    const text = [
      'Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS',
      '  -> RemoteAddress:Port',
      'UDP  10.96.0.10:53                       5       10        9     1200     1500',
      '  -> 10.244.0.3:53                       2        4        4      500      600',
    ].join('\n');
    const run = runParser(ipvsadm, text, 'ipvsadm -ln --rate');
    expect(run.events.map((e) => e.fields)).toEqual([
      { row: 'service', service: '10.96.0.10:53', address: '10.96.0.10:53', cps: 5, inPps: 10, outPps: 9, inBps: 1200, outBps: 1500 },
      { row: 'realserver', service: '10.96.0.10:53', address: '10.244.0.3:53', cps: 2, inPps: 4, outPps: 4, inBps: 500, outBps: 600 },
    ]);
  });
});

describe('ipvsadm -Lnc on a real sample', () => {
  it('reads every connection with expire in seconds (minutes can pass 99)', () => {
    const run = runParser(ipvsadm, realSample('ipvsadm/ipvsadm-Lcn-connection-table.txt'), 'ipvsadm -L -c -n');
    expect(run.warnings).toEqual([]);
    const conns = of(run, 'ipvs.conn');
    expect(conns).toHaveLength(12);
    expect(conns[0]).toMatchObject({
      line: 3,
      fields: { proto: 'TCP', expire: 133 * 60 + 35, state: 'ESTABLISHED', source: '10.142.81.39:49715', virtual: '10.40.25.43:18000', destination: '10.40.25.16:18000' },
    });
    expect(conns.find((e) => e.line === 12)?.fields.expire).toBe(97 * 60);
    expect(new Set(conns.map((e) => e.fields.virtual))).toEqual(new Set(['10.40.25.43:18000']));
  });
});

describe('ipvsadm synthetic listings', () => {
  const text = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
    'TCP  10.96.0.10:53 rr',
    'TCP  10.96.0.1:443 rr',
    '  -> 192.168.1.10:6443            Masq    0      3          7         ',
    '  -> 192.168.1.11:6443            Masq    1      2          0         ',
    'UDP  10.96.0.10:53 rr ops',
    '  -> [fd00::5]:53                 Route   1      0          0         ',
    'TCP  [fd00::1]:443 wlc persistent 300 mask 64',
    '  -> [fd00:10:244::7]:8443        Masq    1      0          0         ',
    'FWM  100 wrr',
    '  -> 10.0.0.5:0                   Tunnel  1      1          1         ',
    'FWM  200 IPv6 sh (sh-fallback,sh-port)',
    'SCTP  10.0.0.9:3868 rr',
    '  -> 10.0.0.10:3868               Local   1      0          0         ',
  ].join('\n');
  const run = runParser(ipvsadm, text, 'ipvsadm -Ln');
  const services = of(run, 'ipvs.service');

  it('emits a service with no real servers before the next one', () => {
    expect(run.warnings).toEqual([]);
    expect(services.map((s) => s.fields.address)).toEqual(['10.96.0.10:53', '10.96.0.1:443', '10.96.0.10:53', '[fd00::1]:443', '100', '200', '10.0.0.9:3868']);
    expect(services[0]).toMatchObject({ line: 4, endLine: undefined, fields: { realServers: 0, activeRealServers: 0, activeConn: 0, inactConn: 0 } });
  });
  it('counts weight-0 real servers as not active', () => {
    expect(services[1]).toMatchObject({ line: 5, endLine: 7, fields: { realServers: 2, activeRealServers: 1, activeConn: 5, inactConn: 7 } });
  });
  it('reads UDP flags, IPv6 services and IPv6 real servers', () => {
    expect(services[2].fields).toMatchObject({ proto: 'UDP', scheduler: 'rr', flags: 'ops' });
    expect(services[3].fields).toMatchObject({ proto: 'TCP', vip: 'fd00::1', port: 443, family: 'ipv6', scheduler: 'wlc', flags: 'persistent 300 mask 64', persistent: 300 });
    expect(of(run, 'ipvs.realserver').find((e) => e.line === 11)?.fields).toMatchObject({ service: '[fd00::1]:443', ip: 'fd00:10:244::7', port: 8443, forward: 'Masq' });
  });
  it('reads firewall-mark services, with and without IPv6', () => {
    expect(services[4].fields).toEqual({
      proto: 'FWM', address: '100', fwmark: 100, family: 'ipv4', resolved: false, scheduler: 'wrr',
      realServers: 1, activeRealServers: 1, activeConn: 1, inactConn: 1,
    });
    expect(services[4].fields.port).toBeUndefined();
    expect(services[5].fields).toMatchObject({ fwmark: 200, family: 'ipv6', scheduler: 'sh', flags: '(sh-fallback,sh-port)', realServers: 0 });
    expect(of(run, 'ipvs.realserver').find((e) => e.line === 13)?.fields).toMatchObject({ service: '100', forward: 'Tunnel', port: 0 });
  });
  it('reads SCTP services and Local forwarding', () => {
    expect(services[6]).toMatchObject({ line: 15, endLine: 16, fields: { proto: 'SCTP', port: 3868, realServers: 1 } });
    expect(of(run, 'ipvs.realserver').at(-1)?.fields.forward).toBe('Local');
  });
  it('accepts an empty table', () => {
    const empty = runParser(ipvsadm, 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n', 'ipvsadm -Ln');
    expect(empty.warnings).toEqual([]);
    expect(empty.events.map((e) => e.kind)).toEqual(['ipvs.header']);
  });
  it('reads --persistent-conn listings', () => {
    const pconn = runParser(ipvsadm, [
      'Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn',
      '  -> RemoteAddress:Port',
      'TCP  10.0.0.1:80',
      '  -> 10.1.0.1:80                  0         4           2          9',
    ].join('\n'), 'ipvsadm -ln --persistent-conn');
    expect(pconn.warnings).toEqual([]);
    expect(pconn.events[0].fields).toMatchObject({ weight: 0, persistConn: 4, activeConn: 2, inactConn: 9 });
    expect(pconn.events[1].fields).toMatchObject({ address: '10.0.0.1:80', realServers: 1, activeRealServers: 0 });
    expect(pconn.events[1].fields.scheduler).toBeUndefined();
  });
  it('reports ipvsadm failures as ipvs.error events', () => {
    const err = runParser(ipvsadm, "Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?\n", 'ipvsadm -Ln');
    expect(err.warnings).toEqual([]);
    expect(err.events.map((e) => [e.kind, e.severity, e.line])).toEqual([['ipvs.error', 'error', 1], ['ipvs.error', 'error', 2]]);
  });
});

describe('ipvsadm on broken input', () => {
  it('warns with line numbers and keeps the good rows', () => {
    const huge = 'x'.repeat(200 * 1024);
    const text = [
      'IP Virtual Server version 1.2.1 (size=4096)',         // 1
      'Prot LocalAddress:Port Scheduler Flags',              // 2
      '  -> 10.9.9.9:80                  Masq    1      0          0', // 3: no service yet
      'TCP  10.0.0.1:80 rr',                                 // 4
      'hello world',                                         // 5
      '\u0000\u0001\u0002\uFFFD\uFFFDbinary',                // 6
      '  -> 10.1.0.1:80                  Masq    1      4          2', // 7
      huge,                                                  // 8
      'MATCH from:0.0.0.0-0.0.0.0:0-0,to:10.0.0.1-10.0.0.1:0-0 wlc', // 9: dpvs SNAT block
      '  -> 192.168.0.1:0                SNAT    1      0          0', // 10
      'TCP  10.0.0.2:80 rr',                                 // 11
      '  -> 10.1.0.2:80                  Masq    1',         // 12: truncated
    ].join('\n');
    let run: ReturnType<typeof runParser> | undefined;
    expect(() => { run = runParser(ipvsadm, text, 'ipvsadm -Ln'); }).not.toThrow();
    const r = run!;
    expect(r.warnings.map((w) => [w.code, w.line])).toEqual([
      ['ipvsadm.orphan-realserver', 3],
      ['ipvsadm.unrecognized', 5],
      ['ipvsadm.unrecognized', 6],
      ['ipvsadm.unrecognized', 8],
      ['ipvsadm.bad-realserver', 12],
    ]);
    expect(r.warnings[3].message.length).toBeLessThan(200);
    const services = of(r, 'ipvs.service');
    expect(services.map((s) => [s.fields.address, s.fields.realServers, s.fields.activeConn])).toEqual([['10.0.0.1:80', 1, 4], ['10.0.0.2:80', 0, 0]]);
    expect(of(r, 'ipvs.realserver').map((e) => e.line)).toEqual([7]);
  });
  it('stops warning after 1000 lines and says how many were left out', () => {
    const run = runParser(ipvsadm, Array.from({ length: 1500 }, (_, i) => `junk ${i}`).join('\n'), 'ipvsadm -Ln');
    expect(run.warnings).toHaveLength(1001);
    expect(run.warnings[1000]).toMatchObject({ code: 'ipvsadm.more-warnings', line: 1500, message: expect.stringContaining('500 more') });
  });
});

describe('ipvsadm detect', () => {
  const sample = realSample('ipvsadm/ipvsadm-Ln-kube-proxy.txt');
  it('scores name and content', () => {
    expect(ipvsadm.detect(probeFor('nodes/n1/ipvsadm_-Ln', sample))).toBe(1);
    expect(ipvsadm.detect(probeFor('nodes/n1/ipvs.txt', sample))).toBe(0.8);
    expect(ipvsadm.detect(probeFor('ipvsadm -L -c -n', realSample('ipvsadm/ipvsadm-Lcn-connection-table.txt')))).toBe(1);
    expect(ipvsadm.detect(probeFor('ipvsadm -ln', ''))).toBe(0.5);
    expect(ipvsadm.detect(probeFor('x', 'TCP  10.0.0.1:80 rr\n  -> 10.1.0.1:80    Masq 1 0 0\n'))).toBe(0.6);
  });
  it('declines other inputs and the save format', () => {
    expect(ipvsadm.detect(probeFor('ps aux', realSample('ps/ps-auxww-insights-core.txt')))).toBe(0);
    expect(ipvsadm.detect(probeFor('kube-proxy.log', realSample('kube-proxy/ipvs-graceful-termination.txt')))).toBe(0);
    expect(ipvsadm.detect(probeFor('ipvsadm -Sn', '-A -t 10.0.0.1:80 -s rr\n'))).toBe(0);
  });
});
