/**
 * Runs every signature against its samples: `samples/<id>/positive*` must produce a confirmed
 * finding for that id, `samples/<id>/negative*` must not produce a confirmed or possible one.
 * A sample is a built bundle (`positive.tar.gz`) or a folder (`positive/`); several are
 * allowed (`positive-2.tar.gz`). A signature without both kinds of sample fails.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Signature } from './dsl/ast.js';
import { analyzeBundle } from './analyze.js';
import { compileSignatures } from './match/compile.js';
import type { Confidence } from './model/finding.js';

export const SAMPLES_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), /\/dist\//.test(import.meta.url) ? '../../samples' : '../samples');

export interface SampleResult {
  id: string;
  sample: string;
  expect: 'fires' | 'silent';
  pass: boolean;
  /** What the signature produced on this sample. */
  got?: Confidence;
  /** Top finding of the sample, for context when it fails. */
  top?: string;
  message: string;
}

export function samplesOf(id: string, dir = SAMPLES_DIR): { positive: string[]; negative: string[] } {
  const base = join(dir, id);
  if (!existsSync(base)) return { positive: [], negative: [] };
  const entries = readdirSync(base).sort();
  const pick = (kind: string) => entries.filter((e) => e === kind || new RegExp(`^${kind}(-[\\w-]+)?(\\.tar\\.gz|\\.tgz|\\.tar)?$`).test(e)).map((e) => join(base, e));
  return { positive: pick('positive'), negative: pick('negative') };
}

export async function checkSamples(catalog: readonly Signature[], ids: readonly string[], dir = SAMPLES_DIR): Promise<SampleResult[]> {
  const compiled = compileSignatures(catalog);
  const results: SampleResult[] = [];
  for (const id of ids) {
    const { positive, negative } = samplesOf(id, dir);
    if (positive.length === 0) results.push({ id, sample: join(dir, id, 'positive'), expect: 'fires', pass: false, message: 'no positive sample' });
    if (negative.length === 0) results.push({ id, sample: join(dir, id, 'negative'), expect: 'silent', pass: false, message: 'no negative sample' });
    for (const [expect, list] of [['fires', positive], ['silent', negative]] as const) {
      for (const sample of list) {
        const report = await analyzeBundle(sample, { signatures: catalog, compiled });
        const f = report.findings.find((x) => x.id === id);
        const got = f?.confidence;
        const top = report.findings.find((x) => x.confidence !== 'benign' && x.confidence !== 'ruled-out')?.id;
        const sig = catalog.find((s) => s.id === id);
        const wanted: Confidence = sig?.kind === 'benign' ? 'benign' : sig?.kind === 'advisory' ? 'advisory' : 'confirmed';
        const pass = expect === 'fires' ? got === wanted : got !== 'confirmed' && got !== 'possible' && got !== 'advisory' && (sig?.kind !== 'benign' || got !== 'benign');
        const message = pass ? 'ok' : expect === 'fires' ? `expected ${wanted}, got ${got ?? 'nothing'}` : `expected silence, got ${got}`;
        results.push({ id, sample, expect, pass, got, top, message });
      }
    }
  }
  return results;
}
