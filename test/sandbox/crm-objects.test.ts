import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { currentValue } from '../../src/sandbox/sandbox-store.ts';
import { bearer, clientFor, failure, sandboxWithApp, testApp } from './fixtures.ts';

const sandbox = await sandboxWithApp({ seed: 5 });
after(() => sandbox.close());
const portal = sandbox.createPortal({ contacts: 1000, seed: 5 });
const store = sandbox.portal(portal.portalId);
const { tokens, client } = await clientFor(sandbox, portal.portalId);
const contacts = client.crm.objects;

test('paging through 1,000 contacts with history: 50 a page (the maximum with history), every contact once, history newest first', async () => {
  let after: string | undefined;
  const ids = new Set<string>();
  let pages = 0;
  let entries = 0;
  do {
    const page = await contacts.basicApi.getPage('contacts', 100, after, ['lifecyclestage', 'email'], ['lifecyclestage', 'hs_analytics_num_page_views'], ['companies'], false);
    assert.equal(page.results.length <= 50, true);
    for (const contact of page.results) {
      ids.add(contact.id);
      const history = contact.propertiesWithHistory!.lifecyclestage;
      assert.ok(history.length >= 1, 'every contact has a lifecycle stage');
      assert.equal(history[0].value, contact.properties.lifecyclestage, 'the newest entry is the current value');
      for (let i = 1; i < history.length; i++) assert.ok(history[i - 1].timestamp >= history[i].timestamp, 'newest first');
      assert.equal(contact.associations!.companies.results.length, 1);
      entries += history.length + (contact.propertiesWithHistory!.hs_analytics_num_page_views?.length ?? 0);
    }
    pages += 1;
    after = page.paging?.next?.after;
  } while (after);
  assert.equal(ids.size, 1000);
  assert.equal(pages, 20);
  assert.ok(entries > 5000, `a real history: ${entries} entries`);
  const limited = await contacts.basicApi.getPage('contacts', 500);
  assert.equal(limited.results.length, 100, 'at most 100 a page without history');
  const defaults = await contacts.basicApi.getPage('contacts');
  assert.equal(defaults.results.length, 10);
  assert.deepEqual(Object.keys(defaults.results[0].properties).sort(), ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
});

test('get by id or by email; unknown ids 404 with HubSpot\'s body; properties the portal lacks are ignored', async () => {
  const [first] = (await contacts.basicApi.getPage('contacts', 1, undefined, ['email'])).results;
  const byId = await contacts.basicApi.getById('contacts', first.id, ['email', 'no_such_property']);
  assert.equal(byId.properties.email, first.properties.email);
  assert.equal('no_such_property' in byId.properties, false);
  const byEmail = await contacts.basicApi.getById('contacts', first.properties.email!, ['email'], undefined, undefined, false, 'email');
  assert.equal(byEmail.id, first.id);
  const missing = await failure(contacts.basicApi.getById('contacts', '999999999'));
  assert.equal(missing.code, 404);
  assert.equal(missing.body.status, 'error');
  assert.equal(missing.body.category, 'OBJECT_NOT_FOUND');
  assert.ok(missing.body.correlationId);
});

test('create, update and archive one contact: history records INTEGRATION and the app id; a second contact with the same email is 409', async () => {
  const created = await contacts.basicApi.create('contacts', { properties: { email: 'new.person@example.com', firstname: 'New', lifecyclestage: 'lead' }, associations: [] });
  assert.equal(created.properties.email, 'new.person@example.com');
  const duplicate = await failure(contacts.basicApi.create('contacts', { properties: { email: 'NEW.person@example.com' }, associations: [] }));
  assert.equal(duplicate.code, 409);
  assert.match(String(duplicate.body.message), new RegExp(`Existing ID: ${created.id}`));
  await contacts.basicApi.update('contacts', created.id, { properties: { lifecyclestage: 'marketingqualifiedlead' } });
  const read = await contacts.basicApi.getById('contacts', created.id, ['lifecyclestage'], ['lifecyclestage']);
  assert.deepEqual(read.propertiesWithHistory!.lifecyclestage.map((e) => [e.value, e.sourceType, e.sourceId]), [
    ['marketingqualifiedlead', 'INTEGRATION', String(testApp.appId)],
    ['lead', 'INTEGRATION', String(testApp.appId)],
  ]);
  const readOnly = await failure(contacts.basicApi.update('contacts', created.id, { properties: { hs_analytics_num_page_views: '5' } }));
  assert.equal(readOnly.code, 400);
  assert.equal((readOnly.body.errors as { code: string }[])[0].code, 'READ_ONLY_VALUE');
  await contacts.basicApi.archive('contacts', created.id);
  assert.equal((await failure(contacts.basicApi.getById('contacts', created.id))).code, 404);
  const archived = await contacts.basicApi.getById('contacts', created.id, undefined, undefined, undefined, true);
  assert.equal(archived.archived, true);
  assert.ok(archived.archivedAt);
});

test('batch update with one invalid input: 207, the valid ones written, the invalid one listed under errors', async () => {
  const [a, b, c] = (await contacts.basicApi.getPage('contacts', 3)).results;
  const answer = await contacts.batchApi.update('contacts', {
    inputs: [
      { id: a.id, properties: { jobtitle: 'Buyer' } },
      { id: b.id, properties: { lifecyclestage: 'not-a-stage' } },
      { id: c.id, properties: { jobtitle: 'Champion' } },
    ],
  });
  assert.equal(answer.results.length, 2);
  const errors = (answer as { errors?: { status: string; category: string; context: Record<string, string[]>; errors: { code: string }[] }[] }).errors!;
  assert.equal(errors.length, 1);
  assert.equal(errors[0].status, 'error');
  assert.equal(errors[0].category, 'VALIDATION_ERROR');
  assert.deepEqual(errors[0].context.ids, [b.id]);
  assert.equal(errors[0].errors[0].code, 'INVALID_OPTION');
  assert.equal(currentValue('contacts', store.get('contacts', Number(a.id))!, 'jobtitle'), 'Buyer');
  assert.equal(currentValue('contacts', store.get('contacts', Number(c.id))!, 'jobtitle'), 'Champion');

  const status = await fetch(`${sandbox.url}/crm/v3/objects/contacts/batch/update`, {
    method: 'POST', headers: bearer(tokens.accessToken),
    body: JSON.stringify({ inputs: [{ id: a.id, properties: { jobtitle: 'Buyer' } }, { id: '1', properties: {} }] }),
  });
  assert.equal(status.status, 207, 'an unknown id is a partial failure too');
});

test('batch limits and shapes: 101 inputs 400, duplicate ids 400, read 207 for missing ids, create all-or-nothing, upsert by email, archive 204', async () => {
  const tooMany = await failure(contacts.batchApi.update('contacts', { inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1), properties: {} })) }));
  assert.equal(tooMany.code, 400);
  assert.equal(tooMany.body.category, 'VALIDATION_ERROR');
  const [a, b] = (await contacts.basicApi.getPage('contacts', 2)).results;
  assert.equal((await failure(contacts.batchApi.update('contacts', { inputs: [{ id: a.id, properties: {} }, { id: a.id, properties: {} }] }))).code, 400);

  const read = await contacts.batchApi.read('contacts', { inputs: [{ id: a.id }, { id: '42' }], properties: ['email'], propertiesWithHistory: ['lifecyclestage'] });
  assert.equal(read.results.length, 1);
  assert.ok(read.results[0].propertiesWithHistory!.lifecyclestage.length >= 1);
  assert.deepEqual((read as { errors?: { context: { ids: string[] } }[] }).errors![0].context.ids, ['42']);

  const rejected = await failure(contacts.batchApi.create('contacts', { inputs: [{ properties: { email: 'ok@example.com' }, associations: [] }, { properties: { nonsense_field: 'x' }, associations: [] }] }));
  assert.equal(rejected.code, 400);
  assert.equal(store.findByUnique('contacts', 'email', 'ok@example.com'), undefined, 'nothing was created');
  const created = await contacts.batchApi.create('contacts', { inputs: [{ properties: { email: 'batch1@example.com' }, associations: [] }, { properties: { email: 'batch2@example.com' }, associations: [] }] });
  assert.equal(created.results.length, 2);

  const upserted = await contacts.batchApi.upsert('contacts', { inputs: [{ id: 'batch1@example.com', idProperty: 'email', properties: { firstname: 'Known' } }, { id: 'fresh@example.com', idProperty: 'email', properties: { firstname: 'Fresh' } }] });
  assert.deepEqual(upserted.results.map((r) => [r.properties.firstname, r._new]).sort(), [['Fresh', true], ['Known', false]]);

  await contacts.batchApi.archive('contacts', { inputs: created.results.map((r) => ({ id: r.id })) });
  assert.equal(store.get('contacts', Number(created.results[0].id)), undefined);
  assert.equal(store.get('contacts', Number(b.id))?.archived, false);
});

