import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { HubSpotClients } from '../../src/hubspot/get-hubspot-client.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { installPortal, startTestPropensity } from '../helpers/propensity.ts';

const sandbox = await startSandbox({ seed: 51, rateLimit: { perTenSeconds: 20 } });
const gated = { general: { limit: 5, windowMs: 400 }, search: { limit: 5, windowMs: 1_000 } };
const propensity = await startTestPropensity(sandbox, 'portal_budget', { hubspot: { limits: gated } });
after(async () => {
  await propensity.close();
  await sandbox.close();
});
const portal = sandbox.addPortal({ contacts: 20, seed: 51 });
assert.equal((await installPortal(propensity, sandbox, portal.portalId)).status, 303);
const requestsSeen = () => sandbox.counters().portals[String(portal.portalId)]?.requests ?? 0;
const listContacts = (hubspot: ReturnType<HubSpotClients['forPortal']>) =>
  hubspot.call((c) => c.crm.objects.basicApi.getPageWithHttpInfo('contacts', 1));

test('every request spends the portal budget: the client holds back what its limiter has no room for', async () => {
  const { hubspot } = propensity.services;
  const before = requestsSeen();
  const t0 = Date.now();
  const finished = await Promise.all(Array.from({ length: 7 }, () => listContacts(hubspot.forPortal(portal.portalId)).then(() => Date.now() - t0)));
  finished.sort((a, b) => a - b);
  assert.ok(finished[4] < 300, `five go at once (${finished})`);
  assert.ok(finished[5] >= 400, `the sixth waits for the window (${finished})`);
  assert.equal(hubspot.statsFor(portal.portalId).requests, requestsSeen() - before, 'the client counted each request HubSpot saw');
});

test("HubSpot's rate-limit headers tell one process what another spent, before any 429", async () => {
  const limits = { general: { limit: 20, windowMs: 10_250 }, search: { limit: 5, windowMs: 1_100 } };
  const { connection, app, tokens, logger } = propensity.services;
  const one = new HubSpotClients(connection, app, tokens, logger, { limits });
  const other = new HubSpotClients(connection, app, tokens, logger, { limits });
  // A portal of its own: HubSpot's window is per portal, and the first test's requests are in the other one's.
  const shared = sandbox.addPortal({ contacts: 20, seed: 52 });
  assert.equal((await installPortal(propensity, sandbox, shared.portalId)).status, 303);
  for (let i = 0; i < 12; i++) await listContacts(one.forPortal(shared.portalId));
  await listContacts(other.forPortal(shared.portalId));
  assert.equal(other.statsFor(shared.portalId).spentElsewhere, 12, 'the other process booked the twelve');
  assert.equal(one.statsFor(shared.portalId).spentElsewhere, 0, 'and the first one had the window to itself');
  assert.equal(sandbox.counters().portals[String(shared.portalId)].rateLimited, 0);
});
