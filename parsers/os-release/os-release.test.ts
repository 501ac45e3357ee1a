import { describe, expect, it } from 'vitest';
import osRelease, { unquote } from './os-release.js';
import { probeFor, runParser } from '../testing.js';

const UBUNTU = `NAME="Ubuntu"
VERSION="20.04.2 LTS (Focal Fossa)"
ID=ubuntu
ID_LIKE=debian
PRETTY_NAME="Ubuntu 20.04.2 LTS"
VERSION_ID="20.04"
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
VERSION_CODENAME=focal
UBUNTU_CODENAME=focal
`;

const RHEL = `NAME="Red Hat Enterprise Linux"
VERSION="8.4 (Ootpa)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="8.4"
PLATFORM_ID="platform:el8"
PRETTY_NAME="Red Hat Enterprise Linux 8.4 (Ootpa)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:redhat:enterprise_linux:8.4:GA"
`;

describe('os-release', () => {
  it('emits one event with the identity fields and records the OS facts', () => {
    const run = runParser(osRelease, UBUNTU, 'nodes/10.200.0.3/etc/os-release');
    expect(run.warnings).toEqual([]);
    expect(run.events).toEqual([expect.objectContaining({
      kind: 'os-release', line: 1, endLine: 12, message: 'Ubuntu 20.04.2 LTS',
      fields: { name: 'Ubuntu', version: '20.04.2 LTS (Focal Fossa)', id: 'ubuntu', idLike: 'debian', prettyName: 'Ubuntu 20.04.2 LTS', versionId: '20.04', origin: 'os-release' },
    })]);
    expect(run.facts).toEqual([
      { name: 'os.id', value: 'ubuntu', line: 3, node: undefined },
      { name: 'os.version', value: '20.04', line: 6, node: undefined },
      { name: 'os.name', value: 'Ubuntu', line: 1, node: undefined },
    ]);
  });
  it('unquotes quoted ids (RHEL)', () => {
    const run = runParser(osRelease, RHEL, 'nodes/n/_etc_os-release');
    expect(run.events[0].fields).toMatchObject({ id: 'rhel', versionId: '8.4', name: 'Red Hat Enterprise Linux' });
    expect(unquote('"a \\"b\\" \\$c"')).toBe('a "b" $c');
    expect(unquote("'single'")).toBe('single');
  });
  it('is detected by path and content, and by content alone', () => {
    expect(osRelease.detect(probeFor('nodes/n/etc/os-release', UBUNTU))).toBe(1);
    expect(osRelease.detect(probeFor('nodes/n/cat__etc_os-release', UBUNTU))).toBe(1);
    expect(osRelease.detect(probeFor('nodes/n/os.txt', RHEL))).toBe(0.8);
    expect(osRelease.detect(probeFor('nodes/n/env.txt', 'PATH=/usr/bin\nHOME=/root\n'))).toBe(0);
  });
});

describe('redhat-release style files', () => {
  it('reads the one line into the same event and facts', () => {
    const run = runParser(osRelease, 'CentOS Linux release 7.9.2009 (Core)\n', 'nodes/n/etc/centos-release');
    expect(run.events[0].fields).toEqual({ name: 'CentOS Linux', versionId: '7.9.2009', prettyName: 'CentOS Linux release 7.9.2009 (Core)', id: 'centos', origin: 'release-file' });
    expect(run.facts.map((f) => [f.name, f.value])).toEqual([['os.id', 'centos'], ['os.version', '7.9.2009'], ['os.name', 'CentOS Linux']]);
    expect(osRelease.detect(probeFor('nodes/n/etc/redhat-release', 'Red Hat Enterprise Linux release 8.4 (Ootpa)\n'))).toBe(1);
    expect(osRelease.detect(probeFor('nodes/n/release', 'Red Hat Enterprise Linux release 8.4 (Ootpa)\n'))).toBe(0);
  });
});

describe('os-release on broken input', () => {
  it('warns on garbage and binary lines and still emits what it read', () => {
    const run = runParser(osRelease, 'ID=ubuntu\nthis is not key value\n\x00\x01\x02\nVERSION_ID="20.0', 'etc/os-release');
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['os-release.bad-line', 2], ['os-release.binary', 3], ['os-release.cut-value', 4]]);
    expect(run.events[0].fields).toMatchObject({ id: 'ubuntu', versionId: '20.0' });
  });
  it('emits nothing for a file with no keys', () => {
    const run = runParser(osRelease, '# only a comment\n', 'etc/os-release');
    expect(run.events).toEqual([]);
    expect(run.facts).toEqual([]);
  });
});
