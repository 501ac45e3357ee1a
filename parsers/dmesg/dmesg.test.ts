import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import dmesg, { parseKernelLine, subsystemOf } from './dmesg.js';
import { probeFor, realSample, runParser } from '../testing.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('dmesg line prefixes', () => {
  it('reads `[seconds]`, a cut `[`, and `dmesg -d` deltas', () => {
    expect(parseKernelLine('[1454500.910215] nf_conntrack: table full, dropping packet')).toMatchObject({ monotonic: 1454500.910215, message: 'nf_conntrack: table full, dropping packet' });
    expect(parseKernelLine('871222.759484] nfs: server 100.73.159.36 OK')).toMatchObject({ monotonic: 871222.759484, message: 'nfs: server 100.73.159.36 OK' });
    expect(parseKernelLine('[  12.000100 <    0.000123>] usb 1-1: new device')).toMatchObject({ monotonic: 12.0001, message: 'usb 1-1: new device' });
  });
  it('reads -T ctime and ISO stamps as UTC', () => {
    expect(parseKernelLine('[Tue Mar  5 10:00:00 2024] nfs: server 10.0.0.5 not responding, still trying').time).toBe(Date.UTC(2024, 2, 5, 10, 0, 0));
    expect(parseKernelLine('2024-03-05T10:00:00,123456+01:00 eth0: link up').time).toBe(Date.UTC(2024, 2, 5, 9, 0, 0, 123));
  });
  it('decodes -x facility:level, -r `<N>` and /dev/kmsg prefixes', () => {
    expect(parseKernelLine('kern  :warn  : [  871.222759] IPv6: ADDRCONF(NETDEV_CHANGE): lxc12ab: link becomes ready')).toMatchObject({ facility: 'kern', level: 'warn', monotonic: 871.222759 });
    expect(parseKernelLine('<14>[    5.000000] systemd[1]: Started Journal Service.')).toMatchObject({ facility: 'user', level: 'info', monotonic: 5 });
    expect(parseKernelLine('<3>[    6.1] oops')).toMatchObject({ facility: 'kern', level: 'err' });
    expect(parseKernelLine('6,339,5140900,-;NET: Registered protocol family 10')).toMatchObject({ level: 'info', monotonic: 5.1409, message: 'NET: Registered protocol family 10' });
  });
  it('leaves an unstamped line whole', () => {
    expect(parseKernelLine('[UFW BLOCK] IN=ens192 OUT= SRC=10.0.0.9')).toMatchObject({ stamped: false, message: '[UFW BLOCK] IN=ens192 OUT= SRC=10.0.0.9' });
  });
  it('finds the leading subsystem token', () => {
    expect(subsystemOf('nf_conntrack: nf_conntrack: table full, dropping packet')).toBe('nf_conntrack');
    expect(subsystemOf('EXT4-fs (sda1): mounted filesystem')).toBe('EXT4-fs');
    expect(subsystemOf('pci 0000:00:09.0: reg 0x10: [io  0x0000-0x003f]')).toBe('pci');
    expect(subsystemOf('systemd[1]: Started Kubernetes Kubelet.')).toBe('systemd');
    expect(subsystemOf('x86/fpu: Supporting XSAVE feature 0x001')).toBe('x86/fpu');
    expect(subsystemOf('Command line: BOOT_IMAGE=/boot/vmlinuz')).toBeUndefined();
    expect(subsystemOf('device veth3a1f9c2e entered promiscuous mode')).toBeUndefined();
  });
});

describe('dmesg parser on real samples', () => {
  it('reads every conntrack-table-full line with its monotonic stamp', () => {
    const run = runParser(dmesg, realSample('kernel/nf-conntrack-table-full-dmesg.txt'), 'nodes/10.200.0.8/dmesg');
    expect(run.events).toHaveLength(14);
    expect(run.warnings).toEqual([]);
    expect(run.events[0]).toMatchObject({ source: 'kernel', kind: 'log', line: 1, message: 'nf_conntrack: table full, dropping packet', fields: { monotonic: 1454500.910215, subsystem: 'nf_conntrack' } });
    expect(run.events[13].fields.monotonic).toBe(1454509.461217);
  });
  it('keeps the first line whose `[` was cut, and the nfs lines', () => {
    const run = runParser(dmesg, realSample('kernel/nfs-not-responding-dmesg.txt'), 'dmesg');
    expect(run.warnings).toEqual([]);
    expect(run.events[0]).toMatchObject({ line: 1, message: 'nfs: server 100.73.159.36 OK', fields: { monotonic: 871222.759484, subsystem: 'nfs' } });
    const notResponding = run.events.filter((e) => e.message === 'nfs: server 100.73.159.36 not responding, still trying');
    expect(notResponding).toHaveLength(3);
    expect(run.events.find((e) => e.message?.startsWith('EXT4-fs'))?.fields.subsystem).toBe('EXT4-fs');
  });
  it('detects both samples by content, and by name and content', () => {
    expect(dmesg.detect(probeFor('x/kern-sample.txt', realSample('kernel/nfs-not-responding-dmesg.txt')))).toBe(0.8);
    expect(dmesg.detect(probeFor('nodes/n1/dmesg', realSample('kernel/nf-conntrack-table-full-dmesg.txt')))).toBe(1);
  });
});

