import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrateUp } from '../../src/db/migrate.ts';
import { jobModel } from '../../src/db/models/job.ts';
import { enqueueJob } from '../../src/jobs/job-queue.ts';
import { startScheduler } from '../../src/jobs/run-scheduler.ts';
import { startWorker } from '../../src/jobs/run-worker.ts';
import { createLogger } from '../../src/log.ts';
import { testDatabase } from '../helpers/mongo.ts';

const connection = await testDatabase('worker_scheduler');
await migrateUp(connection);
const logger = createLogger({ level: 'silent' });

test('two workers on one queue run every job exactly once', async () => {
  const runs = new Map<number, number>();
  const handler = async (job: { portalId: number }) => {
    runs.set(job.portalId, (runs.get(job.portalId) ?? 0) + 1);
    await new Promise((r) => setTimeout(r, 5));
  };
  for (let i = 0; i < 40; i++) await enqueueJob(connection, { portalId: i, type: 'count' });
  const a = startWorker({ connection, logger, handlers: { count: handler }, pollMs: 20 });
  const b = startWorker({ connection, logger, handlers: { count: handler }, pollMs: 20 });
  const deadline = Date.now() + 20_000;
  while ((await jobModel(connection).countDocuments({ type: 'count', status: 'done' })) < 40 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all([a.stop(), b.stop()]);
  assert.equal(runs.size, 40);
  assert.ok([...runs.values()].every((n) => n === 1), 'no job ran twice');
  assert.equal((a.finished.get('count') ?? 0) + (b.finished.get('count') ?? 0), 40);
});

test('a failing job is retried and dead-lettered with its error after its last attempt', async () => {
  await enqueueJob(connection, { portalId: 1, type: 'explode', maxAttempts: 1 });
  const worker = startWorker({ connection, logger, handlers: { explode: async () => { throw new Error('kaboom'); } }, pollMs: 20 });
  const deadline = Date.now() + 10_000;
  let job;
  while (Date.now() < deadline) {
    job = await jobModel(connection).findOne({ type: 'explode' }).lean();
    if (job?.status === 'dead') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await worker.stop();
  assert.equal(job?.status, 'dead');
  assert.equal(job?.lastError, 'kaboom');
});

test('two schedulers never run the same tick twice', async () => {
  const ticks: string[] = [];
  const task = { name: 'tick', cron: '* * * * * *', run: async (slot: string) => { ticks.push(slot); } };
  const one = startScheduler(connection, logger, [task]);
  const two = startScheduler(connection, logger, [task]);
  await new Promise((r) => setTimeout(r, 3_500));
  await Promise.all([one.stop(), two.stop()]);
  assert.ok(ticks.length >= 2, `ticks ran (${ticks.length})`);
  assert.equal(new Set(ticks).size, ticks.length, 'each tick ran once');
});
