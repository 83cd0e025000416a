import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrateUp } from '../../src/db/migrate.ts';
import { jobModel } from '../../src/db/models/job.ts';
import { webhookEventModel } from '../../src/db/models/webhook-event.ts';
import { claimJob } from '../../src/jobs/job-queue.ts';
import { claimEvents, CLAIM_SIZE } from '../../src/webhooks/claim-events.ts';
import { sweepInbox } from '../../src/webhooks/process-portal-webhooks.ts';
import { testDatabase } from '../helpers/mongo.ts';

const connection = await testDatabase('claim_events');
await migrateUp(connection);

test('claims work on a large inbox (the embedded engine cannot plan an $or with a sort) and never hand out an event twice', async () => {
  const now = new Date();
  await webhookEventModel(connection).insertMany(
    Array.from({ length: 1_300 }, (_, i) => ({ _id: `e${i}`, portalId: 1, subscriptionType: 'contact.propertyChange', objectType: 'contact', objectId: i, occurredAt: new Date(now.getTime() - i), receivedAt: now, status: 'pending' as const, runAt: now })),
  );
  assert.equal(await sweepInbox(connection), 1);
  const seen: string[] = [];
  for (;;) {
    const claims = await Promise.all([claimEvents(connection, 1, 60_000, now), claimEvents(connection, 1, 60_000, now), claimEvents(connection, 1, 60_000, now)]);
    const got = claims.flatMap((c) => c.events.map((e) => e._id));
    assert.ok(claims.every((c) => c.events.length <= CLAIM_SIZE));
    if (got.length === 0) break;
    seen.push(...got);
  }
  assert.equal(seen.length, 1_300, 'every event claimed');
  assert.equal(new Set(seen).size, 1_300, 'no event in two claims');
  // Leases that run out are claimable again.
  const later = await claimEvents(connection, 1, 60_000, new Date(now.getTime() + 61_000));
  assert.equal(later.events.length, CLAIM_SIZE);
  assert.ok(later.events.every((e) => e.attempts === 2));
});

test('job claims work with a large queue', async () => {
  await jobModel(connection).insertMany(Array.from({ length: 1_500 }, (_, i) => ({ portalId: i, type: 'x', status: 'queued', runAt: new Date(Date.now() - i) })));
  const job = await claimJob(connection, { holder: 'w', leaseMs: 1_000, types: ['x'] });
  assert.equal(job?.portalId, 1_499, 'the oldest due job first');
});
