import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ansible, { splitBanner } from './ansible.js';
import { probeFor, realSample, runParser } from '../testing.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

describe('ansible: real samples', () => {
  it('reads a handler banner, the profile_tasks time and interleaved retry counters from two hosts', () => {
    const run = runParser(ansible, realSample('ansible/failed-retrying-kubespray-handler.txt'), 'kubespray.log');
    const [banner, ...retries] = run.events;
    expect(banner).toMatchObject({
      kind: 'ansible.task',
      fields: { role: 'kubernetes/master', task: 'Master | wait for the apiserver to be running', handler: true, status: 'started' },
    });
    expect(retries).toHaveLength(13);
    expect(retries.every((e) => e.kind === 'ansible.retry' && e.fields.task === 'Master | wait for the apiserver to be running')).toBe(true);
    expect(retries.map((e) => e.fields.retriesLeft)).toEqual([20, 20, 19, 19, 18, 18, 17, 17, 16, 15, 16, 14, 15]);
    expect(retries[0].fields.role).toBe('kubernetes/master');
    expect(retries[0].fields.host).toBeUndefined();
    // Sunday 26 November 2017  05:54:46 -0700
    expect(retries[0].time).toBe(Date.UTC(2017, 10, 26, 12, 54, 46));
  });

  it('parses the fatal JSON after the last retry', () => {
    const run = runParser(ansible, realSample('ansible/failed-retrying-then-fatal.txt'), 'kubespray.log');
    expect(run.events.map((e) => e.kind)).toEqual(['ansible.retry', 'ansible.fatal']);
    expect(run.events[1]).toMatchObject({
      severity: 'error', line: 2,
      message: 'Status code was not [200]: Request failed: <urlopen error [Errno 111] Connection refused>',
      fields: { host: 'ache1', attempts: 20, status: -1, url: 'http://127.0.0.1:8080/healthz', unreachable: false },
    });
    expect(run.events[0].fields.retriesLeft).toBe(1);
    expect(run.warnings).toEqual([]);
  });

  it('reads host-prefixed retries of newer Ansible behind Jenkins clock prefixes', () => {
    const run = runParser(ansible, realSample('ansible/failed-retrying-host-prefixed-newer-ansible.txt'), 'jenkins-console.txt');
    expect(run.events[0]).toMatchObject({ kind: 'ansible.retry', fields: { host: 'scylla-stage-us-central1-c-1', task: 'check API access', retriesLeft: 1 } });
    expect(run.events[1]).toMatchObject({
      kind: 'ansible.fatal', line: 3,
      fields: { host: 'scylla-stage-us-central1-a-1', attempts: 30, status: 404, msg: 'Status code was 404 and not [200]: HTTP Error 404: Not Found' },
    });
  });
});

describe('ansible: cal-update Check apiserver health', () => {
  const run = runParser(ansible, fixture('cal-update-check-apiserver-health.log'), 'logs/bm-system-cal-update-x/ansible.log');

  it('ties retries to the banner task and role', () => {
    const retries = run.events.filter((e) => e.kind === 'ansible.retry');
    expect(retries.map((e) => e.fields.retriesLeft)).toEqual([30, 29, 2, 1]);
    expect(retries[0].fields).toMatchObject({ task: 'Check apiserver health', role: 'cal-update', play: 'Update control plane' });
    expect(retries[0].time).toBe(Date.UTC(2022, 0, 20, 13, 50, 46));
  });

  it('joins a hard-wrapped fatal JSON and puts stderr in the message', () => {
    const fatal = run.events.find((e) => e.kind === 'ansible.fatal');
    expect(fatal).toMatchObject({
      line: 13, endLine: 20,
      fields: { host: '10.50.116.79', task: 'Check apiserver health', role: 'cal-update', rc: 7, attempts: 30, msg: 'non-zero return code', cmd: 'curl -k https://127.0.0.1/healthz' },
    });
    expect(fatal?.fields.stderr).toMatch(/curl: \(7\) Failed to connect to 127\.0\.0\.1 port 443: Connection refused$/);
    expect(fatal?.message).toMatch(/^non-zero return code: .*Failed to connect to 127\.0\.0\.1 port 443/s);
    expect(run.warnings).toEqual([]);
  });

  it('reads PLAY RECAP rows as numbers', () => {
    const recap = run.events.filter((e) => e.kind === 'ansible.recap');
    expect(recap.map((e) => e.fields)).toEqual([
      { host: '10.50.116.79', ok: 12, changed: 3, unreachable: 0, failed: 1, skipped: 4, rescued: 0, ignored: 0, play: 'Update control plane' },
      { host: '10.50.116.80', ok: 16, changed: 5, unreachable: 0, failed: 0, skipped: 4, rescued: 0, ignored: 0, play: 'Update control plane' },
    ]);
    expect(recap[0].severity).toBe('error');
    expect(recap[1].severity).toBe('info');
  });
});

