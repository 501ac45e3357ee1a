// A stand-in for the batch worker that follows its protocol (ready, then one reply per task) but
// dies on chosen inputs: by process.exit when the path says `exit`, by an uncaught error when it
// says `throw`, and before it is ready when started with `signatureDirs: ['broken']`.
import { parentPort, workerData } from 'node:worker_threads';

if (workerData.signatureDirs?.includes('broken')) throw new Error('cannot load the catalog');
parentPort.postMessage({ ready: true });
parentPort.on('message', ({ id, job }) => {
  if (job.input.includes('exit')) process.exit(7);
  if (job.input.includes('throw')) throw new Error(`parser blew up on ${job.input}`);
  parentPort.postMessage({ id, result: { report: { input: job.input }, durationMs: 1 } });
});
