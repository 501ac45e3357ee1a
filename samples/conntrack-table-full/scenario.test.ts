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

describe('conntrack-table-full samples', () => {
  it('positive: one node logs table full and its count equals its maximum', () => {
    const spec = scenario.positive();
    expect(files(spec, '/dmesg').filter((d) => d.includes('nf_conntrack: nf_conntrack: table full, dropping packet'))).toHaveLength(1);
    const counts = files(spec, '/conntrack --count').map((s) => s.trim());
    const maxes = files(spec, '/nf_conntrack_max').map((s) => s.trim());
    expect(counts.filter((n, i) => n === maxes[i])).toHaveLength(1);
  });

  it('negative: no table-full line, only the expectation table and module banners', () => {
    const dmesg = files(scenario.negative(), '/dmesg');
    expect(dmesg.some((d) => d.includes('table full, dropping packet'))).toBe(false);
    expect(dmesg.some((d) => d.includes('nf_conntrack: expectation table full'))).toBe(true);
  });
});
