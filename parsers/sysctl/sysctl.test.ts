import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import sysctl, { keyFromFile, keyFromFlatName, normaliseKey } from './sysctl.js';
import { probeFor, runParser } from '../testing.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const byKey = (run: ReturnType<typeof runParser>, key: string) => run.events.find((e) => e.fields.key === key);

describe('sysctl keys from /proc/sys paths and flattened names', () => {
  it('reads a kept path, with dots in interface names turned into `/`', () => {
    expect(keyFromFile({ path: 'nodes/10.200.0.3/proc/sys/net/netfilter/nf_conntrack_max', name: 'nf_conntrack_max' })).toBe('net.netfilter.nf_conntrack_max');
    expect(keyFromFile({ path: 'proc/sys/net/ipv4/conf/ens192.100/rp_filter', name: 'rp_filter' })).toBe('net.ipv4.conf.ens192/100.rp_filter');
    expect(keyFromFile({ path: 'nodes/n/proc/sys/fs/file-nr.txt', name: 'file-nr.txt' })).toBe('fs.file-nr');
  });
  it('splits flattened names on the known /proc/sys layout', () => {
    expect(keyFromFile({ path: 'nodes/n/_proc_sys_net_ipv4_conf_all_rp_filter', name: '_proc_sys_net_ipv4_conf_all_rp_filter' })).toBe('net.ipv4.conf.all.rp_filter');
    expect(keyFromFlatName('net_ipv4_conf_cilium_host_rp_filter')).toBe('net.ipv4.conf.cilium_host.rp_filter');
    expect(keyFromFlatName('net_ipv4_ip_local_port_range')).toBe('net.ipv4.ip_local_port_range');
    expect(keyFromFlatName('net_netfilter_nf_conntrack_max')).toBe('net.netfilter.nf_conntrack_max');
    expect(keyFromFlatName('net_nf_conntrack_max')).toBe('net.nf_conntrack_max');
    expect(keyFromFlatName('fs_inotify_max_user_watches')).toBe('fs.inotify.max_user_watches');
    expect(keyFromFlatName('fs_file-nr')).toBe('fs.file-nr');
    expect(keyFromFlatName('net_ipv6_conf_default_disable_ipv6')).toBe('net.ipv6.conf.default.disable_ipv6');
    expect(keyFromFlatName('etc_hosts')).toBeUndefined();
  });
  it('normalises sysctl.d slash keys', () => {
    expect(normaliseKey('net/ipv4/ip_forward')).toBe('net.ipv4.ip_forward');
    expect(normaliseKey('net/ipv4/conf/eth0.100/rp_filter')).toBe('net.ipv4.conf.eth0/100.rp_filter');
    expect(normaliseKey('net.ipv4.conf.eth0/100.rp_filter')).toBe('net.ipv4.conf.eth0/100.rp_filter');
  });
});

describe('sysctl -a', () => {
  const run = runParser(sysctl, fixture('sysctl-a-ubuntu.txt'), 'nodes/10.200.0.3/sysctl -a');
  it('emits one runtime event per key, typed when numeric', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(22);
    expect(byKey(run, 'net.ipv4.conf.all.rp_filter')).toMatchObject({ kind: 'sysctl', line: 10, fields: { value: '1', number: 1, origin: 'runtime' } });
    expect(byKey(run, 'net.netfilter.nf_conntrack_max')?.fields.number).toBe(262144);
  });
  it('keeps multi-value and text values as printed, without a number', () => {
    expect(byKey(run, 'net.ipv4.ip_local_port_range')?.fields).toEqual({ key: 'net.ipv4.ip_local_port_range', value: '32768\t60999', low: 32768, high: 60999, origin: 'runtime' });
    expect(byKey(run, 'net.ipv4.tcp_rmem')?.fields.low).toBeUndefined();
    expect(byKey(run, 'kernel.core_pattern')?.fields.value).toBe('|/usr/share/apport/apport %p %s %c %d %P %E');
    expect(byKey(run, 'kernel.domainname')?.fields.number).toBeUndefined();
  });
  it('skips sysctl stderr notes', () => {
    expect(run.events.some((e) => String(e.fields.key).includes('stable_secret'))).toBe(false);
  });
  it('is detected by name and content, and by content alone', () => {
    const text = fixture('sysctl-a-ubuntu.txt');
    expect(sysctl.detect(probeFor('nodes/n/sysctl_-a', text))).toBe(1);
    expect(sysctl.detect(probeFor('nodes/n/kernel-params.txt', text))).toBe(0.8);
  });
});

