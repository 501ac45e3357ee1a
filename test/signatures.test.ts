/**
 * Every shipped signature against its samples: the positive must produce a confirmed finding
 * (benign/advisory signatures: their own confidence), the near-miss negative must not.
 * Samples are built by `node dist/samples/build.js` (part of `npm test` and `npm install`).
 */
import { describe, expect, it } from 'vitest';
import { loadSignatureDirs } from '../src/dsl/load.js';
import { checkSamples, samplesOf } from '../src/sample-check.js';

const { signatures, diagnostics } = await loadSignatureDirs([]);

describe('shipped signatures', () => {
  it('all load without errors', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  for (const s of signatures) {
    it(`${s.id}: has samples, fires on its positive, stays silent on its negative`, async () => {
      const { positive, negative } = samplesOf(s.id);
      expect(positive.length, `samples/${s.id}/positive*`).toBeGreaterThan(0);
      expect(negative.length, `samples/${s.id}/negative*`).toBeGreaterThan(0);
      const results = await checkSamples(signatures, [s.id]);
      expect(results.filter((r) => !r.pass).map((r) => `${r.sample}: ${r.message}`)).toEqual([]);
    });
  }
});
