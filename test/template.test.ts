import { describe, expect, it } from 'vitest';
import { ev, log, run, sig } from './helpers.js';

const T0 = Date.UTC(2024, 2, 5, 4, 0, 0);

const stale = sig(`signature stale
  title "t" kind issue severity high component kube-proxy references "r"
  evidence empty weight 3 from ipvs.service where realServers == 0
  evidence stuck weight 2 from log where source == "kube-proxy" and message ~ /Trying to delete rs: / count >= 3
  evidence progress from log where source == "kube-proxy" and message ~ /Deleting rs: /
  condition per node empty and stuck and not progress
  explanation """
    kube-proxy deadlocked. Here {empty.count} virtual service(s) have no real server.
    It repeated the delete attempt {stuck.count} times over {stuck.span} on {stuck.nodes}.
    No progress was logged ({progress.count} lines). Version 1.13.2 fixes it!
    """
  remediation """
    Restart kube-proxy on {stuck.nodes}.
    """
end`, 'stale.sig');

const vs = (node: string) => ev('ipvs.service', 'ipvsadm', { realServers: 0 }, { node });
const stuck = (node: string, n: number) =>
  Array.from({ length: n }, (_, i) => log('kube-proxy', `Trying to delete rs: 10.96.0.1:443/TCP/10.0.0.${i}:6443`, { node, time: T0 + i * 60_000 }));

describe('explanation templates', () => {
  it('fills every placeholder of a confirmed finding, absent clauses included', () => {
    const f = run([stale], [vs('n1'), ...stuck('n1', 4)]).findings[0];
    expect(f.confidence).toBe('confirmed');
    expect(f.explanation).toBe([
      'kube-proxy deadlocked. Here 1 virtual service(s) have no real server.',
      'It repeated the delete attempt 4 times over 3m on n1.',
      'No progress was logged (0 lines). Version 1.13.2 fixes it!',
    ].join('\n'));
    expect(f.remediation).toBe('Restart kube-proxy on n1.');
  });

  it('leaves out the sentences about evidence a possible finding lacks, keeping the rest word for word', () => {
    const f = run([stale], [vs('n1')]).findings[0];
    expect(f.confidence).toBe('possible');
    expect(f.explanation).toBe([
      'kube-proxy deadlocked. Here 1 virtual service(s) have no real server.',
      'No progress was logged (0 lines). Version 1.13.2 fixes it!',
    ].join('\n'));
    expect(f.explanation).not.toMatch(/unknown|no node named/);
    expect(f.remediation).toBe('Restart kube-proxy on no node named.');
  });

  it('leaves out a sentence about an absent clause that turned out present', () => {
    const events = [vs('n1'), ...stuck('n1', 4), log('kube-proxy', 'Deleting rs: 10.96.0.1:443/TCP/10.0.0.9:6443', { node: 'n1', time: T0 })];
    const f = run([stale], events).findings[0];
    expect(f.confidence).toBe('possible');
    expect(f.explanation).not.toContain('No progress was logged');
    expect(f.explanation).toContain('It repeated the delete attempt 4 times');
  });
});