describe('sysctl.d files', () => {
  const run = runParser(sysctl, fixture('99-kubernetes.conf'), 'nodes/n/etc/sysctl.d/99-kubernetes.conf');
  it('skips comments, accepts `key=value`, slash keys, the `-` prefix and globs', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => e.fields.key)).toEqual([
      'net.bridge.bridge-nf-call-ip6tables', 'net.bridge.bridge-nf-call-iptables', 'net.ipv4.ip_forward',
      'net.ipv4.conf.all.rp_filter', 'net.ipv4.conf.*.rp_filter', 'fs.inotify.max_user_instances',
    ]);
    expect(run.events.every((e) => e.fields.origin === 'config')).toBe(true);
    expect(byKey(run, 'net.ipv4.conf.all.rp_filter')).toMatchObject({ line: 7, fields: { value: '0', number: 0 } });
  });
  it('is detected as a sysctl file by its path', () => {
    expect(sysctl.detect(probeFor('nodes/n/etc/sysctl.d/99-kubernetes.conf', fixture('99-kubernetes.conf')))).toBe(1);
  });
  it('takes `sysctl --system` values as config, with the file they come from', () => {
    const r = runParser(sysctl, '* Applying /etc/sysctl.d/10-network-security.conf ...\nnet.ipv4.conf.default.rp_filter = 2\nnet.ipv4.conf.all.rp_filter = 2\n', 'sysctl --system');
    expect(r.events[1].fields).toMatchObject({ key: 'net.ipv4.conf.all.rp_filter', origin: 'config', file: '/etc/sysctl.d/10-network-security.conf', number: 2 });
  });
});

describe('/proc/sys files', () => {
  it('reads a copied value file by its path', () => {
    const run = runParser(sysctl, '262144\n', 'nodes/10.200.0.3/proc/sys/net/netfilter/nf_conntrack_max');
    expect(run.events).toEqual([expect.objectContaining({ kind: 'sysctl', line: 1, fields: { key: 'net.netfilter.nf_conntrack_max', value: '262144', number: 262144, origin: 'runtime' } })]);
  });
  it('reads a flattened name and a multi-value range', () => {
    const run = runParser(sysctl, '32768\t60999\n', 'nodes/n/_proc_sys_net_ipv4_ip_local_port_range');
    expect(run.events[0].fields).toEqual({ key: 'net.ipv4.ip_local_port_range', value: '32768\t60999', low: 32768, high: 60999, origin: 'runtime' });
    const rp = runParser(sysctl, '1\n', 'nodes/n/_proc_sys_net_ipv4_conf_all_rp_filter');
    expect(rp.events[0].fields).toMatchObject({ key: 'net.ipv4.conf.all.rp_filter', number: 1 });
  });
  it('claims a /proc/sys value by path only, and never a bare number elsewhere', () => {
    expect(sysctl.detect(probeFor('nodes/n/proc/sys/net/netfilter/nf_conntrack_max', '262144\n'))).toBe(1);
    expect(sysctl.detect(probeFor('nodes/n/conntrack_--count', '262144\n'))).toBe(0);
    expect(sysctl.detect(probeFor('nodes/n/proc/sys/net/netfilter/nf_conntrack_max', '\x00\x01\x02'))).toBe(0.3);
  });
});

describe('sysctl on broken input', () => {
  it('warns on garbage and binary lines with their numbers, keeps good lines, and takes a cut last line as it is', () => {
    const run = runParser(sysctl, 'net.ipv4.ip_forward = 1\nthis is not sysctl\n\x00\x01binary\nnet.core.somaxconn = 40', 'sysctl -a');
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['sysctl.bad-line', 2], ['sysctl.binary', 3]]);
    expect(run.events.map((e) => e.fields.number)).toEqual([1, 40]);
  });
  it('bounds a long /proc/sys value', () => {
    const run = runParser(sysctl, Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n'), 'proc/sys/dev/cdrom/info');
    expect(run.events).toHaveLength(1);
    expect(String(run.events[0].fields.value).split('\n')).toHaveLength(32);
    expect(run.warnings).toEqual([expect.objectContaining({ code: 'sysctl.long-value', line: 33 })]);
  });
});
