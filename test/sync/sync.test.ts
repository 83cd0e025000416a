import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { propertyOf } from '../../src/sync/crm-record.ts';
import { loadPortalHistory } from '../../src/features/load-portal-history.ts';
import { incrementalSync } from '../../src/sync/incremental-sync.ts';
import { storeAssociations } from '../../src/sync/store-records.ts';
import { syncPortal } from '../../src/sync/sync-portal.ts';
import { installPortal, startTestPropensity } from '../helpers/propensity.ts';
import { assertCopyEquals } from '../helpers/sync-copy.ts';

const sandbox = await startSandbox({ seed: 31 });
const fast = { hubspot: { backoffMs: 20 } };
const propensity = await startTestPropensity(sandbox, 'sync', fast);
after(async () => {
  await propensity.close();
  await sandbox.close();
});
const { connection, services } = propensity;

test('initial sync: a crash mid-way resumes from its checkpoint, and the copy equals the sandbox exactly', async () => {
  const p = sandbox.addPortal({ contacts: 400, seed: 31 });
  assert.equal((await installPortal(propensity, sandbox, p.portalId)).status, 303);
  const hubspot = services.hubspot.forPortal(p.portalId);
  const before = sandbox.state.requestCounts.get(`requests:${p.portalId}`) ?? 0;
  assert.equal(await syncPortal(connection, hubspot, { maxPages: 3 }), 'paused', 'the "crash" after three pages');
  const partial = await crmObjectModel(connection).countDocuments({ portalId: p.portalId });
  assert.ok(partial > 0 && partial < 400);
  assert.equal(await syncPortal(connection, hubspot), 'done');
  await assertCopyEquals(sandbox, propensity, p.portalId);
  const requests = (sandbox.state.requestCounts.get(`requests:${p.portalId}`) ?? 0) - before;
  const objects = p.contacts + p.companies + p.deals;
  assert.ok(requests <= Math.ceil(objects / 50) + 3 * 3 + 6, `no page read twice beyond the restart (${requests} requests for ${objects} objects)`);
});

test('each association pair is read from one side, and both sides find their deals', async () => {
  const p = sandbox.addPortal({ contacts: 300, seed: 34 });
  assert.equal((await installPortal(propensity, sandbox, p.portalId)).status, 303);
  assert.equal(await syncPortal(connection, services.hubspot.forPortal(p.portalId)), 'done');
  const reads = [...sandbox.state.requestCounts].filter(([key]) => key.startsWith(`association-read:${p.portalId}:`)).map(([key, n]) => `${key.split(':').slice(2).join('→')} ${n}`);
  assert.deepEqual(reads, [], 'the links come inline with the pages (no record has more than one inline page here): no association batch read');
  const remote = sandbox.state.portals.get(p.portalId)!.objects;
  const contacts = await loadPortalHistory(connection, p.portalId, 'contacts');
  const companies = await loadPortalHistory(connection, p.portalId, 'companies');
  let checked = 0;
  for (const deal of remote.deals.values()) {
    for (const contactId of deal.assoc.get('contacts') ?? []) {
      assert.ok(contacts.dealsByRecord.get(String(contactId))?.some((d) => d.objectId === String(deal.id)), `contact ${contactId} finds deal ${deal.id}`);
      checked += 1;
    }
    for (const companyId of deal.assoc.get('companies') ?? []) {
      assert.ok(companies.dealsByRecord.get(String(companyId))?.some((d) => d.objectId === String(deal.id)), `company ${companyId} finds deal ${deal.id}`);
      checked += 1;
    }
  }
  assert.ok(checked > 20, `${checked} links checked`);
  // The same from a few records read alone (a webhook's rescore).
  const someCompany = [...remote.companies.values()].find((c) => (c.assoc.get('deals')?.size ?? 0) > 0)!;
  const alone = await loadPortalHistory(connection, p.portalId, 'companies', [String(someCompany.id)]);
  assert.deepEqual(alone.dealsByRecord.get(String(someCompany.id))!.map((d) => d.objectId).sort(), [...someCompany.assoc.get('deals')!].map(String).sort());
});

test('with 5 % of answers 429 or 502 the sync still completes and matches', async () => {
  const flaky = await startSandbox({ seed: 32, faults: { errorRate: 0.05 } });
  const app = await startTestPropensity(flaky, 'sync_flaky', fast);
  try {
    const p = flaky.addPortal({ contacts: 600, seed: 32 });
    flaky.configure({ faults: { errorRate: 0 } });
    assert.equal((await installPortal(app, flaky, p.portalId)).status, 303);
    flaky.configure({ faults: { errorRate: 0.05 } });
    assert.equal(await syncPortal(app.connection, app.services.hubspot.forPortal(p.portalId)), 'done');
    flaky.configure({ faults: { errorRate: 0 } });
    assert.ok((flaky.state.requestCounts.get(`fault:${p.portalId}`) ?? 0) > 0, 'faults were injected');
    await assertCopyEquals(flaky, app, p.portalId);
  } finally {
    await app.close();
    await flaky.close();
  }
});

test('incremental sync picks up changes since the watermark, past the search page size', async () => {
  const p = sandbox.addPortal({ contacts: 500, seed: 33 });
  assert.equal((await installPortal(propensity, sandbox, p.portalId)).status, 303);
  const hubspot = services.hubspot.forPortal(p.portalId);
  await syncPortal(connection, hubspot);
  const changed = sandbox.simulateActivity(p.portalId, { contacts: 450, seed: 9 });
  const result = await incrementalSync(connection, hubspot, 'contacts');
  assert.ok(result.changed >= new Set(changed).size, `changed ${result.changed}`);
  await assertCopyEquals(sandbox, propensity, p.portalId);
});

