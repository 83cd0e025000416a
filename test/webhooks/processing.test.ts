import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { jobModel } from '../../src/db/models/job.ts';
import { webhookEventModel } from '../../src/db/models/webhook-event.ts';
import { currentValue } from '../../src/sandbox/sandbox-store.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { propertyOf } from '../../src/sync/crm-record.ts';
import { syncPortal } from '../../src/sync/sync-portal.ts';
import { computeSignatureV3 } from '../../src/webhooks/verify-signature.ts';
import { eventually, installPortal, startTestPropensity, startTestWorker } from '../helpers/propensity.ts';

const sandbox = await startSandbox({ seed: 41, webhooks: { retryDelaysMs: [200, 400, 800], flushMs: 20 } });
const propensity = await startTestPropensity(sandbox, 'webhook_processing', { hubspot: { backoffMs: 20 } });
const worker = await startTestWorker(propensity);
after(async () => {
  await worker.stop();
  await propensity.close();
  await sandbox.close();
});
const { connection, services } = propensity;
const p = sandbox.addPortal({ contacts: 60, seed: 41 });
assert.equal((await installPortal(propensity, sandbox, p.portalId)).status, 303);
await eventually(async () => (await jobModel(connection).countDocuments({ portalId: p.portalId, type: 'portal.initial-sync', status: 'done' })) === 1, 30_000, 'initial sync');
const portal = sandbox.state.portals.get(p.portalId)!;
const inboxSettled = async () => (await webhookEventModel(connection).countDocuments({ portalId: p.portalId, status: { $in: ['pending', 'processing'] } })) === 0;

async function localValue(id: number, name: string) {
  const copy = await crmObjectModel(connection).findOne({ portalId: p.portalId, objectType: 'contacts', objectId: String(id) }).lean();
  return copy ? propertyOf(copy, name) : null;
}

test('a change in HubSpot reaches the local copy through the webhook, the inbox and a worker', async () => {
  const changed = sandbox.simulateActivity(p.portalId, { contacts: 10, seed: 2 });
  await sandbox.webhooks.idle();
  await eventually(inboxSettled, 20_000, 'inbox drained');
  for (const id of changed) {
    const expected = currentValue('contacts', portal.objects.contacts.get(id)!, 'hs_analytics_num_page_views');
    await eventually(async () => (await localValue(id, 'hs_analytics_num_page_views')) === expected, 10_000, `contact ${id} refreshed`);
  }
  assert.ok((await webhookEventModel(connection).countDocuments({ portalId: p.portalId, status: 'done' })) >= 10);
});

/** Nothing queued or running for the portal: the pipeline after a change (rescore, write-back) is done. */
const quiet = async () => (await jobModel(connection).countDocuments({ portalId: p.portalId, status: { $in: ['queued', 'running'] } })) === 0;

test('the app\'s own write comes back as a webhook: dropped, and no second write', async () => {
  await eventually(async () => (await inboxSettled()) && (await quiet()), 30_000, 'the pipeline quiet');
  const contact = [...portal.objects.contacts.values()][0];
  const writes = () => sandbox.state.requestCounts.get(`requests:${p.portalId}`) ?? 0;
  await services.hubspot.forPortal(p.portalId).call((c) => c.crm.objects.basicApi.update('contacts', String(contact.id), { properties: { jobtitle: 'Written by the app' } }));
  const afterWrite = writes();
  await sandbox.webhooks.idle();
  await eventually(inboxSettled, 20_000, 'inbox drained');
  const own = await webhookEventModel(connection).find({ portalId: p.portalId, objectId: contact.id, propertyName: 'jobtitle' }).lean();
  assert.equal(own.length, 1);
  assert.equal(own[0].status, 'dropped');
  assert.equal(own[0].outcome, "the app's own write");
  await new Promise((r) => setTimeout(r, 300));
  await eventually(quiet, 10_000, 'the pipeline quiet');
  assert.equal(writes(), afterWrite, 'dropping it cost no request at all');
});