describe('ansible: results, bmctl lines, broken input', () => {
  it('reads host results, items, unreachable hosts, ignored failures and pretty-printed JSON', () => {
    const text = [
      'TASK [Gathering Facts] *********************************************************',
      'ok: [10.200.0.3]',
      'changed: [10.200.0.4] => (item=containerd)',
      'fatal: [10.200.0.5]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: Permission denied (publickey).", "unreachable": true}',
      'TASK [preflight : check docker service] ****************************************',
      'fatal: [10.200.0.3]: FAILED! => {',
      '    "changed": false,',
      '    "msg": "Docker service is not active",',
      '    "rc": 3',
      '}',
      '...ignoring',
      'fatal: [10.200.0.4]: FAILED! => {"msg": "never closed',
      'TASK [next] ****',
    ].join('\n');
    const run = runParser(ansible, text, 'ansible.log');
    const tasks = run.events.filter((e) => e.kind === 'ansible.task' && e.fields.status !== 'started');
    expect(tasks.map((e) => [e.fields.host, e.fields.status, e.fields.item])).toEqual([['10.200.0.3', 'ok', undefined], ['10.200.0.4', 'changed', 'containerd']]);
    const fatals = run.events.filter((e) => e.kind === 'ansible.fatal');
    expect(fatals[0].fields).toMatchObject({ host: '10.200.0.5', unreachable: true, task: 'Gathering Facts' });
    expect(fatals[1]).toMatchObject({ line: 6, endLine: 10, message: 'Docker service is not active', fields: { rc: 3, ignored: true, role: 'preflight' } });
    expect(fatals[2]).toMatchObject({ line: 12, message: 'never closed' });
    expect(run.warnings).toEqual([{ code: 'ansible.bad-json', line: 12, message: expect.any(String) }]);
    expect(run.events[run.events.length - 1].fields.task).toBe('next');
  });

  it('reads bmctl console lines with their time and errors', () => {
    const run = runParser(ansible, fixture('bmctl-upgrade-console.log'), 'bmctl-workspace/edge-1/log/upgrade-cluster-20210615-100000/upgrade-cluster.log');
    expect(run.events.map((e) => [e.source, e.kind, e.severity])).toEqual([
      ['bmctl', 'log', undefined], ['bmctl', 'log', undefined], ['bmctl', 'log', undefined], ['bmctl', 'log', 'error'], ['bmctl', 'log', undefined], ['bmctl', 'log', 'error'],
    ]);
    expect(run.events[2]).toMatchObject({ message: 'Waiting for upgrade to complete...', time: Date.UTC(2021, 5, 15, 10, 0, 5) });
    expect(run.events[5]).toMatchObject({ message: 'Error upgrading cluster: timed out waiting for the condition', time: Date.UTC(2021, 5, 15, 10, 31, 5) });
  });

  it('never throws on binary or truncated input', () => {
    const run = runParser(ansible, 'TASK [x] ***\n\u0000\u00ff\u0001 junk\nFAILED - RETRYING: x (3 retries left\nfatal: [h]: FAILED! => {"msg": "cut', 'a.log');
    expect(run.events.map((e) => e.kind)).toEqual(['ansible.task', 'ansible.fatal']);
    expect(run.warnings.map((w) => w.line)).toEqual([4]);
  });

  it('detects ansible and bmctl output', () => {
    expect(ansible.detect(probeFor('console.txt', realSample('ansible/failed-retrying-then-fatal.txt')))).toBe(0.8);
    expect(ansible.detect(probeFor('kubespray.log', realSample('ansible/failed-retrying-then-fatal.txt')))).toBe(1);
    expect(ansible.detect(probeFor('x.txt', realSample('ansible/failed-retrying-host-prefixed-newer-ansible.txt')))).toBe(0.8);
    expect(ansible.detect(probeFor('bmctl-workspace/c/log/upgrade-cluster-1/upgrade-cluster.log', fixture('bmctl-upgrade-console.log')))).toBe(1);
    expect(ansible.detect(probeFor('kube-proxy.log', realSample('kube-proxy/ipvs-graceful-termination.txt')))).toBe(0);
    expect(splitBanner('kubernetes/master : Master | wait')).toEqual({ role: 'kubernetes/master', task: 'Master | wait' });
  });
});
