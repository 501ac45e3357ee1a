import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import systemctl from './systemctl.js';
import { probeFor, runParser } from '../testing.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('systemctl status -l kubelet', () => {
  const run = runParser(systemctl, fixture('systemctl-status-kubelet.txt'), 'nodes/10.200.0.3/systemctl_status_-l_kubelet', { mtime: Date.UTC(2024, 2, 5, 10) });
  it('reads the unit header into one event spanning the property lines', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events[0]).toMatchObject({
      source: 'systemd', kind: 'systemd.unit', line: 1, endLine: 11,
      fields: {
        unit: 'kubelet.service', description: 'kubelet: The Kubernetes Node Agent', loaded: 'loaded', unitFile: '/lib/systemd/system/kubelet.service',
        enabled: true, enabledState: 'enabled', vendorPreset: 'enabled', active: 'active', sub: 'running', since: 'Tue 2024-03-05 08:01:12 UTC', mainPid: 1450, mainStatus: 'kubelet',
      },
    });
  });
  it('turns the journal lines into log events of the unit, klog bodies included', () => {
    const logs = run.events.filter((e) => e.kind === 'log');
    expect(logs).toHaveLength(4);
    expect(logs[0]).toMatchObject({ source: 'systemd', line: 13, message: 'Started kubelet: The Kubernetes Node Agent.', fields: { host: 'node-1', ident: 'systemd', pid: 1 } });
    expect(logs[2]).toMatchObject({
      source: 'kubelet', severity: 'error', time: Date.UTC(2024, 2, 5, 9, 58, 41), message: 'Skipping pod synchronization',
      fields: { err: 'PLEG is not healthy: pleg was last seen active 3m0.79s ago; threshold is 3m0s', caller: 'kubelet.go:1870', pid: 1450 },
    });
  });
  it('records the kubelet version it logs at start-up', () => {
    expect(run.facts).toEqual([{ name: 'kubelet', value: 'v1.20.8-gke.1500', line: 14, node: undefined }]);
  });
  it('is detected by name and content, and by content alone', () => {
    expect(systemctl.detect(probeFor('nodes/n/systemctl_status_-l_kubelet', fixture('systemctl-status-kubelet.txt')))).toBe(1);
    expect(systemctl.detect(probeFor('nodes/n/kubelet-status.txt', fixture('systemctl-status-kubelet.txt')))).toBe(0.85);
    expect(systemctl.detect(probeFor('nodes/n/unit.txt', '● kubelet.service - kubelet\n   Active: active (running)\n'))).toBe(0.8);
  });
});

describe('systemctl status docker', () => {
  const run = runParser(systemctl, fixture('systemctl-status-docker.txt'), 'nodes/n/systemctl status docker');
  it('reads an inactive, disabled unit and its exited main process', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events[0].fields).toEqual({
      unit: 'docker.service', description: 'Docker Application Container Engine', loaded: 'loaded', unitFile: '/usr/lib/systemd/system/docker.service',
      enabled: false, enabledState: 'disabled', vendorPreset: 'disabled', active: 'inactive', sub: 'dead', since: 'Tue 2024-03-05 09:12:44 UTC',
      mainPid: 1234, mainStatus: 'code=exited, status=0/SUCCESS',
    });
  });
  it('takes logfmt levels as severities and names the source after the unit, as the journal parser does', () => {
    const logs = run.events.filter((e) => e.kind === 'log');
    expect(logs.map((e) => [e.source, e.severity])).toEqual([['dockerd', 'info'], ['dockerd', 'error'], ['systemd', undefined], ['systemd', undefined]]);
  });
});

describe('other unit states', () => {
  it('reads a failed unit with its result and newer `preset:` wording', () => {
    const text = '× containerd.service - containerd container runtime\n     Loaded: loaded (/lib/systemd/system/containerd.service; enabled; preset: enabled)\n     Active: failed (Result: exit-code) since Tue 2024-03-05 09:00:00 UTC; 5s ago\n   Main PID: 900 (code=exited, status=1/FAILURE)\n';
    const run = runParser(systemctl, text, 'systemctl status containerd');
    expect(run.events[0].fields).toMatchObject({ unit: 'containerd.service', active: 'failed', result: 'exit-code', vendorPreset: 'enabled', mainStatus: 'code=exited, status=1/FAILURE' });
    expect(run.events[0].fields.sub).toBeUndefined();
  });
  it('reads activating (auto-restart) with a result', () => {
    const text = '● kubelet.service - kubelet\n   Loaded: loaded (/etc/systemd/system/kubelet.service; enabled; vendor preset: disabled)\n   Active: activating (auto-restart) (Result: exit-code) since Tue 2024-03-05 09:00:00 UTC; 3s ago\n';
    expect(runParser(systemctl, text, 'systemctl status kubelet').events[0].fields).toMatchObject({ active: 'activating', sub: 'auto-restart', result: 'exit-code' });
  });
  it('reads a unit that could not be found, and a masked one', () => {
    const nf = runParser(systemctl, 'Unit docker.service could not be found.\n', 'nodes/n/systemctl status docker');
    expect(nf.events[0].fields).toEqual({ unit: 'docker.service', loaded: 'not-found', active: 'inactive' });
    expect(systemctl.detect(probeFor('nodes/n/systemctl status docker', 'Unit docker.service could not be found.\n'))).toBe(1);
    const masked = runParser(systemctl, '● firewalld.service\n   Loaded: masked (Reason: Unit firewalld.service is masked.)\n   Active: inactive (dead)\n', 'systemctl status firewalld');
    expect(masked.events[0].fields).toEqual({ unit: 'firewalld.service', loaded: 'masked', active: 'inactive', sub: 'dead' });
  });
  it('reads several units in one file and strips colour codes', () => {
    const text = '\x1b[0;1;32m●\x1b[0m kubelet.service - kubelet\n   Active: active (running) since Tue 2024-03-05 09:00:00 UTC; 1h ago\n\n● containerd.service - containerd container runtime\n   Active: active (running) since Tue 2024-03-05 08:00:00 UTC; 2h ago\n';
    const run = runParser(systemctl, text, 'systemctl status kubelet containerd');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => [e.fields.unit, e.fields.sub])).toEqual([['kubelet.service', 'running'], ['containerd.service', 'running']]);
  });
});

describe('systemctl on broken input', () => {
  it('warns on garbage before a unit and on binary, joins wrapped journal lines, survives a cut header', () => {
    const text = 'garbage first\n● kubelet.service - kubelet\n   Active: active (running) since Tue\n\nMar 05 08:01:13 node-1 kubelet[1450]: first\nwrapped continuation\n\x00\x01\x02\x03\n   Loaded: loaded (/lib/systemd/sys';
    const run = runParser(systemctl, text, 'systemctl status kubelet');
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['systemctl.bad-line', 1], ['systemctl.binary', 7]]);
    expect(run.events[0].fields).toMatchObject({ unit: 'kubelet.service', active: 'active', sub: 'running', since: 'Tue' });
    const log = run.events.find((e) => e.kind === 'log');
    expect(log).toMatchObject({ line: 5, endLine: 8, message: 'first\nwrapped continuation\n   Loaded: loaded (/lib/systemd/sys' });
  });
});
