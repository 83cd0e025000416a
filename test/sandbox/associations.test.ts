import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/models/AssociationSpec.js';
import { clientFor, failure, sandboxWithApp } from './fixtures.ts';

const sandbox = await sandboxWithApp({ seed: 12 });
after(() => sandbox.close());
const portal = sandbox.createPortal({ contacts: 300, seed: 12 });
const store = sandbox.portal(portal.portalId);
const { client } = await clientFor(sandbox, portal.portalId);
const v4 = client.crm.associations.v4;

test('v4 batch read: every contact\'s company (Primary and unlabeled types), 207 for ids without any', async () => {
  const contactIds = [...store.objects.contacts.keys()].slice(0, 99).map(String);
  const answer = await v4.batchApi.getPage('contacts', 'companies', { inputs: [...contactIds.map((id) => ({ id })), { id: '1' }] });
  assert.equal(answer.results.length, 99);
  for (const result of answer.results) {
    const contact = store.get('contacts', Number(result._from.id))!;
    assert.deepEqual(result.to.map((t) => t.toObjectId), [...contact.assoc.get('companies')!]);
    assert.deepEqual(result.to[0].associationTypes.map((t) => [t.category, t.typeId, t.label ?? null]), [['HUBSPOT_DEFINED', 1, 'Primary'], ['HUBSPOT_DEFINED', 279, null]]);
  }
  const errors = (answer as { errors?: { context: { fromObjectId: string[] } }[] }).errors!;
  assert.deepEqual(errors.map((e) => e.context.fromObjectId[0]), ['1']);
  const deals = await v4.batchApi.getPage('deals', 'contacts', { inputs: [...store.objects.deals.keys()].slice(0, 10).map((id) => ({ id: String(id) })) });
  assert.ok(deals.results.every((r) => r.to.length === 1 && r.to[0].associationTypes[0].typeId === 3));
});

test('v4 batch read takes at most 100 inputs (HubSpot changelog 2025-01-06), refused with HubSpot\'s 400 body', async () => {
  const ids = [...store.objects.contacts.keys()].map(String);
  assert.equal((await v4.batchApi.getPage('contacts', 'companies', { inputs: ids.slice(0, 100).map((id) => ({ id })) })).results.length, 100);
  const refused = await failure(v4.batchApi.getPage('contacts', 'companies', { inputs: ids.slice(0, 101).map((id) => ({ id })) }));
  assert.equal(refused.code, 400);
  const body = refused.body as { status: string; category: string; message: string; correlationId: string };
  assert.equal(body.status, 'error');
  assert.equal(body.category, 'VALIDATION_ERROR');
  assert.match(body.message, /not contain more than 100 inputs/);
  assert.ok(body.correlationId);
});

test('each record\'s associations are paged on their own: batch read results and inline lists carry paging.next.after', async () => {
  sandbox.configure({ associationPageSize: 2 });
  try {
    const company = [...store.objects.companies.values()].sort((a, b) => (b.assoc.get('contacts')?.size ?? 0) - (a.assoc.get('contacts')?.size ?? 0))[0];
    const all = [...company.assoc.get('contacts')!].map(String);
    assert.ok(all.length > 2, `company ${company.id} has ${all.length} contacts`);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const answer = await v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: String(company.id), ...(after ? { after } : {}) }] });
      assert.ok(answer.results[0].to.length <= 2);
      seen.push(...answer.results[0].to.map((t) => String(t.toObjectId)));
      after = answer.results[0].paging?.next?.after;
      pages += 1;
    } while (after);
    assert.deepEqual(seen, all);
    assert.equal(pages, Math.ceil(all.length / 2));
    const inline = await client.crm.objects.basicApi.getById('companies', String(company.id), undefined, undefined, ['contacts']);
    assert.equal(inline.associations!.contacts.results.length, 2);
    assert.ok(inline.associations!.contacts.paging?.next?.after, 'inline list paged');
    assert.equal((await failure(v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: String(company.id), after: 'not-a-cursor' }] }))).code, 400);
  } finally {
    sandbox.configure({ associationPageSize: 100 });
  }
});

test('creating associations: default, labelled, batch; each is readable from both sides', async () => {
  const [a, b, c] = [...store.objects.contacts.keys()].slice(-3);
  const [company] = [...store.objects.companies.keys()].slice(-1);
  await v4.basicApi.createDefault('contacts', String(a), 'companies', String(company));
  await v4.basicApi.create('contacts', String(b), 'companies', String(company), [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 279 }]);
  await v4.batchApi.createDefault('contacts', 'companies', { inputs: [{ _from: { id: String(c) }, to: { id: String(company) } }] });
  const fromCompany = await v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: String(company) }] });
  // HubSpot sends toObjectId as a number, whatever the client's type says.
  const linked = fromCompany.results[0].to.map((t) => Number(t.toObjectId));
  for (const id of [a, b, c]) assert.ok(linked.includes(id), `contact ${id}`);
  const wrongType = await failure(v4.basicApi.create('contacts', String(a), 'companies', String(company), [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 3 }]));
  assert.equal(wrongType.code, 400);
  const missing = await failure(v4.basicApi.createDefault('contacts', String(a), 'companies', '12345'));
  assert.equal(missing.code, 404);
});

test('objects created with associations are linked at once', async () => {
  const [company] = [...store.objects.companies.keys()];
  const created = await client.crm.objects.basicApi.create('contacts', {
    properties: { email: 'linked@example.com' },
    associations: [{ to: { id: String(company) }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 279 }] }],
  });
  const read = await client.crm.objects.basicApi.getById('contacts', created.id, undefined, undefined, ['companies']);
  assert.deepEqual(read.associations!.companies.results.map((r) => r.id), [String(company)]);
});
