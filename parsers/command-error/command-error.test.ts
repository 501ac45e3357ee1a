import { describe, expect, it } from 'vitest';
import commandError, { parseCommandError } from './command-error.js';
import { probeFor, runParser } from '../testing.js';

describe('command error lines', () => {
  it('recognises missing commands behind shell and sudo prefixes', () => {
    expect(parseCommandError('crictl: command not found')).toMatchObject({ reason: 'not-found', program: 'crictl' });
    expect(parseCommandError('sudo: crictl: command not found')).toMatchObject({ reason: 'not-found', program: 'crictl' });
    expect(parseCommandError('bash: docker: command not found')).toMatchObject({ reason: 'not-found', program: 'docker' });
    expect(parseCommandError('bash: line 1: ipvsadm: command not found')).toMatchObject({ reason: 'not-found', program: 'ipvsadm' });
    expect(parseCommandError('sh: 1: conntrack: not found')).toMatchObject({ reason: 'not-found', program: 'conntrack' });
    expect(parseCommandError('/bin/sh: /usr/local/bin/crictl: not found')).toMatchObject({ reason: 'not-found', program: 'crictl' });
    expect(parseCommandError('exec: "crictl": executable file not found in $PATH')).toMatchObject({ reason: 'not-found', program: 'crictl' });
  });
  it('recognises permission and daemon errors', () => {
    expect(parseCommandError('Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/json?all=1": dial unix /var/run/docker.sock: connect: permission denied'))
      .toMatchObject({ reason: 'permission-denied', program: 'docker' });
    expect(parseCommandError('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?')).toMatchObject({ reason: 'unreachable', program: 'docker' });
    expect(parseCommandError('dmesg: read kernel buffer failed: Operation not permitted')).toMatchObject({ reason: 'permission-denied', program: 'dmesg' });
    expect(parseCommandError("iptables v1.8.4 (legacy): can't initialize iptables table `filter': Permission denied (you must be root)")).toMatchObject({ reason: 'permission-denied', program: 'iptables' });
    expect(parseCommandError("Can't initialize ipvs: Permission denied (you must be root?)")).toMatchObject({ reason: 'permission-denied', program: 'ipvs' });
    expect(parseCommandError('/bin/sh: /tmp/disks_check.sh: Permission denied')).toMatchObject({ reason: 'permission-denied', program: 'disks_check.sh' });
    expect(parseCommandError('The connection to the server localhost:8080 was refused - did you specify the right host or port?')).toMatchObject({ reason: 'unreachable', program: 'kubectl' });
    expect(parseCommandError('sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper')).toMatchObject({ reason: 'sudo' });
    expect(parseCommandError('cat: /proc/sys/net/netfilter/nf_conntrack_max: No such file or directory')).toMatchObject({ reason: 'no-such-file', program: 'cat' });
  });
  it('leaves ordinary output alone', () => {
    expect(parseCommandError('nf_conntrack: table full, dropping packet')).toBeUndefined();
    expect(parseCommandError('net.ipv4.ip_forward = 1')).toBeUndefined();
    expect(parseCommandError('Active: inactive (dead)')).toBeUndefined();
  });
});

describe('command-error parser', () => {
  it('claims a small file that holds only errors, with a score above any name-only or content-only guess', () => {
    expect(commandError.detect(probeFor('nodes/10.200.0.3/crictl_ps_-a_||_true', 'sudo: crictl: command not found\n'))).toBe(0.95);
    expect(commandError.detect(probeFor('nodes/n/iptables-save', "iptables-save v1.8.4 (legacy): Cannot initialize: Permission denied (you must be root)\nPerhaps iptables or your kernel needs to be upgraded.\n"))).toBe(0.95);
  });
  it('declines a file with real output, or too long to be an error', () => {
    expect(commandError.detect(probeFor('nodes/n/docker ps -a', 'CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS   PORTS   NAMES\nbash: docker: command not found\n'))).toBe(0);
    expect(commandError.detect(probeFor('nodes/n/x', 'bash: docker: command not found\n'.repeat(100)))).toBe(0);
    expect(commandError.detect(probeFor('nodes/n/x', ''))).toBe(0);
  });
  it('emits command.error with the normalised command name', () => {
    const run = runParser(commandError, 'sudo: crictl: command not found\n', 'nodes/10.200.0.3/crictl_ps_-a_||_true');
    expect(run.events).toEqual([{
      source: 'snapshot', kind: 'command.error', severity: 'warning', message: 'sudo: crictl: command not found', line: 1, text: 'sudo: crictl: command not found',
      fields: { command: 'crictl ps -a || true', error: 'sudo: crictl: command not found', reason: 'not-found', program: 'crictl' },
    }]);
  });
  it('skips companion lines and warns on anything else, binary included', () => {
    const run = runParser(commandError, 'bash: docker: command not found\nexit status 127\nunexpected\n\x00\x01\x02', 'docker ps -a');
    expect(run.events).toHaveLength(1);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['command-error.unknown-line', 3], ['command-error.binary', 4]]);
  });
});
