import { describe, expect, it } from 'vitest';
import audit, { parseRecord } from './audit.js';
import containerLog from '../container-log/container-log.js';
import { probeFor, realSample, runParser } from '../testing.js';

describe('audit: SELinux denials next to the dockerd error (real sample)', () => {
  const text = realSample('kubelet/selinux-error-setting-label-dockerd.txt');
  const run = runParser(audit, text, 'nodes/10.200.0.4/var/log/audit/audit.log');

  it('reads both AVC denials with their contexts, class and time', () => {
    const avcs = run.events.filter((e) => e.kind === 'audit.avc');
    expect(avcs).toHaveLength(2);
    expect(avcs[0]).toMatchObject({
      source: 'audit', severity: 'warning', time: 1626732057636, line: 1,
      fields: {
        type: 'AVC', serial: 4583, result: 'denied', permissions: 'associate', pid: 57450, comm: 'dockerd', name: '/', dev: 'tmpfs',
        ino: 150014, scontext: 'system_u:object_r:container_file_t:s0:c263,c914', tcontext: 'system_u:object_r:lib_t:s0',
        tclass: 'filesystem', permissive: false,
      },
    });
    expect(avcs[0].message).toMatch(/^avc: denied \{ associate \} for pid=57450 comm="dockerd"/);
    expect(avcs[1].fields).toMatchObject({ tcontext: 'system_u:object_r:locale_t:s0', serial: 9434 });
  });

  it('keeps the quoted dockerd logrus line as a log event instead of dropping it', () => {
    const log = run.events.find((e) => e.kind === 'log');
    expect(log).toMatchObject({ severity: 'error', line: 6, fields: { level: 'error', format: 'logfmt' } });
    expect(log?.message).toMatch(/error setting label on mount source '.*': failed to set file label on .*: permission denied$/);
    expect(run.warnings).toEqual([]);
  });

  it('wins detection over the container-log parser', () => {
    const p = probeFor('nodes/10.200.0.4/var/log/audit/audit.log', text);
    expect(audit.detect(p)).toBe(1);
    expect(audit.detect(probeFor('issue.txt', text))).toBe(0.8);
    expect(audit.detect(p)).toBeGreaterThan(containerLog.detect(p));
  });
});