test('a batch read with propertiesWithHistory takes at most 50 inputs, refused with HubSpot\'s 400 VALIDATION_ERROR', async () => {
  const ids = [...store.objects.contacts.keys()].map((id) => ({ id: String(id) }));
  assert.equal((await contacts.batchApi.read('contacts', { inputs: ids.slice(0, 50), properties: ['email'], propertiesWithHistory: ['email'] })).results.length, 50);
  assert.equal((await contacts.batchApi.read('contacts', { inputs: ids.slice(0, 100), properties: ['email'], propertiesWithHistory: [] })).results.length, 100, '100 without history');
  const refused = await failure(contacts.batchApi.read('contacts', { inputs: ids.slice(0, 51), properties: ['email'], propertiesWithHistory: ['email'] }));
  assert.equal(refused.code, 400);
  assert.equal(refused.body.category, 'VALIDATION_ERROR');
  assert.equal(refused.body.message, 'The maximum number of inputs supported in a batch request for property histories is 50');
});

test('archived objects list with archived=true; companies and deals answer the same API', async () => {
  const archived = await contacts.basicApi.getPage('contacts', 100, undefined, undefined, undefined, undefined, true);
  assert.ok(archived.results.length >= 3);
  assert.ok(archived.results.every((r) => r.archived));
  const companies = await contacts.basicApi.getPage('companies', 5, undefined, ['name', 'industry', 'numberofemployees', 'annualrevenue']);
  assert.equal(companies.results.length, 5);
  assert.ok(companies.results.every((c) => c.properties.industry && Number(c.properties.numberofemployees) > 0));
  const deals = await contacts.basicApi.getPage('deals', 5, undefined, ['dealstage', 'amount', 'closedate'], undefined, ['contacts', 'companies']);
  assert.ok(deals.results.every((d) => d.properties.dealstage && d.associations?.contacts?.results.length === 1));
});
