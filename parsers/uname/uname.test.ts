import { describe, expect, it } from 'vitest';
import uname from './uname.js';
import { probeFor, runParser } from '../testing.js';

const UBUNTU = 'Linux node-1 5.4.0-77-generic #86-Ubuntu SMP Thu Jun 17 02:35:03 UTC 2021 x86_64 x86_64 x86_64 GNU/Linux\n';
const RHEL = 'Linux rhel8-node-2.example.internal 4.18.0-305.el8.x86_64 #1 SMP Thu Apr 29 08:54:30 EDT 2021 x86_64 x86_64 x86_64 GNU/Linux\n';

describe('uname -a', () => {
  it('reads kernel, host name, arch and build, and records the kernel fact', () => {
    const run = runParser(uname, UBUNTU, 'nodes/10.200.0.3/uname -a');
    expect(run.events).toEqual([expect.objectContaining({
      kind: 'uname', line: 1,
      fields: { kernel: '5.4.0-77-generic', hostname: 'node-1', arch: 'x86_64', build: '#86-Ubuntu SMP Thu Jun 17 02:35:03 UTC 2021', os: 'GNU/Linux' },
    })]);
    expect(run.facts).toEqual([{ name: 'kernel', value: '5.4.0-77-generic', line: 1, node: undefined }]);
  });
  it('reads a RHEL kernel whose release holds the arch', () => {
    const run = runParser(uname, RHEL, 'uname_-a');
    expect(run.events[0].fields).toMatchObject({ kernel: '4.18.0-305.el8.x86_64', hostname: 'rhel8-node-2.example.internal', arch: 'x86_64' });
  });
  it('reads an arm64 host with PREEMPT in the build and no OS column', () => {
    const run = runParser(uname, 'Linux edge-0 5.15.0-1034-raspi #37-Ubuntu SMP PREEMPT Mon Jun 5 10:35:41 UTC 2023 aarch64\n', 'uname -a');
    expect(run.events[0].fields).toMatchObject({ kernel: '5.15.0-1034-raspi', arch: 'aarch64', os: 'Linux' });
  });
  it('is detected by name and content, and by content alone', () => {
    expect(uname.detect(probeFor('nodes/n/uname_-a', UBUNTU))).toBe(1);
    expect(uname.detect(probeFor('nodes/n/host-info', UBUNTU))).toBe(0.8);
  });
});

describe('uname -r', () => {
  it('reads the release of a file named after the command', () => {
    const run = runParser(uname, '4.15.0-213-generic\n', 'nodes/n/uname_-r');
    expect(run.events[0].fields).toEqual({ kernel: '4.15.0-213-generic' });
    expect(run.facts[0]).toMatchObject({ name: 'kernel', value: '4.15.0-213-generic' });
  });
  it('claims a bare release only by name', () => {
    expect(uname.detect(probeFor('nodes/n/uname -r', '5.8.0-63-generic\n'))).toBe(1);
    expect(uname.detect(probeFor('nodes/n/kernel-version', '5.8.0-63-generic\n'))).toBe(0);
  });
});

describe('uname on broken input', () => {
  it('warns on garbage, binary and a cut line', () => {
    const run = runParser(uname, 'hello\n\x00\x01\x02\nLinux node-1 5.4.0-77-gen', 'uname -a');
    expect(run.events).toEqual([]);
    expect(run.facts).toEqual([]);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['uname.bad-line', 1], ['uname.binary', 2], ['uname.bad-line', 3]]);
  });
});
