/** The worker thread of `trainInWorker`: trains on the data it was started with and posts the model back. */
import { parentPort, workerData } from 'node:worker_threads';
import { train, type TrainInput } from './train.ts';

try {
  parentPort!.postMessage({ model: train(workerData as TrainInput) });
} catch (error) {
  parentPort!.postMessage({ error: (error as Error).message ?? String(error) });
}