test('hostile property values and names are stored safely and the sync goes on', async () => {
  const p = sandbox.addPortal({ contacts: 10, seed: 34 });
  const portal = sandbox.state.portals.get(p.portalId)!;
  const contact = [...portal.objects.contacts.values()][0];
  for (const name of ['$where', 'a.b', 'huge_value']) {
    portal.properties.contacts.set(name, { ...portal.properties.contacts.get('jobtitle')!, name, hubspotDefined: false });
  }
  portal.write('contacts', contact, { $where: 'function(){ return true }', 'a.b': '{"$gt":""}', huge_value: 'x'.repeat(70_000) }, { sourceType: 'CRM_UI', changeSource: 'CRM_UI' });
  assert.equal((await installPortal(propensity, sandbox, p.portalId)).status, 303);
  assert.equal(await syncPortal(connection, services.hubspot.forPortal(p.portalId)), 'done');
  const copy = await crmObjectModel(connection).findOne({ portalId: p.portalId, objectId: String(contact.id) }).lean();
  assert.equal(propertyOf(copy!, '$where'), 'function(){ return true }');
  assert.equal(propertyOf(copy!, 'a.b'), '{"$gt":""}');
  assert.ok(propertyOf(copy!, 'huge_value')!.length < 17_000);
  assert.equal(await crmObjectModel(connection).countDocuments({ portalId: p.portalId, objectType: 'contacts' }), 10);

  // Association ids go into an update pipeline, where a string starting with `$` would be a field path.
  await storeAssociations(connection, p.portalId, 'contacts', new Map([['companies', new Map([[String(contact.id), ['$where', '$$ROOT', '$associations']]])]]));
  const linked = await crmObjectModel(connection).findOne({ portalId: p.portalId, objectId: String(contact.id) }).lean();
  assert.deepEqual(linked!.associations.map((a) => [a.toType, a.ids]), [['companies', ['$where', '$$ROOT', '$associations']]]);
});

test('modified-since search goes past the 10,000-result cap by restarting from the last id', async () => {
  const big = await startSandbox({ seed: 35, rateLimit: { perTenSeconds: 100_000, searchPerSecond: 1_000 } });
  const app = await startTestPropensity(big, 'sync_cap', { hubspot: { limits: { general: { limit: 100_000, windowMs: 10_000 }, search: { limit: 1_000, windowMs: 1_000 } } } });
  try {
    const p = big.addPortal({ contacts: 10_300, seed: 35 });
    assert.equal((await installPortal(app, big, p.portalId)).status, 303);
    const { modifiedIds } = await import('../../src/sync/read-crm.ts');
    const ids: string[] = [];
    for await (const page of modifiedIds(app.services.hubspot.forPortal(p.portalId), 'contacts', new Date(0))) ids.push(...page);
    assert.equal(ids.length, 10_300);
    assert.equal(new Set(ids).size, 10_300, 'no id twice');
  } finally {
    await app.close();
    await big.close();
  }
});

test('more than 100 records per type, and records with more associations than one page, sync completely', async () => {
  // Three links a page, so many records have their links paged, inline and in the v4 batch read.
  const fastSandbox = await startSandbox({ seed: 36, associationPageSize: 3, rateLimit: { perTenSeconds: 100_000, searchPerSecond: 1_000 } });
  const app = await startTestPropensity(fastSandbox, 'sync_linking', { hubspot: { limits: { general: { limit: 100_000, windowMs: 10_000 }, search: { limit: 1_000, windowMs: 1_000 } } } });
  try {
    const p = fastSandbox.addPortal({ contacts: 1_100, seed: 36 });
    assert.ok(p.companies > 100 && p.deals > 100, `${p.companies} companies, ${p.deals} deals`);
    const remote = fastSandbox.state.portals.get(p.portalId)!.objects;
    const paged = (type: 'contacts' | 'companies' | 'deals', to: 'contacts' | 'companies' | 'deals') => [...remote[type].values()].filter((o) => (o.assoc.get(to)?.size ?? 0) > 3).length;
    const cutShort = paged('contacts', 'companies') + paged('companies', 'deals') + paged('deals', 'contacts');
    assert.ok(paged('companies', 'deals') > 0, 'some company has more deals than one page');
    assert.equal((await installPortal(app, fastSandbox, p.portalId)).status, 303);
    assert.equal(await syncPortal(app.connection, app.services.hubspot.forPortal(p.portalId)), 'done');
    await assertCopyEquals(fastSandbox, app, p.portalId);
    const counts = fastSandbox.counters().portals[String(p.portalId)];
    const pages = Math.ceil(p.contacts / 50) + Math.ceil(p.companies / 50) + Math.ceil(p.deals / 50);
    const reads = [...fastSandbox.state.requestCounts].filter(([key]) => key.startsWith(`association-read:${p.portalId}:`)).reduce((n, [, v]) => n + v, 0);
    assert.ok(reads > 0, 'the records cut short are read through the v4 batch read');
    assert.ok(reads <= pages + cutShort, `${reads} association reads for ${cutShort} paged records`);
    assert.equal(counts.requests, pages + reads + 3 * 2, 'each page, each association read and 2 set-up requests a type, once');
  } finally {
    await app.close();
    await fastSandbox.close();
  }
});
