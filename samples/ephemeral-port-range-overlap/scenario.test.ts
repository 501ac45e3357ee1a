import { describe, expect, it } from 'vitest';
import type { BundleSpec, Content } from '../lib/bundle.js';
import scenario from './scenario.js';

function text(c: Content): string {
  if (typeof c === 'string') return c;
  if (typeof c === 'function') return [...c()].join('\n');
  throw new Error('nested bundle');
}

function sysctls(spec: BundleSpec): string[] {
  return spec.entries.filter((e) => e.path.endsWith('/sysctl_-a')).map((e) => text(e.content));
}

describe('ephemeral-port-range-overlap samples', () => {
  it('positive: one node runs 1024-65000 with nothing reserved, the others the kernel default', () => {
    const all = sysctls(scenario.positive());
    expect(all.filter((s) => s.includes('net.ipv4.ip_local_port_range = 1024\t65000')).length).toBe(1);
    expect(all.filter((s) => s.includes('net.ipv4.ip_local_port_range = 32768\t60999')).length).toBe(all.length - 1);
    expect(all.some((s) => /ip_local_reserved_ports = 30000-32767/.test(s))).toBe(false);
  });

  it('negative: the wide range comes with the NodePort range reserved', () => {
    const tuned = sysctls(scenario.negative()).filter((s) => s.includes('ip_local_port_range = 1024\t65000'));
    expect(tuned).toHaveLength(1);
    expect(tuned[0]).toContain('net.ipv4.ip_local_reserved_ports = 30000-32767');
  });
});
