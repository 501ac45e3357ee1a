/**
 * Runs bundle analyses on worker threads (one bundle per worker at a time), or in-process when
 * one job is asked for. Results arrive in completion order through a callback, so records can
 * be written as each bundle finishes.
 */
import { Worker } from 'node:worker_threads';
import { analyzeBundle, type BundleReport } from '../analyze.js';
import type { Signature } from '../dsl/ast.js';
import type { CompiledClause } from '../match/compile.js';
import { compileSignatures } from '../match/compile.js';
import { errorText } from '../ingest/walk.js';
import type { WorkerReply, WorkerSetup, WorkerTask } from './worker.js';

export interface Job {
  input: string;
  only?: string[];
}

export type JobResult = { job: Job; report: BundleReport; durationMs: number } | { job: Job; error: string; durationMs: number };

export interface PoolOptions extends WorkerSetup {
  jobs: number;
  /** The catalog already loaded in this process (used when jobs == 1). */
  signatures: readonly Signature[];
  compiled: CompiledClause[];
}

export async function runJobs(jobs: Job[], opts: PoolOptions, onResult: (r: JobResult) => void | Promise<void>): Promise<void> {
  if (opts.jobs <= 1 || jobs.length <= 1) {
    for (const job of jobs) {
      const started = performance.now();
      try {
        const signatures = job.only ? opts.signatures.filter((s) => job.only!.includes(s.id)) : opts.signatures;
        const compiled = job.only ? compileSignatures(signatures) : opts.compiled;
        const report = await analyzeBundle(job.input, { signatures, compiled, filter: opts.filter, limits: opts.limits, maxLineBytes: opts.maxLineBytes });
        await onResult({ job, report, durationMs: performance.now() - started });
      } catch (e) {
        await onResult({ job, error: errorText(e), durationMs: performance.now() - started });
      }
    }
    return;
  }
  const workerUrl = new URL('./worker.js', import.meta.url);
  const count = Math.min(opts.jobs, jobs.length);
  let next = 0;
  let pending = Promise.resolve();
  await Promise.all(Array.from({ length: count }, () => new Promise<void>((resolve, reject) => {
    const w = new Worker(workerUrl, { workerData: { signatureDirs: opts.signatureDirs, catalogOnly: opts.catalogOnly, filter: opts.filter, limits: opts.limits, maxLineBytes: opts.maxLineBytes } satisfies WorkerSetup });
    let current: { id: number; job: Job } | undefined;
    const feed = () => {
      if (next >= jobs.length) { current = undefined; void w.terminate().then(() => resolve()); return; }
      const id = next++;
      current = { id, job: jobs[id] };
      w.postMessage({ id, input: jobs[id].input, only: jobs[id].only } satisfies WorkerTask);
    };
    w.on('message', (reply: WorkerReply) => {
      const job = jobs[reply.id];
      const result: JobResult = 'error' in reply
        ? { job, error: reply.error, durationMs: reply.durationMs }
        : { job, report: reply.report as BundleReport, durationMs: reply.durationMs };
      // Serialize callbacks: records are appended in completion order, one at a time.
      pending = pending.then(() => onResult(result));
      void pending.then(feed, reject);
    });
    w.on('error', (e) => {
      // A crashed worker fails only its bundle; a fresh worker takes the rest.
      if (current) pending = pending.then(() => onResult({ job: current!.job, error: `worker crashed: ${errorText(e)}`, durationMs: 0 }));
      reject(e);
    });
    feed();
  })));
  await pending;
}
