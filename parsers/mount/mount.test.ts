import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import mount from './mount.js';
import { probeFor, runParser } from '../testing.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('mount output', () => {
  const run = runParser(mount, fixture('mount-ubuntu-cgroup1.txt'), 'nodes/10.200.0.3/mount');
  const at = (mp: string) => run.events.find((e) => e.fields.mountpoint === mp);
  it('emits one row per mount with flags', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(16);
    expect(at('/tmp')).toMatchObject({ line: 13, fields: { device: 'tmpfs', fstype: 'tmpfs', noexec: true, readonly: false, nosuid: true, origin: 'runtime' } });
    expect(at('/')?.fields).toMatchObject({ device: '/dev/sda2', fstype: 'ext4', options: 'rw,relatime', noexec: false });
    expect(at('/sys/fs/cgroup')?.fields.readonly).toBe(true);
  });
  it('keeps long option strings and NFS devices', () => {
    const nfs = run.events.find((e) => e.fields.fstype === 'nfs4');
    expect(nfs?.fields.device).toBe('10.200.0.50:/exports/rwx');
    expect(String(nfs?.fields.options)).toContain('hard,proto=tcp');
    expect(at('/sys/fs/cgroup/cpu,cpuacct')?.fields.fstype).toBe('cgroup');
  });
  it('records cgroup v1 for a hybrid host (cgroup2 only on /sys/fs/cgroup/unified)', () => {
    expect(run.facts).toEqual([{ name: 'cgroup.version', value: '1', line: 9, node: undefined }]);
  });
  it('is detected by name and content, and by content alone', () => {
    expect(mount.detect(probeFor('nodes/n/mount', fixture('mount-ubuntu-cgroup1.txt')))).toBe(1);
    expect(mount.detect(probeFor('nodes/n/filesystems.txt', fixture('mount-ubuntu-cgroup1.txt')))).toBe(0.8);
  });
});

describe('/proc/mounts, mountinfo and fstab', () => {
  it('reads /proc/mounts, decodes octal escapes and records cgroup v2', () => {
    const run = runParser(mount, fixture('proc-mounts-rhel8.txt'), 'nodes/n/proc/mounts');
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(7);
    expect(run.events[6].fields).toMatchObject({ device: '/dev/sdb1', mountpoint: '/mnt/local disks/disk1', readonly: true });
    expect(run.events[5].fields).toMatchObject({ mountpoint: '/tmp', noexec: false });
    expect(run.facts).toEqual([{ name: 'cgroup.version', value: '2', line: 3, node: undefined }]);
    expect(mount.detect(probeFor('nodes/n/proc/mounts', fixture('proc-mounts-rhel8.txt')))).toBe(1);
    expect(mount.detect(probeFor('nodes/n/unnamed', fixture('proc-mounts-rhel8.txt')))).toBe(0.8);
  });
  it('reads /proc/self/mountinfo rows', () => {
    const text = '25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw,seclabel\n36 25 0:31 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,seclabel,nsdelegate\n';
    const run = runParser(mount, text, 'nodes/n/proc/self/mountinfo');
    expect(run.events[1].fields).toMatchObject({ device: 'cgroup2', mountpoint: '/sys/fs/cgroup', fstype: 'cgroup2', noexec: true });
    expect(run.facts[0]?.value).toBe('2');
  });
  it('reads fstab as config and records no cgroup fact from it', () => {
    const run = runParser(mount, fixture('fstab-rhel8.txt'), 'nodes/n/etc/fstab');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => e.fields.mountpoint)).toEqual(['/', '/boot', 'none', '/tmp']);
    expect(run.events[3].fields).toMatchObject({ options: 'defaults,noexec,nosuid', noexec: true, origin: 'config' });
    expect(run.facts).toEqual([]);
  });
});

describe('mount on broken input', () => {
  it('warns on garbage, binary and a cut row with their line numbers', () => {
    const run = runParser(mount, 'proc on /proc type proc (rw)\nnot a mount\n\x00\x01\x02\x03\n/dev/sda1 on / type ext4 (rw,rela', 'mount');
    expect(run.events).toHaveLength(1);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['mount.bad-line', 2], ['mount.binary', 3], ['mount.bad-line', 4]]);
  });
  it('declines text that only looks like whitespace-separated columns', () => {
    expect(mount.detect(probeFor('nodes/n/df', 'Filesystem 1K-blocks Used Available\n/dev/sda2 41152736 9876543 29163648\n'))).toBe(0);
  });
});
