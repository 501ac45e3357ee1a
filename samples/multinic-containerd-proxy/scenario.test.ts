import { describe, expect, it } from 'vitest';
import type { BundleSpec, Content } from '../lib/bundle.js';
import scenario from './scenario.js';

function text(c: Content): string {
  if (typeof c === 'string') return c;
  if (typeof c === 'function') return [...c()].join('\n');
  throw new Error('nested bundle');
}

const config = (spec: BundleSpec): string => text(spec.entries.find((e) => /bmctl-workspace\/([^/]+)\/\1\.yaml$/.test(e.path))!.content);
const noProxy = (yaml: string): string => /noProxy:\n((?: {4}- .*\n)+)/.exec(yaml)![1];

describe('multinic-containerd-proxy samples', () => {
  it('both configs combine containerd, multi-NIC pods and a proxy', () => {
    for (const spec of [scenario.positive(), scenario.negative()]) {
      const yaml = config(spec);
      expect(yaml).toContain('containerRuntime: containerd');
      expect(yaml).toContain('multipleNetworkInterfaces: true');
      expect(yaml).toMatch(/proxy:\n {4}url: http:\/\//);
    }
  });

  it('only the positive leaves the Service CIDR out of noProxy, and only it fails sandboxes', () => {
    const pos = scenario.positive();
    const neg = scenario.negative();
    expect(noProxy(config(pos))).not.toContain('10.96.0.0/20');
    expect(noProxy(config(neg))).toContain('10.96.0.0/20');
    const journals = (s: BundleSpec): string => s.entries.filter((e) => e.path.endsWith('journalctl --utc -u kubelet')).map((e) => text(e.content)).join('\n');
    expect(journals(pos)).toContain('Multus: [');
    expect(journals(neg)).not.toContain('Multus');
  });
});
