import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobModel } from '../../src/db/models/job.ts';
import { migrateUp } from '../../src/db/migrate.ts';
import { claimJob, completeJob, enqueueJob, failJob } from '../../src/jobs/job-queue.ts';
import { testDatabase } from '../helpers/mongo.ts';

const connection = await testDatabase('job_queue');
await migrateUp(connection);

test('a dedupe key queues the work once while it is pending, and again after it is done', async () => {
  const first = await enqueueJob(connection, { portalId: 1, type: 'sync', dedupeKey: 'sync:1' });
  const again = await enqueueJob(connection, { portalId: 1, type: 'sync', dedupeKey: 'sync:1' });
  assert.equal(first.created, true);
  assert.equal(again.created, false);
  assert.equal(again.id, first.id);
  const job = await claimJob(connection, { holder: 'w1', leaseMs: 60_000, types: ['sync'] });
  assert.equal(String(job!._id), first.id);
  assert.equal(await completeJob(connection, job!), true);
  const later = await enqueueJob(connection, { portalId: 1, type: 'sync', dedupeKey: 'sync:1' });
  assert.equal(later.created, true);
  await jobModel(connection).deleteMany({});
});

test('concurrent claimers never get the same job; an expired lease is taken over', async () => {
  await jobModel(connection).deleteMany({});
  for (let i = 0; i < 5; i++) await enqueueJob(connection, { portalId: i, type: 'work' });
  const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claimJob(connection, { holder: `w${i}`, leaseMs: 50 })));
  const got = claims.filter((c) => c !== null).map((c) => String(c!._id));
  assert.equal(got.length, 5);
  assert.equal(new Set(got).size, 5);

  await new Promise((r) => setTimeout(r, 60));
  const takeover = await claimJob(connection, { holder: 'rescuer', leaseMs: 60_000 });
  assert.ok(takeover);
  assert.equal(takeover.attempts, 2);
  const stale = claims.find((c) => c !== null && String(c._id) === String(takeover._id))!;
  assert.ok(stale, 'the job taken over is one the first claimers held');
  assert.equal(await completeJob(connection, stale), false, 'a worker whose lease expired cannot complete the job');
  await jobModel(connection).deleteMany({});
});

test('failures back off and are dead-lettered after the last attempt, with the error kept', async () => {
  await jobModel(connection).deleteMany({});
  await enqueueJob(connection, { portalId: 9, type: 'flaky', maxAttempts: 2 });
  const first = await claimJob(connection, { holder: 'w', leaseMs: 60_000 });
  assert.equal(await failJob(connection, first!, new Error('boom 1')), 'retry');
  assert.equal(await claimJob(connection, { holder: 'w', leaseMs: 60_000 }), null, 'backing off: not due yet');
  const second = await claimJob(connection, { holder: 'w', leaseMs: 60_000 }, new Date(Date.now() + 5_000));
  assert.ok(second);
  assert.equal(await failJob(connection, second, new Error('boom 2')), 'dead');
  const dead = await jobModel(connection).findById(second._id).lean();
  assert.equal(dead?.status, 'dead');
  assert.equal(dead?.lastError, 'boom 2');
});
