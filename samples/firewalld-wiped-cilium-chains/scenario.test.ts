import { describe, expect, it } from 'vitest';
import type { BundleSpec, Content } from '../lib/bundle.js';
import scenario from './scenario.js';

function text(c: Content): string {
  if (typeof c === 'string') return c;
  if (typeof c === 'function') return [...c()].join('\n');
  throw new Error('nested bundle');
}

function files(spec: BundleSpec, suffix: string): string[] {
  return spec.entries.filter((e) => e.path.endsWith(suffix)).map((e) => text(e.content));
}

describe('firewalld-wiped-cilium-chains samples', () => {
  it('positive: one node reloaded firewalld and lost its CILIUM_ chains, the others kept them', () => {
    const spec = scenario.positive();
    const saves = files(spec, '/iptables-save');
    expect(saves.filter((s) => !s.includes(':CILIUM_')).length).toBe(1);
    expect(saves.every((s) => s.includes(':IN_public_allow'))).toBe(true);
    expect(files(spec, 'journalctl_--utc_-u_firewalld').some((j) => j.includes('Reloaded firewalld'))).toBe(true);
  });

  it('negative: firewalld restarted before anetd, every node keeps its CILIUM_ chains', () => {
    const spec = scenario.negative();
    expect(files(spec, '/iptables-save').every((s) => s.includes(':CILIUM_INPUT'))).toBe(true);
    expect(files(spec, 'journalctl_--utc_-u_firewalld').some((j) => j.includes('Stopping firewalld'))).toBe(true);
  });
});
