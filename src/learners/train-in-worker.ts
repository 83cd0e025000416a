/**
 * `train` on a worker thread, so training a large table does not stall the web server's event loop.
 * The table is copied to the worker (structured clone); the model comes back as plain JSON. The
 * same input and seed give the same model as `train` in the calling thread.
 */
import { Worker } from 'node:worker_threads';
import type { Model } from './model.ts';
import type { TrainInput } from './train.ts';

// A JavaScript entry that loads tsx and then the TypeScript worker (train-worker.ts).
const workerUrl = new URL('./train-worker.js', import.meta.url);

export function trainInWorker(input: TrainInput): Promise<Model> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, {
      workerData: { ...input, labels: Uint8Array.from(input.labels) },
      // Not the parent's flags: a parent's `--import tsx` would resolve against the working directory.
      execArgv: [],
    });
    let settled = false;
    worker.once('message', (message: { model?: Model; error?: string }) => {
      settled = true;
      if (message.model) resolve(message.model);
      else reject(new Error(message.error ?? 'training failed'));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the training worker stopped (exit code ${code}) before sending a model`));
    });
  });
}
