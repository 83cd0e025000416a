import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { connectMongo } from '../../src/db/connect-mongo.ts';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { jobModel } from '../../src/db/models/job.ts';
import { webhookEventModel } from '../../src/db/models/webhook-event.ts';
import { currentValue } from '../../src/sandbox/sandbox-store.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { propertyOf } from '../../src/sync/crm-record.ts';
import { eventually } from '../helpers/propensity.ts';
import { createCluster, installThrough, stop } from '../helpers/processes.ts';

const sandbox = await startSandbox({ seed: 51, webhooks: { retryDelaysMs: [200, 500, 1000, 2000], flushMs: 20 }, rateLimit: { perTenSeconds: 10_000 } });
const cluster = await createCluster(sandbox, 'worker_crash');
const children: ChildProcess[] = [];
const connection = await connectMongo(cluster.mongoUri);
after(async () => {
  for (const child of children) await stop(child, 'SIGKILL');
  await connection.close();
  await sandbox.close();
});

test('a worker SIGKILLed in the middle of a batch: after a restart every event is processed, the copy is right, no job ran twice at once', async () => {
  children.push(await cluster.start('web'));
  const first = await cluster.start('worker');
  children.push(first);
  const p = sandbox.addPortal({ contacts: 300, seed: 51 });
  assert.equal(await installThrough(cluster.webUrl, sandbox, p.portalId), 303);
  await eventually(async () => (await jobModel(connection).countDocuments({ portalId: p.portalId, type: 'portal.initial-sync', status: 'done' })) === 1, 60_000, 'initial sync');

  const changed = new Set<number>();
  for (let round = 0; round < 5; round++) for (const id of sandbox.simulateActivity(p.portalId, { contacts: 60, seed: 100 + round })) changed.add(id);
  await eventually(async () => (await webhookEventModel(connection).countDocuments({ portalId: p.portalId, status: 'done' })) > 50, 30_000, 'some events processed');
  assert.equal(await stop(first, 'SIGKILL'), null, 'killed, not exited');
  const stored = await webhookEventModel(connection).countDocuments({ portalId: p.portalId });
  assert.ok((await webhookEventModel(connection).countDocuments({ portalId: p.portalId, status: { $ne: 'done' } })) > 0, 'the kill left work behind');

  children.push(await cluster.start('worker'));
  await sandbox.webhooks.idle(30_000);
  await eventually(async () => (await webhookEventModel(connection).countDocuments({ portalId: p.portalId, status: { $in: ['pending', 'processing'] } })) === 0, 60_000, 'inbox drained after the restart');

  const events = await webhookEventModel(connection).find({ portalId: p.portalId }).lean();
  assert.ok(events.length >= stored);
  assert.ok(events.every((e) => e.status === 'done' || e.status === 'dropped'), 'every event processed, none dead');
  const portal = sandbox.state.portals.get(p.portalId)!;
  for (const id of changed) {
    const copy = await crmObjectModel(connection).findOne({ portalId: p.portalId, objectType: 'contacts', objectId: String(id) }).lean();
    assert.equal(propertyOf(copy!, 'hs_analytics_num_page_views'), currentValue('contacts', portal.objects.contacts.get(id)!, 'hs_analytics_num_page_views'), `contact ${id}`);
  }
  const ids = (await crmObjectModel(connection).find({ portalId: p.portalId, objectType: 'contacts' }, { objectId: 1 }).lean()).map((o) => o.objectId);
  assert.equal(ids.length, 300);
  assert.equal(new Set(ids).size, 300, 'no record stored twice');
});
