import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Signature } from '@hubspot/api-client';
import supertest from 'supertest';
import { portalModel } from '../../src/db/models/portal.ts';
import { unknownPortalModel, webhookEventModel } from '../../src/db/models/webhook-event.ts';
import { loadWebhooksDefinition } from '../../src/install/app-definition.ts';
import { computeSignatureV3 } from '../../src/webhooks/verify-signature.ts';
import { isOutputProperty, outputPropertyNames } from '../../src/writeback/output-properties.ts';
import { testHubSpotApp, testWebApp } from '../helpers/app.ts';

const app = testHubSpotApp();
const { web, connection } = await testWebApp('webhook_intake', app);
const uri = `${app.publicUrl}/webhooks/hubspot`;
const PORTAL = 777;
await portalModel(connection).create({ portalId: PORTAL, status: 'installed', firstInstalledAt: new Date(), installedAt: new Date() });

let nextEventId = 1000;
function event(overrides: Record<string, unknown> = {}) {
  return {
    eventId: nextEventId++, subscriptionId: 1, portalId: PORTAL, appId: Number(app.appId), occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 51, propertyName: 'lifecyclestage',
    propertyValue: 'lead', changeSource: 'CRM_UI', sourceId: 'userId:1', ...overrides,
  };
}

function post(body: string | Buffer, options: { secret?: string; timestamp?: number; tamper?: (b: Buffer) => Buffer } = {}) {
  const raw = Buffer.from(body);
  const timestamp = String(options.timestamp ?? Date.now());
  const signature = computeSignatureV3(options.secret ?? app.clientSecret, 'POST', uri, raw, timestamp);
  return supertest(web)
    .post('/webhooks/hubspot')
    .set('content-type', 'application/json')
    .set('x-hubspot-request-timestamp', timestamp)
    .set('x-hubspot-signature-v3', signature)
    .send((options.tamper ? options.tamper(raw) : raw).toString());
}

test('our v3 signature is the one @hubspot/api-client validates', () => {
  const body = JSON.stringify([event()]);
  const timestamp = Date.now();
  const signature = computeSignatureV3(app.clientSecret, 'POST', uri, Buffer.from(body), String(timestamp));
  assert.equal(Signature.isValid({ signatureVersion: 'v3', signature, clientSecret: app.clientSecret, requestBody: body, url: uri, method: 'POST', timestamp }), true);
  assert.equal(Signature.isValid({ signatureVersion: 'v3', signature, clientSecret: app.clientSecret, requestBody: body + ' ', url: uri, method: 'POST', timestamp }), false);
});

test('a signed batch is stored, one inbox document per event, and answered 200', async () => {
  const batch = [event(), event({ subscriptionType: 'contact.creation', propertyName: undefined, propertyValue: undefined })];
  const res = await post(JSON.stringify(batch));
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { status: 'ok', stored: 2, duplicates: 0 });
  const stored = await webhookEventModel(connection).find({ portalId: PORTAL, _id: { $in: batch.map((e) => String(e.eventId)) } }).lean();
  assert.equal(stored.length, 2);
  assert.ok(stored.every((e) => e.status === 'pending' && e.portalId === PORTAL && e.objectType === 'contact'));
});

test('the same batch delivered twice stores each event once', async () => {
  const batch = JSON.stringify([event(), event()]);
  assert.equal((await post(batch)).body.stored, 2);
  const again = await post(batch);
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, { status: 'ok', stored: 0, duplicates: 2 });
});

test('wrong secret, 6-minute-old timestamp, body altered after signing, no signature: 401, nothing stored', async () => {
  const before = await webhookEventModel(connection).countDocuments().setOptions({ allPortals: true });
  const body = JSON.stringify([event()]);
  assert.equal((await post(body, { secret: 'not-the-secret' })).status, 401);
  assert.equal((await post(body, { timestamp: Date.now() - 6 * 60_000 })).status, 401);
  assert.equal((await post(body, { tamper: (b) => Buffer.from(b.toString().replace('lead', 'customer')) })).status, 401);
  assert.equal((await supertest(web).post('/webhooks/hubspot').set('content-type', 'application/json').send(body)).status, 401);
  assert.equal(await webhookEventModel(connection).countDocuments().setOptions({ allPortals: true }), before);
});

test('not JSON or not an array of events: 400; too large: 413', async () => {
  assert.equal((await post('{not json')).status, 400);
  assert.equal((await post('{"eventId":1}')).status, 400);
  assert.equal((await post('[]')).status, 400);
  assert.equal((await post(JSON.stringify([{ eventId: '$where', portalId: PORTAL }]))).status, 400);
  assert.equal((await post(Buffer.alloc(600 * 1024, 0x20))).status, 413);
});

test('an unknown portal is acknowledged with 200, not stored, and counted', async () => {
  const res = await post(JSON.stringify([event({ portalId: 999_001 }), event({ portalId: 999_001 })]));
  assert.equal(res.status, 200);
  assert.equal(res.body.stored, 0);
  assert.equal(await webhookEventModel(connection).countDocuments({ portalId: 999_001 }), 0);
  const record = await unknownPortalModel(connection).findOne({ portalId: 999_001 }).lean();
  assert.equal(record?.events, 2);
});

test('webhooks.json never subscribes to a change of one of the app\'s own output properties', () => {
  const { subscriptions } = loadWebhooksDefinition();
  const all = [...subscriptions.crmObjects, ...subscriptions.legacyCrmObjects, ...subscriptions.hubEvents];
  const own = all.filter((s) => s.propertyName !== undefined && (isOutputProperty(s.propertyName) || outputPropertyNames.includes(s.propertyName)));
  assert.deepEqual(own, []);
  for (const object of ['contact', 'company', 'deal']) {
    for (const kind of ['creation', 'deletion', 'merge', 'restore', 'associationChange']) {
      assert.ok(all.some((s) => s.subscriptionType === `${object}.${kind}` && s.active), `${object}.${kind}`);
    }
  }
  assert.ok(all.some((s) => s.subscriptionType === 'contact.privacyDeletion'));
});
