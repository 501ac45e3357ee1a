/**
 * One bundle of a batch, from its path to its outcome, the same on a worker thread and in the
 * main thread: hash the bundle when records or --resume need it, reuse the earlier run's result
 * when neither the bundle nor the signatures changed, re-run only the signatures that changed,
 * else analyze it whole. Hashing here, not up front, lets the workers hash in parallel and the
 * first records appear while later bundles are still being read.
 */
import { analyzeBundle, type BundleReport, type EventFilter } from '../analyze.js';
import type { Signature } from '../dsl/ast.js';
import { compileSignatures, type CompiledClause } from '../match/compile.js';
import { errorText, type IngestLimits } from '../ingest/walk.js';
import { contentHash } from './hash.js';

export interface Job {
  input: string;
  /** Hash the bundle's content (records and --resume need it). */
  hash?: boolean;
  /** What an earlier run recorded for this path: its content hash and signature hashes. */
  previous?: { hash?: string; signatures: Record<string, string> };
}

export interface JobContent {
  hash?: string;
  size?: number;
}

export type JobResult = { job: Job; durationMs: number; content?: JobContent } & (
  /** Analyzed; `only` names the signatures re-run when the rest were reused. */
  | { report: BundleReport; only?: string[] }
  /** Same content and signatures as the earlier run: its record stands. */
  | { unchanged: true }
  | { error: string }
);

export interface JobCatalog {
  signatures: readonly Signature[];
  compiled: CompiledClause[];
  /** Hash of each signature of the catalog, as records carry them. */
  signatureHashes: Record<string, string>;
  filter?: EventFilter;
  limits?: IngestLimits;
  maxLineBytes?: number;
}

export async function runJob(job: Job, catalog: JobCatalog): Promise<JobResult> {
  const started = performance.now();
  let content: JobContent | undefined;
  try {
    if (job.hash) {
      try { content = await contentHash(job.input); } catch { content = undefined; }
    }
    let only: string[] | undefined;
    if (job.previous && content?.hash && job.previous.hash === content.hash) {
      const before = job.previous.signatures;
      only = Object.keys(catalog.signatureHashes).filter((id) => before[id] !== catalog.signatureHashes[id]);
      if (only.length === 0) return { job, content, unchanged: true, durationMs: performance.now() - started };
    }
    const signatures = only ? catalog.signatures.filter((s) => only!.includes(s.id)) : catalog.signatures;
    const compiled = only ? compileSignatures(signatures) : catalog.compiled;
    const report = await analyzeBundle(job.input, { signatures, compiled, filter: catalog.filter, limits: catalog.limits, maxLineBytes: catalog.maxLineBytes });
    return { job, content, report, only, durationMs: performance.now() - started };
  } catch (e) {
    return { job, content, error: errorText(e), durationMs: performance.now() - started };
  }
}
