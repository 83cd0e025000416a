import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, beforeEach, test } from 'node:test';
import { Signature } from '@hubspot/api-client';
import { signV3 } from '../../src/hubspot/signature-v3.ts';
import { loadWebhooksDefinition } from '../../src/install/app-definition.ts';
import { clientFor, sandboxWithApp, testApp } from './fixtures.ts';

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
  events: Record<string, unknown>[];
}

/** The app's webhook endpoint: records every request; `answer` decides how it replies. */
const received: Received[] = [];
let answer: (request: Received, index: number) => Promise<number> = async () => 200;
let inFlight = 0;
let maxInFlight = 0;
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', async () => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const request = { body, headers: req.headers, events: JSON.parse(body) };
    received.push(request);
    const status = await answer(request, received.length - 1);
    inFlight -= 1;
    if (!res.destroyed) res.writeHead(status).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/hubspot`;

const sandbox = await sandboxWithApp({ seed: 14, webhooks: { retryDelaysMs: [50, 100, 150], timeoutMs: 400, flushMs: 20 }, rateLimit: { perTenSeconds: 10_000 } }, target);
after(async () => {
  await sandbox.close();
  receiver.closeAllConnections();
  receiver.close();
});
const portal = sandbox.createPortal({ contacts: 400, seed: 14 });
const store = sandbox.portal(portal.portalId);
const { client } = await clientFor(sandbox, portal.portalId);
const contactIds = [...store.objects.contacts.keys()];
const events = () => received.flatMap((r) => r.events);

beforeEach(async () => {
  await sandbox.webhooks.idle(10_000);
  received.length = 0;
  answer = async () => 200;
  maxInFlight = 0;
});

test('a webhook validates with Signature.isValid (signature v3); a tampered body does not', async () => {
  sandbox.simulate(portal.portalId, { type: 'lifecycleChange', contactId: contactIds[0], stage: 'evangelist' });
  await sandbox.webhooks.idle(5_000);
  const [{ body, headers }] = received;
  assert.equal(headers['content-type'], 'application/json');
  const check = (requestBody: string) => Signature.isValid({
    signatureVersion: 'v3', signature: String(headers['x-hubspot-signature-v3']), clientSecret: testApp.clientSecret,
    requestBody, url: target, method: 'POST', timestamp: Number(headers['x-hubspot-request-timestamp']),
  });
  assert.equal(check(body), true);
  assert.equal(check(body.replace('"evangelist"', '"customer"')), false);
  assert.equal(check(`${body} `), false);
  assert.equal(signV3({ secret: testApp.clientSecret, method: 'POST', uri: target, body, timestamp: String(headers['x-hubspot-request-timestamp']) }), headers['x-hubspot-signature-v3']);
  assert.ok(Math.abs(Date.now() - Number(headers['x-hubspot-request-timestamp'])) < 5_000);
});

test('events carry HubSpot\'s fields; the app\'s own writes say INTEGRATION and the app id, users\' CRM_UI', async () => {
  const [own, users] = contactIds.slice(1, 3);
  await client.crm.objects.basicApi.update('contacts', String(own), { properties: { lifecyclestage: 'customer' } });
  sandbox.simulate(portal.portalId, { type: 'lifecycleChange', contactId: users, stage: 'evangelist' });
  await sandbox.webhooks.idle(5_000);
  const byObject = new Map(events().filter((e) => e.propertyName === 'lifecyclestage').map((e) => [e.objectId, e]));
  const mine = byObject.get(own)!;
  for (const field of ['eventId', 'subscriptionId', 'portalId', 'appId', 'occurredAt', 'subscriptionType', 'attemptNumber', 'objectId', 'propertyName', 'propertyValue', 'changeSource', 'sourceId']) {
    assert.ok(field in mine, field);
  }
  assert.deepEqual([mine.subscriptionType, mine.portalId, mine.appId, mine.propertyValue, mine.attemptNumber], ['contact.propertyChange', portal.portalId, testApp.appId, 'customer', 0]);
  assert.deepEqual([mine.changeSource, mine.sourceId], ['INTEGRATION', String(testApp.appId)]);
  const theirs = byObject.get(users)!;
  assert.deepEqual([theirs.changeSource, theirs.sourceId, theirs.propertyValue], ['CRM_UI', 'userId:101', 'evangelist']);
  assert.equal(typeof mine.eventId, 'number');
  assert.ok(Math.abs(Number(mine.occurredAt) - Date.now()) < 10_000);
});

test('only subscribed changes are sent: propertyChange for the subscribed property names, creation and deletion', async () => {
  const contact = contactIds[3];
  sandbox.simulate(portal.portalId, { type: 'propertyEdit', objectType: 'contacts', objectId: contact, properties: { firstname: 'Renamed', jobtitle: 'CTO' } });
  sandbox.simulate(portal.portalId, { type: 'pageView', contactId: contact, count: 2 });
  const created = await client.crm.objects.basicApi.create('contacts', { properties: { email: 'hook@example.com', firstname: 'Hook' }, associations: [] });
  await client.crm.objects.basicApi.archive('contacts', created.id);
  await sandbox.webhooks.idle(5_000);
  const subscribed = new Set(loadWebhooksDefinition().subscriptions.legacyCrmObjects.filter((s) => s.subscriptionType === 'contact.propertyChange').map((s) => s.propertyName));
  const changes = events().filter((e) => e.subscriptionType === 'contact.propertyChange');
  assert.ok(changes.every((e) => subscribed.has(String(e.propertyName))), 'no event for a property nobody subscribed to');
  assert.deepEqual(changes.filter((e) => e.objectId === contact).map((e) => e.propertyName).sort(), ['hs_analytics_num_page_views', 'hs_analytics_num_visits', 'jobtitle']);
  assert.deepEqual(events().filter((e) => e.objectId === Number(created.id)).map((e) => e.subscriptionType).sort(), ['contact.creation', 'contact.deletion']);
});

test('batches of at most 100 events, each event once when the app answers 200, at most maxConcurrentRequests in flight', async () => {
  answer = async () => {
    await new Promise((r) => setTimeout(r, 30));
    return 200;
  };
  // 300 contacts × (page views, sessions) = 600+ events.
  const changed = sandbox.simulateActivity(portal.portalId, { contactIds: contactIds.slice(50, 350), seed: 1 });
  assert.equal(changed.length, 300);
  await sandbox.webhooks.idle(10_000);
  assert.ok(received.length >= 6);
  assert.ok(received.every((r) => r.events.length <= 100 && r.events.length >= 1));
  const ids = events().map((e) => e.eventId);
  assert.equal(new Set(ids).size, ids.length, 'no event twice');
  assert.ok(events().filter((e) => e.propertyName === 'hs_analytics_num_page_views').length === 300);
  assert.ok(maxInFlight > 1 && maxInFlight <= 10, `in flight at once: ${maxInFlight}`);
});

test('a failed or slow delivery is retried with attemptNumber + 1, until the app answers 2xx', async () => {
  answer = async (_request, index) => {
    if (index === 0) return 500;
    if (index === 1) {
      await new Promise((r) => setTimeout(r, 700)); // longer than the 400 ms the sandbox waits
      return 200;
    }
    return 204;
  };
  sandbox.simulate(portal.portalId, { type: 'formSubmission', contactId: contactIds[4] });
  await sandbox.webhooks.idle(5_000);
  assert.equal(received.length, 3);
  assert.deepEqual(received.map((r) => r.events[0].attemptNumber), [0, 1, 2]);
  assert.deepEqual(new Set(received.map((r) => r.events[0].eventId)).size, 1, 'the same event each time');
  assert.notEqual(received[0].headers['x-hubspot-signature-v3'], received[1].headers['x-hubspot-signature-v3'], 'each attempt is signed anew');
  const stats = sandbox.counters().webhooks;
  assert.ok(stats.failedAttempts >= 2 && stats.gaveUp === 0);
});

test('after the last retry the sandbox gives up; an uninstalled portal gets no more webhooks', async () => {
  answer = async () => 503;
  const gaveUp = sandbox.counters().webhooks.gaveUp;
  sandbox.simulate(portal.portalId, { type: 'formSubmission', contactId: contactIds[5] });
  await sandbox.webhooks.idle(5_000);
  assert.deepEqual(received.map((r) => r.events[0].attemptNumber), [0, 1, 2, 3]);
  assert.equal(sandbox.counters().webhooks.gaveUp, gaveUp + 1);

  received.length = 0;
  answer = async () => 200;
  sandbox.uninstall(portal.portalId, testApp.appId);
  sandbox.simulate(portal.portalId, { type: 'formSubmission', contactId: contactIds[6] });
  await new Promise((r) => setTimeout(r, 100));
  await sandbox.webhooks.idle(5_000);
  assert.equal(received.length, 0);
});
