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
import type { WorkerReady, WorkerReply, WorkerSetup, WorkerTask } from './worker.js';

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
  /** The worker script (tests substitute their own). */
  workerUrl?: URL;
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
  const workerUrl = opts.workerUrl ?? new URL('./worker.js', import.meta.url);
  const setup: WorkerSetup = { signatureDirs: opts.signatureDirs, catalogOnly: opts.catalogOnly, filter: opts.filter, limits: opts.limits, maxLineBytes: opts.maxLineBytes };
  let next = 0;
  // Serialize callbacks: records are appended in completion order, one at a time.
  let pending = Promise.resolve();
  const report = (result: JobResult) => { pending = pending.then(() => onResult(result)); return pending; };

  /** One lane of the pool: a worker taking jobs until none are left, replaced if it crashes. */
  const lane = () => new Promise<void>((resolve, reject) => {
    const start = () => {
      const w = new Worker(workerUrl, { workerData: setup });
      let current: { id: number; job: Job; started: number } | undefined;
      let finished = false;
      let ready = false;
      const feed = () => {
        if (next >= jobs.length) { current = undefined; finished = true; void w.terminate().then(() => resolve()); return; }
        const id = next++;
        current = { id, job: jobs[id], started: performance.now() };
        w.postMessage({ id, input: jobs[id].input, only: jobs[id].only } satisfies WorkerTask);
      };
      w.on('message', (reply: WorkerReply | WorkerReady) => {
        if ('ready' in reply) { ready = true; feed(); return; }
        const job = jobs[reply.id];
        current = undefined;
        void report('error' in reply
          ? { job, error: reply.error, durationMs: reply.durationMs }
          : { job, report: reply.report as BundleReport, durationMs: reply.durationMs }).then(feed, reject);
      });
      const crashed = (why: string) => {
        if (finished) return;
        finished = true;
        // A worker that dies before it is ready cannot start at all (a broken install).
        if (!ready) { reject(new Error(`batch worker failed to start: ${why}`)); return; }
        // The bundle it was reading fails alone; a fresh worker takes the rest.
        const lost = current;
        current = undefined;
        const recorded = lost ? report({ job: lost.job, error: `worker crashed: ${why}`, durationMs: performance.now() - lost.started }) : pending;
        void recorded.then(start, reject);
      };
      w.on('error', (e) => crashed(errorText(e)));
      w.on('exit', (code) => { if (code !== 0) crashed(`exited with code ${code}`); });
    };
    start();
  });

  await Promise.all(Array.from({ length: Math.min(opts.jobs, jobs.length) }, lane));
  await pending;
}
