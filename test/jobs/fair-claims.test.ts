/**
 * Fairness: portals take turns at the queue, so a portal with one job never waits behind another
 * portal's whole backlog, whether the claims run side by side or one after another.
 */
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { jobModel } from '../../src/db/models/job.ts';
import { jobTurnModel } from '../../src/db/models/job-turn.ts';
import { migrateUp } from '../../src/db/migrate.ts';
import { claimJob, completeJob, enqueueJob } from '../../src/jobs/job-queue.ts';
import { testDatabase } from '../helpers/mongo.ts';

const connection = await testDatabase('fair_claims');
await migrateUp(connection);
const A = 101;
const B = 202;

beforeEach(async () => {
  await jobModel(connection).deleteMany({});
  await jobTurnModel(connection).deleteMany({});
  const start = Date.now() - 60_000;
  // A's backlog is older than B's one job: oldest-first alone would serve all 50 first.
  for (let i = 0; i < 50; i++) await enqueueJob(connection, { portalId: A, type: 'work', runAt: new Date(start + i) });
  await enqueueJob(connection, { portalId: B, type: 'work', runAt: new Date(start + 1_000) });
});

test("while A's job runs, the next claim goes to B, not to the rest of A's backlog", async () => {
  const first = await claimJob(connection, { holder: 'w1', leaseMs: 60_000 });
  const second = await claimJob(connection, { holder: 'w2', leaseMs: 60_000 });
  assert.equal(first?.portalId, A, 'the oldest job goes first');
  assert.equal(second?.portalId, B);
});

test('one worker claiming and finishing one job at a time serves B within two claims', async () => {
  const served: number[] = [];
  for (let i = 0; i < 4; i++) {
    const job = await claimJob(connection, { holder: 'w', leaseMs: 60_000 });
    assert.ok(job);
    served.push(job.portalId);
    assert.equal(await completeJob(connection, job), true);
  }
  assert.deepEqual(served, [A, B, A, A]);
});

test('a portal alone keeps every lane busy: turns order claims, they never hold work back', async () => {
  await jobModel(connection).deleteMany({ portalId: B });
  const claims = await Promise.all(Array.from({ length: 3 }, (_, i) => claimJob(connection, { holder: `w${i}`, leaseMs: 60_000 })));
  assert.deepEqual(claims.map((c) => c?.portalId), [A, A, A]);
  assert.equal(new Set(claims.map((c) => String(c?._id))).size, 3);
});