async function deliver(events: Record<string, unknown>[]) {
  const body = JSON.stringify(events);
  const uri = `${propensity.url}/webhooks/hubspot`;
  const timestamp = String(Date.now());
  return fetch(uri, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp, 'x-hubspot-signature-v3': computeSignatureV3(propensity.app.clientSecret, 'POST', uri, Buffer.from(body), timestamp) },
  });
}

test('a batch delivered twice and events out of order: each acted on once, the final state right', async () => {
  const [a, b] = [...portal.objects.contacts.values()].slice(5, 7);
  const now = Date.now();
  portal.write('contacts', a, { jobtitle: 'Second title' }, { sourceType: 'CRM_UI', changeSource: 'CRM_UI' });
  portal.archive('contacts', b, { sourceType: 'CRM_UI', changeSource: 'CRM_UI' });
  await sandbox.webhooks.idle();
  await eventually(inboxSettled, 20_000, 'inbox drained');
  // HubSpot redelivers older events, newest first and twice: a stale change of a, b's creation after its deletion.
  const base = { portalId: p.portalId, appId: Number(propensity.app.appId), subscriptionId: 1, attemptNumber: 1, changeSource: 'CRM_UI' };
  const batch = [
    { ...base, eventId: 990_001, subscriptionType: 'contact.deletion', objectId: b.id, occurredAt: now },
    { ...base, eventId: 990_002, subscriptionType: 'contact.propertyChange', objectId: a.id, propertyName: 'jobtitle', propertyValue: 'First title', occurredAt: now - 60_000 },
    { ...base, eventId: 990_003, subscriptionType: 'contact.creation', objectId: b.id, occurredAt: now - 120_000 },
  ];
  assert.equal((await deliver(batch)).status, 200);
  const again = await deliver(batch);
  assert.deepEqual(await again.json(), { status: 'ok', stored: 0, duplicates: 3 });
  await eventually(inboxSettled, 20_000, 'inbox drained');
  const events = await webhookEventModel(connection).find({ portalId: p.portalId, _id: { $in: ['990001', '990002', '990003'] } }).lean();
  assert.equal(events.length, 3, 'stored once each');
  assert.ok(events.every((e) => e.status === 'done' && e.attempts === 1), 'each acted on once');
  assert.equal(await localValue(a.id, 'jobtitle'), 'Second title', 'the stale value in the event is never trusted');
  assert.equal(await localValue(b.id, 'jobtitle'), null, 'the deleted contact stays deleted');
  assert.equal(await crmObjectModel(connection).countDocuments({ portalId: p.portalId, objectType: 'contacts', objectId: String(b.id) }), 0);
});

test('a privacy deletion removes the contact and every value its events carried', async () => {
  const contact = [...portal.objects.contacts.values()][10];
  sandbox.simulateActivity(p.portalId, { contactIds: [contact.id], seed: 3 });
  await sandbox.webhooks.idle();
  await eventually(inboxSettled, 20_000, 'inbox drained');
  portal.archive('contacts', contact, { sourceType: 'CRM_UI', changeSource: 'CRM_UI' });
  const base = { portalId: p.portalId, appId: Number(propensity.app.appId), subscriptionId: 1, attemptNumber: 0, changeSource: 'CRM_UI' };
  assert.equal((await deliver([{ ...base, eventId: 990_100, subscriptionType: 'contact.privacyDeletion', objectId: contact.id, occurredAt: Date.now() }])).status, 200);
  await eventually(inboxSettled, 20_000, 'inbox drained');
  assert.equal(await crmObjectModel(connection).countDocuments({ portalId: p.portalId, objectType: 'contacts', objectId: String(contact.id) }), 0);
  const traces = await webhookEventModel(connection).find({ portalId: p.portalId, objectId: contact.id }).lean();
  assert.ok(traces.length > 0);
  assert.ok(traces.every((e) => e.propertyValue === undefined), 'no value of the contact stays in the inbox');
});

test('synced state is intact: one document per object', async () => {
  await syncPortal(connection, services.hubspot.forPortal(p.portalId));
  const ids = (await crmObjectModel(connection).find({ portalId: p.portalId, objectType: 'contacts' }, { objectId: 1 }).lean()).map((o) => o.objectId);
  assert.equal(new Set(ids).size, ids.length);
});
