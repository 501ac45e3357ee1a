import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ethtool from './ethtool.js';
import { probeFor, runParser } from '../testing.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('ethtool -k', () => {
  const run = runParser(ethtool, fixture('ethtool-k-ens192.txt'), 'nodes/10.200.0.3/ethtool_-k_ens192');
  const feature = (name: string) => run.events.find((e) => e.fields.feature === name);
  it('emits one feature event per line, with the interface of the header', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(57);
    expect(run.events.every((e) => e.kind === 'ethtool.feature' && e.fields.iface === 'ens192')).toBe(true);
  });
  it('reads the tunnel segmentation offloads a vmxnet3 NIC must not have on', () => {
    expect(feature('tx-udp_tnl-segmentation')).toMatchObject({ line: 35, fields: { enabled: true, fixed: false } });
    expect(feature('tx-udp_tnl-csum-segmentation')?.fields.enabled).toBe(true);
  });
  it('reads [fixed] and sub-features with their parent', () => {
    expect(feature('tx-checksum-ipv4')?.fields).toEqual({ iface: 'ens192', feature: 'tx-checksum-ipv4', enabled: false, fixed: true, parent: 'tx-checksumming' });
    expect(feature('rx-vlan-filter')?.fields).toMatchObject({ enabled: true, fixed: true });
    expect(feature('generic-receive-offload')?.fields.parent).toBeUndefined();
  });
  it('reads [requested on] and several interfaces in one file', () => {
    const r = runParser(ethtool, 'Features for eth0:\ntx-checksumming: off [requested on]\nFeatures for eth1:\ntx-checksumming: on\n', 'ethtool-all.txt');
    expect(r.events.map((e) => [e.fields.iface, e.fields.enabled, e.fields.requested])).toEqual([['eth0', false, true], ['eth1', true, undefined]]);
  });
  it('takes the interface from the file name when the header is missing', () => {
    const r = runParser(ethtool, 'tx-udp_tnl-segmentation: on\n', 'nodes/n/ethtool -k ens224');
    expect(r.events[0].fields.iface).toBe('ens224');
  });
  it('is detected by name and content, by content alone, and not on other text', () => {
    expect(ethtool.detect(probeFor('nodes/n/ethtool_-k_ens192', fixture('ethtool-k-ens192.txt')))).toBe(1);
    expect(ethtool.detect(probeFor('nodes/n/nic-features.txt', fixture('ethtool-k-ens192.txt')))).toBe(0.8);
    expect(ethtool.detect(probeFor('nodes/n/sysctl -a', 'net.ipv4.ip_forward = 1\n'))).toBe(0);
  });
});

describe('ethtool -i', () => {
  it('emits one driver event with version and bus', () => {
    const run = runParser(ethtool, fixture('ethtool-i-ens192.txt'), 'nodes/n/ethtool_-i_ens192');
    expect(run.warnings).toEqual([]);
    expect(run.events).toEqual([expect.objectContaining({
      kind: 'ethtool.driver', line: 1, endLine: 10,
      fields: { iface: 'ens192', driver: 'vmxnet3', version: '1.5.0.0-k-NAPI', busInfo: '0000:0b:00.0' },
    })]);
    expect(ethtool.detect(probeFor('nodes/n/nic-driver', fixture('ethtool-i-ens192.txt')))).toBe(0.8);
  });
});

describe('ethtool on broken input', () => {
  it('warns on garbage, binary and a cut line, keeps the rest, ignores `Cannot get device … settings`', () => {
    const text = 'Features for ens192:\nCannot get device udp-fragmentation-offload settings: Operation not supported\nrx-checksumming: on\ngarbage here\n\x00\x01\x02\ntx-udp_tnl-segmentation: o';
    const run = runParser(ethtool, text, 'ethtool -k ens192');
    expect(run.events.map((e) => e.fields.feature)).toEqual(['rx-checksumming']);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['ethtool.bad-line', 4], ['ethtool.binary', 5], ['ethtool.bad-line', 6]]);
  });
});
