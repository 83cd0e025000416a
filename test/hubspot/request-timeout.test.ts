import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { HubSpotClients } from '../../src/hubspot/get-hubspot-client.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { installPortal, startTestPropensity } from '../helpers/propensity.ts';

const sandbox = await startSandbox({ seed: 53 });
const propensity = await startTestPropensity(sandbox, 'request_timeout');
after(async () => {
  await propensity.close();
  await sandbox.close();
});
const portal = sandbox.addPortal({ contacts: 20, seed: 53 });
assert.equal((await installPortal(propensity, sandbox, portal.portalId)).status, 303);

test('a request HubSpot leaves hanging is given up after the timeout and retried', async () => {
  const { connection, app, tokens, logger } = propensity.services;
  const clients = new HubSpotClients(connection, app, tokens, logger, { requestTimeoutMs: 300, backoffMs: 10 });
  const hubspot = clients.forPortal(portal.portalId);
  await hubspot.call((c) => c.crm.objects.basicApi.getPage('contacts', 1)); // the token, outside the stall
  sandbox.setFaults({ stallRate: 1, stallMs: 3_000 });
  setTimeout(() => sandbox.setFaults({ stallRate: 0 }), 100);
  const started = Date.now();
  const page = await hubspot.call((c) => c.crm.objects.basicApi.getPage('contacts', 1));
  const took = Date.now() - started;
  assert.equal(page.results.length, 1);
  assert.ok(took < 1_500, `answered by the retry after ${took} ms, not after the 3 s stall`);
  assert.equal(clients.statsFor(portal.portalId).retried, 1);
});
