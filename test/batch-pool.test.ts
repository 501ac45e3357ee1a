import { describe, expect, it } from 'vitest';
import { runJobs, type JobResult } from '../src/batch/pool.js';

const workerUrl = new URL('./support/flaky-worker.mjs', import.meta.url);
const options = (signatureDirs: string[] = []) => ({ jobs: 2, signatures: [], compiled: [], signatureHashes: {}, signatureDirs, workerUrl });

describe('batch worker pool', () => {
  it('records a bundle whose worker crashed and goes on with the rest on a fresh worker', async () => {
    const inputs = ['a.tgz', 'b-exit.tgz', 'c.tgz', 'd-throw.tgz', 'e.tgz', 'f-exit.tgz', 'g.tgz', 'h.tgz'];
    const results: JobResult[] = [];
    await runJobs(inputs.map((input) => ({ input })), options(), (r) => { results.push(r); });
    expect(results.map((r) => r.job.input).sort()).toEqual([...inputs].sort());
    const failed = Object.fromEntries(results.filter((r) => 'error' in r).map((r) => [r.job.input, 'error' in r ? r.error : '']));
    expect(Object.keys(failed).sort()).toEqual(['b-exit.tgz', 'd-throw.tgz', 'f-exit.tgz']);
    expect(failed['b-exit.tgz']).toMatch(/^worker crashed: exited with code 7/);
    expect(failed['d-throw.tgz']).toMatch(/^worker crashed: .*parser blew up on d-throw\.tgz/);
    expect(results.filter((r) => 'report' in r)).toHaveLength(5);
  });

  it('fails the run when a worker cannot start at all, instead of failing every bundle', async () => {
    await expect(runJobs([{ input: 'a.tgz' }, { input: 'b.tgz' }], options(['broken']), () => {})).rejects.toThrow(/batch worker failed to start: .*cannot load the catalog/);
  });
});
