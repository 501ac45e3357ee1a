import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ip, { parseRoute } from './ip.js';
import { probeFor, runParser } from '../testing.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('ip addr', () => {
  const run = runParser(ip, fixture('ip-addr-ubuntu.txt'), 'nodes/10.200.0.3/ip addr');
  const nif = (name: string) => run.events.find((e) => e.fields.name === name);
  it('emits one netif per interface block', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => e.fields.name)).toEqual(['lo', 'ens192', 'cbr0', 'cilium_net', 'cilium_host', 'cilium_vxlan', 'lxc_health', 'lxc4f5e6d7c8b9a', 'veth3a1f9c2e']);
    expect(run.events.every((e) => e.kind === 'netif' && e.source === 'ip')).toBe(true);
  });
  it('reads flags, state, mtu, qdisc, link type, mac and addresses', () => {
    expect(nif('ens192')).toMatchObject({
      line: 7, endLine: 15,
      fields: { index: 2, state: 'UP', up: true, lowerUp: true, mtu: 1500, qdisc: 'mq', linkType: 'ether', mac: '00:50:56:a1:b2:c3', addresses: '10.200.0.3/24,10.200.0.100/32,fe80::250:56ff:fea1:b2c3/64', flags: 'BROADCAST,MULTICAST,UP,LOWER_UP' },
    });
    expect(nif('lo')?.fields).toMatchObject({ linkType: 'loopback', state: 'UNKNOWN', mtu: 65536, addresses: '127.0.0.1/8,::1/128' });
  });
  it('shows a cbr0 bridge that is administratively up but DOWN without carrier', () => {
    expect(nif('cbr0')?.fields).toMatchObject({ state: 'DOWN', up: true, lowerUp: false, mtu: 1460, addresses: '10.244.1.1/24' });
  });
  it('splits `@peer` off veth and cilium names and reads master', () => {
    expect(nif('cilium_host')?.fields).toMatchObject({ peer: 'cilium_net', addresses: '10.244.1.144/32' });
    expect(nif('lxc4f5e6d7c8b9a')?.fields).toMatchObject({ peer: 'if9', index: 10, mtu: 9000 });
    expect(nif('veth3a1f9c2e')?.fields).toMatchObject({ master: 'cbr0', peer: 'if11' });
    expect(nif('cilium_vxlan')?.fields.addresses).toBeUndefined();
    expect(nif('ens192')?.fields.kind).toBeUndefined();
  });
  it('is detected by name and content, and by content alone', () => {
    expect(ip.detect(probeFor('nodes/n/ip_addr', fixture('ip-addr-ubuntu.txt')))).toBe(1);
    expect(ip.detect(probeFor('nodes/n/ip_address_show_cbr0', fixture('ip-addr-ubuntu.txt')))).toBe(1);
    expect(ip.detect(probeFor('nodes/n/interfaces.txt', fixture('ip-addr-ubuntu.txt')))).toBe(0.8);
  });
});

describe('ip -d link', () => {
  it('reads the link kind from the detail line', () => {
    const run = runParser(ip, fixture('ip-d-link.txt'), 'nodes/n/ip -d link');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => [e.fields.name, e.fields.kind])).toEqual([
      ['ens192', undefined], ['cbr0', 'bridge'], ['cilium_vxlan', 'vxlan'], ['cilium_geneve', 'geneve'], ['veth3a1f9c2e', 'veth'],
    ]);
    expect(run.events[4].fields).toMatchObject({ master: 'cbr0', mac: '6e:41:a0:0f:ce:12' });
    expect(run.events[4].endLine).toBe(16);
  });
});

