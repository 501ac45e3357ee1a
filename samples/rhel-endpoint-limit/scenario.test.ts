import { describe, expect, it } from 'vitest';
import type { BundleSpec, Content } from '../lib/bundle.js';
import scenario from './scenario.js';

function text(c: Content): string {
  if (typeof c === 'string') return c;
  if (typeof c === 'function') return [...c()].join('\n');
  throw new Error('nested bundle');
}

/** Endpoints listed in `kubectl get endpointslices -A`: shown addresses plus `+ N more...`. */
function endpoints(spec: BundleSpec): number {
  const table = text(spec.entries.find((e) => e.path.endsWith('kubectl_get_endpointslices_-A'))!.content);
  let n = 0;
  for (const row of table.trim().split('\n').slice(1)) {
    const more = /\+ (\d+) more\.\.\./.exec(row);
    const shown = (/(\d+\.\d+\.\d+\.\d+(?:,\d+\.\d+\.\d+\.\d+)*)/.exec(row.split(/\s{2,}/)[4] ?? '')?.[1] ?? '').split(',').length;
    n += shown + (more ? Number(more[1]) : 0);
  }
  return n;
}

describe('rhel-endpoint-limit samples', () => {
  it('positive holds more than 100,000 endpoints, the negative well under it', () => {
    expect(endpoints(scenario.positive())).toBeGreaterThan(100_000);
    expect(endpoints(scenario.negative())).toBeLessThan(60_000);
  });
});
