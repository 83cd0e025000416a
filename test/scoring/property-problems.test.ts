import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { jobModel } from '../../src/db/models/job.ts';
import { importRecords } from '../../src/sandbox/history/import-records.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { eventually, installPortal, startTestPropensity, startTestWorker } from '../helpers/propensity.ts';

const sandbox = await startSandbox({ seed: 5 });
const propensity = await startTestPropensity(sandbox, 'property_problems', { hubspot: { backoffMs: 20 } });
const worker = await startTestWorker(propensity);
after(async () => {
  await worker.stop();
  await propensity.close();
  await sandbox.close();
});

test('an output property that already exists with another type is named on the portal\'s page', async () => {
  const p = sandbox.addPortal({ contacts: 20, seed: 5 });
  // An admin's own property that happens to carry Propensity's name, as text.
  importRecords(sandbox.state.portals.get(p.portalId)!, 'contacts', [{ name: 'propensity_lead_score', label: 'Our lead score', type: 'string' }], []);
  const installed = await installPortal(propensity, sandbox, p.portalId);
  const cookie = installed.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  await eventually(async () => (await jobModel(propensity.connection).countDocuments({ portalId: p.portalId, type: 'portal.create-properties', status: 'done' })) === 1, 20_000, 'properties checked');
  const html = await (await fetch(`${propensity.url}/portals/${p.portalId}`, { headers: { cookie } })).text();
  assert.match(html, /id="property-problems"/);
  assert.match(html, /contacts\.propensity_lead_score<\/code>: exists as string\/text, Propensity needs number\/number/);
  assert.doesNotMatch(html, /companies\.propensity_lead_score/);
});
