import { describe, expect, it } from 'vitest';
import type { BundleSpec, Content } from '../lib/bundle.js';
import scenario from './scenario.js';

function text(c: Content): string {
  if (typeof c === 'string') return c;
  if (typeof c === 'function') return [...c()].join('\n');
  throw new Error('nested bundle');
}

const files = (spec: BundleSpec, test: (p: string) => boolean): string[] => spec.entries.filter((e) => test(e.path)).map((e) => text(e.content));

describe('kernel-too-old-bpf-nodeport samples', () => {
  it('positive: every anetd exits on the 4.15 kernel and is shown crash-looping', () => {
    const spec = scenario.positive();
    const anetd = files(spec, (p) => /\/anetd-[^/]+\/cilium-agent\.log$/.test(p));
    expect(anetd.length).toBeGreaterThan(0);
    for (const log of anetd) expect(log).toContain('level=fatal msg="Failed to configure kube-proxy replacement" error="BPF NodePort services needs kernel 4.17.0 or newer"');
    expect(files(spec, (p) => p.endsWith('/uname -a')).every((u) => u.includes(' 4.15.0-142-generic '))).toBe(true);
    expect(files(spec, (p) => p.endsWith('kube-system/kubectl get pods -o wide'))[0]).toMatch(/anetd-\S+\s+0\/1\s+CrashLoopBackOff/);
  });

  it('negative: 1.8.3 only warns and disables BPF NodePort', () => {
    const spec = scenario.negative();
    const anetd = files(spec, (p) => /\/anetd-[^/]+\/cilium-agent\.log$/.test(p)).join('\n');
    expect(anetd).toContain('BPF NodePort services needs kernel 4.17.0 or newer. Disabling BPF NodePort.');
    expect(anetd).not.toContain('level=fatal');
    expect(files(spec, (p) => p.endsWith('.yaml') && p.includes('bmctl-workspace'))[0]).toContain('anthosBareMetalVersion: 1.8.3');
  });
});