describe('ip one-line and brief forms', () => {
  it('reads `ip -o link` and groups `ip -o addr` lines per interface', () => {
    const link = runParser(ip, '3: cbr0: <BROADCAST,MULTICAST,UP> mtu 1460 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000\\    link/ether 0a:58:0a:f4:01:01 brd ff:ff:ff:ff:ff:ff\n', 'ip -o link');
    expect(link.events[0].fields).toMatchObject({ name: 'cbr0', state: 'DOWN', linkType: 'ether', mac: '0a:58:0a:f4:01:01' });
    const addr = runParser(ip, '2: ens192    inet 10.200.0.3/24 brd 10.200.0.255 scope global ens192\\       valid_lft forever preferred_lft forever\n2: ens192    inet6 fe80::1/64 scope link \\       valid_lft forever preferred_lft forever\n3: cbr0    inet 10.244.1.1/24 scope global cbr0\\       valid_lft forever preferred_lft forever\n', 'ip -o addr');
    expect(addr.events.map((e) => [e.fields.name, e.fields.addresses])).toEqual([['ens192', '10.200.0.3/24,fe80::1/64'], ['cbr0', '10.244.1.1/24']]);
  });
  it('reads `ip -br addr`', () => {
    const run = runParser(ip, 'lo               UNKNOWN        127.0.0.1/8 ::1/128 \nens192           UP             10.200.0.3/24 fe80::250:56ff:fea1:b2c3/64 \ncbr0             DOWN           10.244.1.1/24 \n', 'ip -br addr');
    expect(run.warnings).toEqual([]);
    expect(run.events[2].fields).toEqual({ name: 'cbr0', state: 'DOWN', addresses: '10.244.1.1/24' });
  });
});

describe('ip route', () => {
  const run = runParser(ip, fixture('ip-route-table-all.txt'), 'nodes/n/ip_route_list_table_all');
  it('emits one route per line, multipath heads with their first hop', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(14);
    expect(run.events.every((e) => e.kind === 'route')).toBe(true);
    expect(run.events[0].fields).toEqual({ destination: 'default', type: 'unicast', gateway: '10.200.0.1', dev: 'ens192', proto: 'static', table: 'main' });
    expect(run.events[4]).toMatchObject({ line: 5, endLine: 7, fields: { destination: '10.244.2.0/24', gateway: '10.200.0.4', dev: 'ens192', nexthops: 2 } });
  });
  it('reads route types, tables, scope, src, metric and pref', () => {
    expect(run.events[1].fields).toMatchObject({ dev: 'ens192', proto: 'kernel', scope: 'link', src: '10.200.0.3' });
    expect(run.events[5].fields).toMatchObject({ type: 'blackhole', destination: '10.244.3.0/26', proto: 'bird' });
    expect(run.events[7].fields).toMatchObject({ type: 'local', table: 'local', scope: 'host' });
    expect(run.events[10].fields).toMatchObject({ destination: 'fe80::/64', metric: 256, pref: 'medium', table: 'main' });
    expect(run.events[13].fields).toMatchObject({ type: 'unreachable', table: 'unspec', metric: 4294967295 });
  });
  it('takes the table from the command when the output omits it', () => {
    const r = runParser(ip, 'local 10.200.0.3 dev ens192 proto kernel scope host src 10.200.0.3\n', 'ip route show table local');
    expect(r.events[0].fields.table).toBe('local');
  });
  it('does not take `ip neigh` rows for routes', () => {
    expect(parseRoute('10.200.0.1 dev ens192 lladdr 00:50:56:a1:00:01 REACHABLE')).toBeUndefined();
    expect(ip.detect(probeFor('nodes/n/ip_neigh', '10.200.0.1 dev ens192 lladdr 00:50:56:a1:00:01 REACHABLE\n'))).toBe(0);
    expect(ip.detect(probeFor('nodes/n/neighbours', '10.200.0.1 dev ens192 lladdr 00:50:56:a1:00:01 REACHABLE\n'))).toBe(0);
  });
  it('is detected by content alone', () => {
    expect(ip.detect(probeFor('nodes/n/routes', fixture('ip-route-table-all.txt')))).toBe(0.8);
  });
});

describe('ip on broken input', () => {
  it('warns on garbage, binary, a cut header and orphan lines, keeps the rest', () => {
    const text = '    inet 10.0.0.1/8 scope global x\n1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN\nsome garbage text\n\x00\x01\x02\x03\n2: ens192: <BROADCAST,MULTI';
    const run = runParser(ip, text, 'ip addr');
    expect(run.events.map((e) => e.fields.name)).toEqual(['lo']);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['ip.orphan-line', 1], ['ip.bad-line', 3], ['ip.binary', 4], ['ip.truncated', 5]]);
  });
  it('bounds the addresses kept per interface', () => {
    const lines = ['2: eth0: <UP> mtu 1500 state UP', ...Array.from({ length: 500 }, (_, i) => `    inet 10.0.${i >> 8}.${i & 255}/32 scope global eth0`)];
    const run = runParser(ip, lines.join('\n'), 'ip addr');
    expect(String(run.events[0].fields.addresses).split(',')).toHaveLength(64);
    expect(run.events[0].endLine).toBe(501);
  });
});
