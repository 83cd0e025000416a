import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { bearer, clientFor, failure, sandboxWithApp } from './fixtures.ts';

const sandbox = await sandboxWithApp({ seed: 9 });
after(() => sandbox.close());
const portal = sandbox.createPortal({ contacts: 20, seed: 9 });
const { tokens, client } = await clientFor(sandbox, portal.portalId);
const properties = client.crm.properties;

test('a new portal has HubSpot\'s standard properties and groups, with real types and options', async () => {
  const contacts = new Map((await properties.coreApi.getAll('contacts')).results.map((p) => [p.name, p]));
  for (const name of ['lifecyclestage', 'hs_analytics_source', 'hs_analytics_num_page_views', 'hs_analytics_num_visits', 'num_conversion_events',
    'hs_email_open', 'hs_email_click', 'hs_email_bounce', 'hs_email_optout', 'createdate', 'lastmodifieddate', 'hs_object_id', 'hs_lead_status',
    'hs_lifecyclestage_customer_date', 'notes_last_contacted', 'num_contacted_notes']) {
    assert.ok(contacts.has(name), name);
    assert.equal(contacts.get(name)!.hubspotDefined, true);
  }
  assert.deepEqual(contacts.get('lifecyclestage')!.options.map((o) => o.value), ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']);
  assert.deepEqual([contacts.get('createdate')!.type, contacts.get('createdate')!.fieldType], ['datetime', 'date']);
  assert.equal(contacts.get('hs_analytics_num_page_views')!.modificationMetadata!.readOnlyValue, true);
  const deals = new Map((await properties.coreApi.getAll('deals')).results.map((p) => [p.name, p]));
  for (const name of ['dealstage', 'amount', 'closedate', 'pipeline', 'hs_lastmodifieddate', 'hs_is_closed_won']) assert.ok(deals.has(name), name);
  const companies = new Map((await properties.coreApi.getAll('companies')).results.map((p) => [p.name, p]));
  for (const name of ['industry', 'numberofemployees', 'annualrevenue', 'total_revenue', 'hs_lastmodifieddate']) assert.ok(companies.has(name), name);
  const groups = (await properties.groupsApi.getAll('contacts')).results.map((g) => g.name);
  for (const name of ['contactinformation', 'analyticsinformation', 'emailinformation']) assert.ok(groups.includes(name), name);
});

test('create a group and a property; the duplicate answers 409 with HubSpot\'s body', async () => {
  const group = await properties.groupsApi.create('contacts', { name: 'propensity', label: 'Propensity AI', displayOrder: -1 });
  assert.equal(group.name, 'propensity');
  const again = await failure(properties.groupsApi.create('contacts', { name: 'propensity', label: 'Propensity AI' }));
  assert.equal(again.code, 409);

  const definition = { name: 'propensity_lead_score', label: 'Lead score', type: 'number', fieldType: 'number', groupName: 'propensity', description: 'From 0 to 100' };
  const created = await properties.coreApi.create('contacts', definition as never);
  assert.deepEqual([created.name, created.type, created.fieldType, created.hubspotDefined], ['propensity_lead_score', 'number', 'number', false]);
  const duplicate = await failure(properties.coreApi.create('contacts', definition as never));
  assert.equal(duplicate.code, 409);
  assert.equal(duplicate.body.status, 'error');
  assert.equal(duplicate.body.category, 'OBJECT_ALREADY_EXISTS');
  assert.match(String(duplicate.body.message), /propensity_lead_score/);
  assert.ok(duplicate.body.correlationId);
  assert.equal((await properties.coreApi.getByName('contacts', 'propensity_lead_score')).label, 'Lead score');
  // The new property takes values: numbers only.
  const contact = (await client.crm.objects.basicApi.getPage('contacts', 1)).results[0];
  await client.crm.objects.basicApi.update('contacts', contact.id, { properties: { propensity_lead_score: '87' } });
  const bad = await failure(client.crm.objects.basicApi.update('contacts', contact.id, { properties: { propensity_lead_score: 'high' } }));
  assert.equal(bad.code, 400);
  assert.equal(bad.body.category, 'VALIDATION_ERROR');
});

test('type and fieldType must fit; enumerations need options; names are lowercase; the group must exist', async () => {
  const base = { label: 'X', groupName: 'contactinformation' };
  const refused = async (definition: Record<string, unknown>) => {
    const answer = await failure(properties.coreApi.create('contacts', { ...base, ...definition } as never));
    assert.equal(answer.code, 400, JSON.stringify(definition));
    assert.equal(answer.body.category, 'VALIDATION_ERROR');
    assert.ok(Array.isArray(answer.body.errors) && answer.body.errors.length > 0);
  };
  await refused({ name: 'p1', type: 'number', fieldType: 'text' });
  await refused({ name: 'p2', type: 'string', fieldType: 'select' });
  await refused({ name: 'p3', type: 'datetime', fieldType: 'number' });
  await refused({ name: 'p4', type: 'enumeration', fieldType: 'select' });
  await refused({ name: 'p5', type: 'money', fieldType: 'number' });
  await refused({ name: 'Bad Name', type: 'string', fieldType: 'text' });
  await refused({ name: 'p6', type: 'string', fieldType: 'text', groupName: 'no_such_group' });
  // `hidden` is required on every option in HubSpot's schema.
  await refused({ name: 'p7', type: 'enumeration', fieldType: 'select', options: [{ label: 'A', value: 'a', displayOrder: 0 }] });
  for (const [type, fieldType] of [['string', 'textarea'], ['bool', 'booleancheckbox'], ['datetime', 'date'], ['enumeration', 'radio']]) {
    const name = `ok_${type}_${fieldType}`;
    const options = type === 'enumeration' ? [{ label: 'A', value: 'a', hidden: false, displayOrder: 0 }] : undefined;
    assert.equal((await properties.coreApi.create('contacts', { ...base, name, type, fieldType, options } as never)).name, name);
  }
});

test('properties need the schema scope to change and a CRM scope to read: 403 MISSING_SCOPES otherwise', async () => {
  const { client: reader } = await clientFor(sandbox, portal.portalId, { scopes: 'oauth crm.objects.contacts.read' });
  assert.ok((await reader.crm.properties.coreApi.getAll('contacts')).results.length > 10);
  const denied = await failure(reader.crm.properties.coreApi.create('contacts', { name: 'x_y', label: 'X', type: 'string', fieldType: 'text', groupName: 'contactinformation' } as never));
  assert.equal(denied.code, 403);
  assert.equal(denied.body.category, 'MISSING_SCOPES');
  assert.deepEqual((denied.body.errors as { context: { requiredGranularScopes: string[] } }[])[0].context.requiredGranularScopes, ['crm.schemas.contacts.write']);
  assert.equal((await failure(reader.crm.objects.basicApi.update('contacts', '1', { properties: {} }))).code, 403);
  assert.equal((await failure(reader.crm.objects.basicApi.getPage('deals', 1))).code, 403);
  const { client: bare } = await clientFor(sandbox, portal.portalId, { scopes: 'oauth' });
  assert.equal((await failure(bare.crm.properties.coreApi.getAll('deals'))).code, 403);
});

test('custom properties can be updated and archived; HubSpot-defined ones cannot', async () => {
  const updated = await fetch(`${sandbox.url}/crm/v3/properties/contacts/propensity_lead_score`, { method: 'PATCH', headers: bearer(tokens.accessToken), body: JSON.stringify({ label: 'Propensity score' }) });
  assert.equal(updated.status, 200);
  assert.equal(((await updated.json()) as { label: string }).label, 'Propensity score');
  const standard = await fetch(`${sandbox.url}/crm/v3/properties/contacts/lifecyclestage`, { method: 'DELETE', headers: bearer(tokens.accessToken, false) });
  assert.equal(standard.status, 400);
  await properties.coreApi.archive('contacts', 'ok_string_textarea');
  assert.equal((await failure(properties.coreApi.getByName('contacts', 'ok_string_textarea'))).code, 404);
});
