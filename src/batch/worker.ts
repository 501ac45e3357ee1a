/**
 * A batch worker thread: loads and compiles the catalog once, then analyzes the bundles the
 * pool sends it, one at a time, and posts back each report.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeBundle, type EventFilter } from '../analyze.js';
import { loadSignatureDirs } from '../dsl/load.js';
import { compileSignatures } from '../match/compile.js';
import { errorText, type IngestLimits } from '../ingest/walk.js';

export interface WorkerSetup {
  signatureDirs: string[];
  /** `--only`: the catalog is limited to these ids. */
  catalogOnly?: string[];
  filter?: EventFilter;
  /** Ingest limits (`--max-depth`, `--max-bytes`, `--max-ratio`) and `--max-line-bytes`. */
  limits?: IngestLimits;
  maxLineBytes?: number;
}

export interface WorkerTask {
  id: number;
  input: string;
  /** Only these signatures (resume of changed ones, or --only); all when undefined. */
  only?: string[];
}

export type WorkerReply = { id: number; report: unknown; durationMs: number } | { id: number; error: string; durationMs: number };
/** Sent once the catalog is loaded: a worker that dies before it could not start at all. */
export interface WorkerReady { ready: true }

const setup = workerData as WorkerSetup;
const loaded = (await loadSignatureDirs(setup.signatureDirs)).signatures;
const catalog = setup.catalogOnly?.length ? loaded.filter((s) => setup.catalogOnly!.includes(s.id)) : loaded;
const compiledAll = compileSignatures(catalog);

parentPort!.postMessage({ ready: true } satisfies WorkerReady);

parentPort!.on('message', async (task: WorkerTask) => {
  const started = performance.now();
  try {
    const signatures = task.only ? catalog.filter((s) => task.only!.includes(s.id)) : catalog;
    const compiled = task.only ? compileSignatures(signatures) : compiledAll;
    const report = await analyzeBundle(task.input, { signatures, compiled, filter: setup.filter, limits: setup.limits, maxLineBytes: setup.maxLineBytes });
    parentPort!.postMessage({ id: task.id, report, durationMs: performance.now() - started } satisfies WorkerReply);
  } catch (e) {
    parentPort!.postMessage({ id: task.id, error: errorText(e), durationMs: performance.now() - started } satisfies WorkerReply);
  }
});
