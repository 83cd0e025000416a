/**
 * MongoDB frozen (its process stopped with SIGSTOP: connections open, nothing answers): a webhook
 * batch is refused with 503 within 1 s — HubSpot gives up after 5 s — never acknowledged unstored;
 * once MongoDB answers again, HubSpot's retry of that batch is stored once.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import supertest from 'supertest';
import { connectMongo } from '../../src/db/connect-mongo.ts';
import { migrateUp } from '../../src/db/migrate.ts';
import { portalModel } from '../../src/db/models/portal.ts';
import { webhookEventModel } from '../../src/db/models/webhook-event.ts';
import { createKeyring } from '../../src/install/token-cipher.ts';
import { createLogger } from '../../src/log.ts';
import { createServices } from '../../src/services.ts';
import { createWebApp } from '../../src/web/create-web-app.ts';
import { computeSignatureV3 } from '../../src/webhooks/verify-signature.ts';
import { testHubSpotApp } from '../helpers/app.ts';
import { startScratchMongo } from '../helpers/mongo.ts';

// An engine of this file's own: freezing it must not stall the other test files.
const engine = await startScratchMongo('test-runs', 'frozen');
const connection = await connectMongo(engine.uri, 'frozen');
after(async () => {
  process.kill(engine.pid!, 'SIGCONT');
  await connection.close();
  await engine.stop();
});
await migrateUp(connection);
const PORTAL = 9_100_001;
await portalModel(connection).create({ portalId: PORTAL, status: 'installed', firstInstalledAt: new Date(), installedAt: new Date() });
const hubspotApp = testHubSpotApp();
const logger = createLogger({ level: 'silent' });
const web = createWebApp({ connection, logger, services: createServices(connection, logger, hubspotApp, createKeyring({ keyId: 't', key: Buffer.alloc(32, 7) })) });

function post(events: object[]) {
  const body = JSON.stringify(events);
  const timestamp = String(Date.now());
  const signature = computeSignatureV3(hubspotApp.clientSecret, 'POST', `${hubspotApp.publicUrl}/webhooks/hubspot`, Buffer.from(body), timestamp);
  return supertest(web).post('/webhooks/hubspot').set('content-type', 'application/json').set('x-hubspot-request-timestamp', timestamp).set('x-hubspot-signature-v3', signature).send(body);
}

test('a webhook batch is answered 503 within 1 s while MongoDB is frozen, and stored once on the retry', async () => {
  const batch = [{ eventId: 55_001, subscriptionId: 1, portalId: PORTAL, appId: Number(hubspotApp.appId), occurredAt: Date.now(), attemptNumber: 0, subscriptionType: 'contact.creation', objectId: 1, changeSource: 'CRM_UI' }];
  assert.equal((await post([{ ...batch[0], eventId: 55_000 }])).status, 200, 'stored while MongoDB answers');

  process.kill(engine.pid!, 'SIGSTOP');
  let refused;
  let elapsed = 0;
  const started = Date.now();
  try {
    refused = await post(batch);
  } finally {
    elapsed = Date.now() - started;
    process.kill(engine.pid!, 'SIGCONT');
  }
  assert.equal(refused.status, 503);
  assert.ok(elapsed < 1_000, `answered in ${elapsed} ms`);

  // HubSpot retries; MongoDB answers again (the refused attempt may have been stored late: still once).
  let retried = await post(batch);
  for (let attempt = 1; retried.status === 503 && attempt < 20; attempt++) retried = await post(batch);
  assert.equal(retried.status, 200);
  assert.equal(await webhookEventModel(connection).countDocuments({ portalId: PORTAL, _id: '55001' }), 1);
});