describe('audit: other records and formats', () => {
  it('reads SYSCALL and PROCTITLE records as audit.record with their key/values', () => {
    const text = [
      'type=SYSCALL msg=audit(1626732057.636:4583): arch=c000003e syscall=165 success=no exit=-13 a0=c000aa2a40 ppid=1 pid=57450 auid=4294967295 comm="dockerd" exe="/usr/bin/dockerd" subj=system_u:system_r:container_runtime_t:s0 key=(null)',
      "type=USER_AUTH msg=audit(1626732060.001:4590): pid=1234 uid=0 auid=1000 ses=3 msg='op=PAM:authentication grantors=? acct=\"root\" exe=\"/usr/bin/sudo\" res=failed'",
      'node=host1 type=AVC msg=audit(1626732061.5:4591): avc:  granted  { read write } for  pid=1 comm="systemd" path="/run/x" tclass=file',
    ].join('\n');
    const run = runParser(audit, text, 'audit.log');
    expect(run.events[0]).toMatchObject({ kind: 'audit.record', severity: 'warning', time: 1626732057636, fields: { type: 'SYSCALL', success: 'no', exit: -13, comm: 'dockerd', exe: '/usr/bin/dockerd', syscall: 165 } });
    expect(run.events[0].fields.raw).toMatch(/^arch=c000003e/);
    expect(run.events[1].fields).toMatchObject({ type: 'USER_AUTH', pid: 1234, msg: expect.stringContaining('res=failed') });
    expect(run.events[2]).toMatchObject({ kind: 'audit.avc', severity: 'info', time: 1626732061500, fields: { result: 'granted', permissions: 'read write', auditNode: 'host1', path: '/run/x' } });
    expect(run.events[2].fields.permissive).toBeUndefined();
  });

  it('reads ausearch -i output and the kernel form of AVC lines', () => {
    const i = parseRecord('type=AVC msg=audit(07/19/2021 22:00:57.636:4583) : avc:  denied  { associate } for  pid=57450 comm=dockerd name=/ tclass=filesystem permissive=0');
    expect(i).toMatchObject({ type: 'AVC', serial: 4583, time: Date.UTC(2021, 6, 19, 22, 0, 57, 636) });
    const k = parseRecord('[ 1234.5678] audit: type=1400 audit(1626732057.636:4583): avc:  denied  { associate } for  pid=57450 comm="dockerd"');
    expect(k).toMatchObject({ type: 'AVC', serial: 4583, time: 1626732057636 });
    const run = runParser(audit, '----\ntime->Mon Jul 19 22:00:57 2021\ntype=AVC msg=audit(07/19/2021 22:00:57.636:4583) : avc:  denied  { associate } for  pid=57450 comm=dockerd name=/ tclass=filesystem permissive=1\n', 'ausearch -m avc -i');
    expect(run.events).toHaveLength(1);
    expect(run.events[0].fields).toMatchObject({ comm: 'dockerd', permissive: true, tclass: 'filesystem' });
  });

  it('warns on lines it cannot read, binary included, and keeps going', () => {
    const run = runParser(audit, 'garbage line\n\u0000\u00ff\u0001\ntype=AVC msg=audit(1.2:3): avc:  denied  { x } for  pid=1\ntype=AVC msg=audit(broken\n', 'audit.log');
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['audit.unknown-line', 1], ['audit.unknown-line', 2], ['audit.unknown-line', 4]]);
    expect(run.events).toHaveLength(1);
    expect(run.events[0].time).toBe(1200);
  });
});

describe('selinux status', () => {
  it('reads sestatus into an event and the selinux.mode fact', () => {
    const text = [
      'SELinux status:                 enabled',
      'SELinuxfs mount:                /sys/fs/selinux',
      'SELinux root directory:         /etc/selinux',
      'Loaded policy name:             targeted',
      'Current mode:                   enforcing',
      'Mode from config file:          enforcing',
      'Policy MLS status:              enabled',
      'Policy deny_unknown status:     allowed',
      'Memory protection checking:     actual (secure)',
      'Max kernel policy version:      31',
    ].join('\n');
    const run = runParser(audit, text, 'nodes/10.200.0.4/sestatus');
    expect(run.warnings).toEqual([]);
    expect(run.events).toEqual([expect.objectContaining({ kind: 'selinux.status', source: 'selinux', fields: { status: 'enabled', policy: 'targeted', mode: 'enforcing', configMode: 'enforcing' } })]);
    expect(run.facts).toEqual([{ name: 'selinux.mode', value: 'enforcing', line: 1, node: undefined }]);
    expect(audit.detect(probeFor('nodes/10.200.0.4/sestatus', text))).toBe(1);
    expect(audit.detect(probeFor('x', text))).toBe(0.8);
  });

  it('reads getenforce, a disabled sestatus and /etc/selinux/config', () => {
    expect(runParser(audit, 'Permissive\n', 'getenforce').facts.map((f) => f.value)).toEqual(['permissive']);
    expect(runParser(audit, 'SELinux status:                 disabled\n', 'sestatus').facts.map((f) => f.value)).toEqual(['disabled']);
    const cfg = runParser(audit, '# This file controls the state of SELinux on the system.\nSELINUX=enforcing\nSELINUXTYPE=targeted\n', 'etc/selinux/config');
    expect(cfg.facts).toEqual([]);
    expect(cfg.events[0].fields).toEqual({ configMode: 'enforcing', policy: 'targeted' });
    expect(audit.detect(probeFor('getenforce', 'Enforcing\n'))).toBe(1);
    expect(audit.detect(probeFor('notes.txt', 'Enforcing\n'))).toBe(0);
  });
});
