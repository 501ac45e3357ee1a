/**
 * Runs bundle analyses on worker threads (one bundle per worker at a time), or in-process when
 * one job is asked for. Results arrive in completion order through a callback, so records can
 * be written as each bundle finishes.
 */
import { Worker } from 'node:worker_threads';
import { errorText } from '../ingest/walk.js';
import { runJob, type Job, type JobCatalog, type JobResult } from './job.js';
import type { WorkerReady, WorkerReply, WorkerSetup, WorkerTask } from './worker.js';

export type { Job, JobResult } from './job.js';

export interface PoolOptions extends WorkerSetup, JobCatalog {
  jobs: number;
  /** The worker script (tests substitute their own). */
  workerUrl?: URL;
}

export async function runJobs(jobs: Job[], opts: PoolOptions, onResult: (r: JobResult) => void | Promise<void>): Promise<void> {
  if (opts.jobs <= 1 || jobs.length <= 1) {
    for (const job of jobs) await onResult(await runJob(job, opts));
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
        w.postMessage({ id, job: jobs[id] } satisfies WorkerTask);
      };
      w.on('message', (reply: WorkerReply | WorkerReady) => {
        if ('ready' in reply) { ready = true; feed(); return; }
        current = undefined;
        void report({ ...reply.result, job: jobs[reply.id] } as JobResult).then(feed, reject);
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
