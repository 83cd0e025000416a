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
  const contactIds = [...store.objects.contacts.keys()].slice(0, 250).map(String);
  const answer = await v4.batchApi.getPage('contacts', 'companies', { inputs: [...contactIds.map((id) => ({ id })), { id: '1' }] });
  assert.equal(answer.results.length, 250);
  for (const result of answer.results) {
    const contact = store.get('contacts', Number(result._from.id))!;
    assert.deepEqual(result.to.map((t) => t.toObjectId), [...contact.assoc.get('companies')!]);
    assert.deepEqual(result.to[0].associationTypes.map((t) => [t.category, t.typeId, t.label ?? null]), [['HUBSPOT_DEFINED', 1, 'Primary'], ['HUBSPOT_DEFINED', 279, null]]);
  }
  const errors = (answer as { errors?: { context: { fromObjectId: string[] } }[] }).errors!;
  assert.deepEqual(errors.map((e) => e.context.fromObjectId[0]), ['1']);
  const deals = await v4.batchApi.getPage('deals', 'contacts', { inputs: [...store.objects.deals.keys()].slice(0, 10).map((id) => ({ id: String(id) })) });
  assert.ok(deals.results.every((r) => r.to.length === 1 && r.to[0].associationTypes[0].typeId === 3));
  assert.equal((await failure(v4.batchApi.getPage('contacts', 'companies', { inputs: Array.from({ length: 1001 }, (_, i) => ({ id: String(i) })) }))).code, 400);
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
