import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/objects/models/PublicObjectSearchRequest.js';
import { currentValue } from '../../src/sandbox/sandbox-store.ts';
import { bearer, clientFor, failure, sandboxWithApp } from './fixtures.ts';

const sandbox = await sandboxWithApp({ seed: 8 });
after(() => sandbox.close());
// More than 10,000 contacts, for the result cap: the generator makes them in about a second.
const portal = sandbox.createPortal({ contacts: 10_400, seed: 8 });
const store = sandbox.portal(portal.portalId);
const live = [...store.objects.contacts.values()].filter((c) => !c.archived);

function request(overrides: Partial<PublicObjectSearchRequest>): PublicObjectSearchRequest {
  return { filterGroups: [], sorts: [], properties: [], limit: 10, after: undefined as unknown as string, ...overrides };
}

test('search pages past 200 with after, in hs_object_id order, the total counted (the client waits out the 5/s limit)', async () => {
  const { client } = await clientFor(sandbox, portal.portalId, { retries: 4 });
  const filter = { propertyName: 'lifecyclestage', operator: 'EQ' as never, value: 'customer' };
  const expected = live.filter((c) => currentValue('contacts', c, 'lifecyclestage') === 'customer').map((c) => String(c.id));
  assert.ok(expected.length > 600, `enough customers to page: ${expected.length}`);
  const ids: string[] = [];
  let after: string | undefined;
  let requests = 0;
  const limitedBefore = sandbox.counters().portals[portal.portalId].rateLimited;
  do {
    const page = await client.crm.objects.searchApi.doSearch('contacts', request({ filterGroups: [{ filters: [filter] }], sorts: ['hs_object_id'], properties: ['lifecyclestage'], limit: 100, after: after as string }));
    requests += 1;
    assert.equal(page.total, expected.length);
    assert.ok(page.results.every((r) => r.properties.lifecyclestage === 'customer' && r.propertiesWithHistory === undefined));
    ids.push(...page.results.map((r) => r.id));
    after = page.paging?.next?.after;
  } while (after);
  assert.deepEqual(ids, expected);
  assert.equal(requests, Math.ceil(expected.length / 100));
  assert.ok(sandbox.counters().portals[portal.portalId].rateLimited > limitedBefore, 'more than 5 searches a second met the secondly limit');
});

test('no more than 10,000 results per query: after 9,800 is the last page, past it 400; restarting from the last id goes on', async () => {
  const { client } = await clientFor(sandbox, portal.portalId, { retries: 4 });
  const lastPage = await client.crm.objects.searchApi.doSearch('contacts', request({ sorts: ['hs_object_id'], limit: 200, after: '9800' }));
  assert.equal(lastPage.total, live.length);
  assert.ok(lastPage.total > 10_000);
  assert.equal(lastPage.results.length, 200);
  const past = await failure(client.crm.objects.searchApi.doSearch('contacts', request({ sorts: ['hs_object_id'], limit: 200, after: lastPage.paging!.next!.after })));
  assert.equal(past.code, 400);
  assert.equal(past.body.status, 'error');
  assert.equal(past.body.category, 'VALIDATION_ERROR');
  const lastId = lastPage.results[199].id;
  const restarted = await client.crm.objects.searchApi.doSearch('contacts', request({
    filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT' as never, value: lastId }] }], sorts: ['hs_object_id'], limit: 200,
  }));
  assert.equal(restarted.total, live.length - 10_000);
  assert.equal(Number(restarted.results[0].id) > Number(lastId), true);
});

test('filters, one sort, a text query and the incremental filter on lastmodifieddate', async () => {
  const { client } = await clientFor(sandbox, portal.portalId, { retries: 4 });
  const search = (body: Partial<PublicObjectSearchRequest>) => client.crm.objects.searchApi.doSearch('contacts', request(body));
  const views = (c: (typeof live)[number]) => Number(currentValue('contacts', c, 'hs_analytics_num_page_views') ?? -1);

  const between = await search({ filterGroups: [{ filters: [{ propertyName: 'hs_analytics_num_page_views', operator: 'BETWEEN' as never, value: '10', highValue: '20' }] }] });
  assert.equal(between.total, live.filter((c) => views(c) >= 10 && views(c) <= 20).length);

  const orGroups = await search({ filterGroups: [
    { filters: [{ propertyName: 'lifecyclestage', operator: 'IN' as never, values: ['customer', 'opportunity'] }] },
    { filters: [{ propertyName: 'hs_email_optout', operator: 'HAS_PROPERTY' as never }] },
  ] });
  assert.equal(orGroups.total, live.filter((c) => ['customer', 'opportunity'].includes(currentValue('contacts', c, 'lifecyclestage')!) || currentValue('contacts', c, 'hs_email_optout') !== undefined).length);

  const top = await search({ sorts: [{ propertyName: 'hs_analytics_num_page_views', direction: 'DESCENDING' } as never], properties: ['hs_analytics_num_page_views'], limit: 5 });
  const most = Math.max(...live.map(views));
  assert.equal(Number(top.results[0].properties.hs_analytics_num_page_views), most);
  for (let i = 1; i < 5; i++) assert.ok(Number(top.results[i - 1].properties.hs_analytics_num_page_views) >= Number(top.results[i].properties.hs_analytics_num_page_views));

  const someone = live[123];
  const byText = await search({ query: currentValue('contacts', someone, 'email')!, properties: ['email'] });
  assert.deepEqual(byText.results.map((r) => r.id), [String(someone.id)]);

  // An app write shows up in the modified-since query.
  const since = Date.now();
  await client.crm.objects.basicApi.update('contacts', String(someone.id), { properties: { jobtitle: 'Changed now' } });
  const changed = await search({ filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE' as never, value: String(since) }] }], properties: ['jobtitle'] });
  assert.deepEqual(changed.results.map((r) => [r.id, r.properties.jobtitle]), [[String(someone.id), 'Changed now']]);
  assert.ok(changed.results[0].properties.lastmodifieddate, 'search always returns lastmodifieddate');
});

test('search input HubSpot refuses: limit over 200, a bad operator, too many groups, a non-numeric after', async () => {
  const { tokens } = await clientFor(sandbox, portal.portalId);
  const post = async (body: unknown) => {
    await new Promise((r) => setTimeout(r, 220)); // stay under 5 searches a second
    const answer = await fetch(`${sandbox.url}/crm/v3/objects/contacts/search`, { method: 'POST', headers: bearer(tokens.accessToken), body: JSON.stringify(body) });
    return [answer.status, ((await answer.json()) as { category: string }).category];
  };
  assert.deepEqual(await post({ limit: 201 }), [400, 'VALIDATION_ERROR']);
  assert.deepEqual(await post({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'LIKE', value: 'x' }] }] }), [400, 'VALIDATION_ERROR']);
  assert.deepEqual(await post({ filterGroups: Array.from({ length: 6 }, () => ({ filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' }] })) }), [400, 'VALIDATION_ERROR']);
  assert.deepEqual(await post({ after: 'abc' }), [400, 'VALIDATION_ERROR']);
  assert.deepEqual(await post({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' }] }] }), [400, 'VALIDATION_ERROR']);
});
