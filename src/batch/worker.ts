/**
 * A batch worker thread: loads and compiles the catalog once, then runs the jobs the pool sends
 * it (src/batch/job.ts), one at a time, and posts back each result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EventFilter } from '../analyze.js';
import { loadSignatureDirs } from '../dsl/load.js';
import { compileSignatures } from '../match/compile.js';
import type { IngestLimits } from '../ingest/walk.js';
import { signatureHashes } from './hash.js';
import { runJob, type Job, type JobResult } from './job.js';

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
  job: Job;
}

/** The job's result without the job itself, which the pool still holds. */
export interface WorkerReply {
  id: number;
  result: Omit<JobResult, 'job'>;
}
/** Sent once the catalog is loaded: a worker that dies before it could not start at all. */
export interface WorkerReady { ready: true }

const setup = workerData as WorkerSetup;
const loaded = (await loadSignatureDirs(setup.signatureDirs)).signatures;
const catalog = setup.catalogOnly?.length ? loaded.filter((s) => setup.catalogOnly!.includes(s.id)) : loaded;
const jobCatalog = {
  signatures: catalog,
  compiled: compileSignatures(catalog),
  signatureHashes: signatureHashes(catalog),
  filter: setup.filter,
  limits: setup.limits,
  maxLineBytes: setup.maxLineBytes,
};

parentPort!.postMessage({ ready: true } satisfies WorkerReady);

parentPort!.on('message', async (task: WorkerTask) => {
  const { job: _job, ...result } = await runJob(task.job, jobCatalog);
  parentPort!.postMessage({ id: task.id, result } satisfies WorkerReply);
});