describe('dmesg parser on synthetic node outputs', () => {
  it('reads an Ubuntu dmesg, one event per stamped line', () => {
    const run = runParser(dmesg, fixture('dmesg-ubuntu.txt'), 'nodes/node-1/dmesg');
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(14);
    const hung = run.events.find((e) => e.message?.startsWith('INFO: task'));
    expect(hung).toMatchObject({ line: 11, fields: { subsystem: 'INFO', monotonic: 91234.556001 } });
    expect(hung?.endLine).toBeUndefined();
    expect(run.events[11].message).toBe('      Not tainted 5.4.0-77-generic #86-Ubuntu');
    expect(run.events.filter((e) => e.message === 'nf_conntrack: nf_conntrack: table full, dropping packet')).toHaveLength(2);
    expect(run.events.find((e) => e.fields.subsystem === 'vmxnet3')?.line).toBe(5);
  });
  it('maps `dmesg -x` levels to severities and keeps the facility', () => {
    const run = runParser(dmesg, fixture('dmesg-x-rhel8.txt'), 'nodes/rhel/dmesg -x');
    expect(run.events.map((e) => e.severity)).toEqual(['info', 'notice', 'warning', 'error', 'notice', 'warning']);
    expect(run.events[4].fields).toMatchObject({ facility: 'user', level: 'notice', subsystem: 'systemd', monotonic: 913.000001 });
    expect(run.events[3].message).toMatch(/^SELinux: mount invalid/);
  });
  it('reads `dmesg -T` with times and no monotonic field', () => {
    const run = runParser(dmesg, '[Tue Mar  5 10:00:00 2024] nfs: server 10.0.0.5 not responding, still trying\n[Tue Mar  5 10:02:13 2024] nfs: server 10.0.0.5 OK\n', 'dmesg -T');
    expect(run.events.map((e) => e.time)).toEqual([Date.UTC(2024, 2, 5, 10, 0, 0), Date.UTC(2024, 2, 5, 10, 2, 13)]);
    expect(run.events[0].fields.monotonic).toBeUndefined();
  });
  it('reads `dmesg -t` (no stamps) line by line, and serial-console noise without warnings', () => {
    const run = runParser(dmesg, 'nf_conntrack: table full, dropping packet\n\x1b[0;32m[  OK  ]\x1b[0m Started Journal Service.\n[   12.5] ens4: link up\n', 'serial-console-output');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => e.message)).toEqual(['nf_conntrack: table full, dropping packet', '[  OK  ] Started Journal Service.', 'ens4: link up']);
    expect(run.events[2].fields.monotonic).toBe(12.5);
  });
  it('declines journal output, even `journalctl -k` in short-monotonic form', () => {
    const journal = '-- Logs begin at Tue 2024-03-05 09:00:00 UTC, end at Tue 2024-03-05 11:00:00 UTC. --\nMar 05 10:00:00 node-1 kernel: nf_conntrack: table full, dropping packet\n';
    expect(dmesg.detect(probeFor('nodes/n/journalctl --utc --boot --dmesg', journal))).toBe(0);
    const mono = '[    0.000000] node-1 kernel: Linux version 5.4.0\n[    1.000000] node-1 kernel: ACPI: Core revision\n[    5.000000] node-1 systemd[1]: Started Journal Service.\n';
    expect(dmesg.detect(probeFor('x/kernel.txt', mono))).toBe(0);
    // Even under a dmesg name: `journalctl -k > dmesg` in short and short-iso forms.
    expect(dmesg.detect(probeFor('nodes/n/dmesg', 'Mar 05 10:00:00 node-1 kernel: nf_conntrack: table full, dropping packet\nMar 05 10:00:01 node-1 kernel: nf_conntrack: table full, dropping packet\n'))).toBe(0);
    expect(dmesg.detect(probeFor('nodes/n/dmesg', '2024-03-05T10:00:00+0000 node-1 kernel: nfs: server 10.0.0.5 not responding, still trying\n'))).toBe(0);
    expect(dmesg.detect(probeFor('nodes/n/dmesg', '2024-03-05T10:00:00,123456+00:00 nfs: server 10.0.0.5 not responding, still trying\n'))).toBe(1);
  });
  it('claims a plain-text `dmesg -t` by name only, and other text not at all', () => {
    expect(dmesg.detect(probeFor('nodes/n/dmesg_-t', 'ACPI: Core revision 20190816\nPCI: Using configuration type 1\n'))).toBe(0.9);
    expect(dmesg.detect(probeFor('notes.txt', 'ACPI: Core revision 20190816\n'))).toBe(0);
  });
});

describe('dmesg parser on broken input', () => {
  it('warns on binary bytes and a cut stamp, keeps the good lines, never throws', () => {
    const run = runParser(dmesg, '[    1.000000] ok line\n\x00\x01\x02garbage\x7f\n[   2.00000 <truncated\n[1454509.46', 'dmesg');
    expect(run.events.map((e) => e.message)).toEqual(['ok line']);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['dmesg.binary', 2], ['dmesg.bad-stamp', 3], ['dmesg.bad-stamp', 4]]);
  });
  it('joins an unstamped indented line to the entry before it', () => {
    const run = runParser(dmesg, '[    1.000000] BUG: unable to handle page fault\n    RIP: 0010:do_sys_open+0x1c/0x2e0\n[    1.000100] next\n', 'dmesg');
    expect(run.events).toHaveLength(2);
    expect(run.events[0]).toMatchObject({ line: 1, endLine: 2, message: 'BUG: unable to handle page fault\nRIP: 0010:do_sys_open+0x1c/0x2e0', fields: { subsystem: 'BUG' } });
  });
  it('bounds a runaway continuation', () => {
    const lines = ['[    1.000000] start', ...Array.from({ length: 500 }, (_, i) => `   cont ${i}`)];
    const run = runParser(dmesg, lines.join('\n'), 'dmesg');
    expect(run.events).toHaveLength(1);
    expect(run.events[0].endLine).toBe(501);
    expect(run.events[0].message!.split('\n').length).toBeLessThanOrEqual(101);
  });
});
