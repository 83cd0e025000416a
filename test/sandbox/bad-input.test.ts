import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { bearer, clientFor, sandboxWithApp } from './fixtures.ts';

const sandbox = await sandboxWithApp({ seed: 15, rateLimit: { perTenSeconds: 1_000_000, searchPerSecond: 1_000_000 } });
after(() => sandbox.close());
const portal = sandbox.createPortal({ contacts: 50, seed: 15 });
const store = sandbox.portal(portal.portalId);
const { tokens } = await clientFor(sandbox, portal.portalId);
const headers = bearer(tokens.accessToken);
const contactId = String([...store.objects.contacts.keys()][0]);

async function call(method: string, path: string, body?: string, extra: Record<string, string> = {}) {
  const answer = await fetch(`${sandbox.url}${path}`, { method, headers: { ...headers, ...extra }, body });
  const text = await answer.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: answer.status, json, text };
}

function assertHubSpotError(answer: { status: number; json?: Record<string, unknown> }, status: number, category: string) {
  assert.equal(answer.status, status);
  assert.equal(answer.json?.status, 'error');
  assert.equal(answer.json?.category, category);
  assert.match(String(answer.json?.correlationId), /^[0-9a-f-]{36}$/);
  assert.equal(typeof answer.json?.message, 'string');
}

test('each kind of bad request gets HubSpot\'s status and error body', async () => {
  assertHubSpotError(await call('POST', '/crm/v3/objects/contacts/batch/read', '{broken'), 400, 'VALIDATION_ERROR');
  assertHubSpotError(await call('GET', '/crm/v3/objects/unicorns'), 400, 'VALIDATION_ERROR');
  assertHubSpotError(await call('GET', '/crm/v3/objects/contacts?limit=abc'), 400, 'VALIDATION_ERROR');
  assertHubSpotError(await call('GET', '/crm/v3/objects/contacts?archived=maybe'), 400, 'VALIDATION_ERROR');
  const invalid = await call('PATCH', `/crm/v3/objects/contacts/${contactId}`, JSON.stringify({ properties: { no_such: 'x', lifecyclestage: 'sideways' } }));
  assertHubSpotError(invalid, 400, 'VALIDATION_ERROR');
  assert.deepEqual((invalid.json!.errors as { code: string }[]).map((e) => e.code), ['PROPERTY_DOESNT_EXIST', 'INVALID_OPTION']);
  assertHubSpotError(await call('GET', '/crm/v3/objects/contacts', undefined, { authorization: '' }), 401, 'INVALID_AUTHENTICATION');
  assertHubSpotError(await call('GET', '/crm/v3/objects/contacts', undefined, { authorization: 'Bearer sbx-at-forged' }), 401, 'INVALID_AUTHENTICATION');
  assertHubSpotError(await call('GET', '/crm/v3/objects/contacts/999999999'), 404, 'OBJECT_NOT_FOUND');
  assertHubSpotError(await call('GET', '/crm/v3/nothing/here'), 404, 'OBJECT_NOT_FOUND');
  const email = store.objects.contacts.get(Number(contactId))!.props.get('email')!.at(-1)!.value;
  assertHubSpotError(await call('POST', '/crm/v3/objects/contacts', JSON.stringify({ properties: { email } })), 409, 'CONFLICT');
  assertHubSpotError(await call('GET', `/crm/v3/objects/contacts?properties=${'hs_analytics_num_page_views,'.repeat(400)}`), 414, 'VALIDATION_ERROR');
  assertHubSpotError(await call('POST', '/crm/v3/objects/contacts/search', 'limit=5', { 'content-type': 'text/plain' }), 415, 'VALIDATION_ERROR');
  assertHubSpotError(await call('POST', '/crm/v3/objects/contacts/batch/read', JSON.stringify({ inputs: [] }).padEnd(11 * 1024 * 1024, ' ')), 413, 'VALIDATION_ERROR');
});

const objectType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('contacts', 'companies', 'deals', 'contact', '0-1') },
  { weight: 1, arbitrary: fc.constantFrom('tickets', '', 'x'.repeat(40), '%', '%E0%A4%A') },
);
const id = fc.oneof(fc.constant(contactId), fc.integer({ min: -5, max: 2 ** 53 }).map(String), fc.string({ maxLength: 12 }));
const segment = fc.oneof(objectType, id, fc.string({ maxLength: 8 }).map((s) => encodeURIComponent(s)), fc.constantFrom('%', '..', 'batch'));
const enc = encodeURIComponent;
/** [method, path] pairs: mostly the endpoints HubSpot has, with the method they take. */
const endpoints = fc.oneof(
  objectType.map((t) => ['GET', `/crm/v3/objects/${t}`]),
  objectType.map((t) => ['POST', `/crm/v3/objects/${t}`]),
  fc.tuple(fc.constantFrom('GET', 'PATCH', 'DELETE'), objectType, id).map(([m, t, i]) => [m, `/crm/v3/objects/${t}/${enc(i)}`]),
  fc.tuple(objectType, fc.constantFrom('read', 'create', 'update', 'upsert', 'archive')).map(([t, a]) => ['POST', `/crm/v3/objects/${t}/batch/${a}`]),
  objectType.map((t) => ['POST', `/crm/v3/objects/${t}/search`]),
  fc.constantFrom(['POST', '/crm/v3/objects/contacts/merge'], ['POST', '/crm/v3/objects/contacts/gdpr-delete'], ['DELETE', '/appinstalls/2026-03/x']),
  fc.tuple(fc.constantFrom('GET', 'POST'), objectType, fc.constantFrom('', '/groups', '/batch/read', '/batch/create', '/batch/archive')).map(([m, t, rest]) => [m, `/crm/v3/properties/${t}${rest}`]),
  fc.tuple(fc.constantFrom('GET', 'PATCH', 'DELETE'), objectType, fc.constantFrom('/groups/contactinformation', '/lifecyclestage', '/propensity_x', '/groups/nope')).map(([m, t, rest]) => [m, `/crm/v3/properties/${t}${rest}`]),
  fc.tuple(objectType, objectType, fc.constantFrom('read', 'create', 'archive', 'associate/default')).map(([a, b, action]) => ['POST', `/crm/v4/associations/${a}/${b}/batch/${action}`]),
  fc.tuple(fc.constantFrom('GET', 'PUT', 'DELETE'), objectType, id, fc.constantFrom('default/', ''), objectType, id).map(([m, a, i, dflt, b, j]) => [m, `/crm/v4/objects/${a}/${enc(i)}/associations/${dflt}${b}/${enc(j)}`]),
  fc.tuple(fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE'), segment, segment, segment).map(([m, ...parts]) => [m, `/crm/v3/${parts.join('/')}`]),
  fc.constantFrom(['POST', '/oauth/v1/token'], ['POST', '/oauth/2026-03/token'], ['POST', '/oauth/2026-03/token/introspect'], ['GET', '/oauth/v1/access-tokens/x'], ['GET', '/oauth/v1/refresh-tokens/x'], ['GET', '/oauth/authorize'], ['POST', '/oauth/authorize/decision']),
  fc.tuple(fc.constantFrom('actions', 'activity', 'objects/contacts', 'objects/x'), fc.constantFrom(String(portal.portalId), '1', 'abc')).map(([what, p]) => [what.startsWith('objects') ? 'GET' : 'POST', `/_sandbox/portals/${p}/${what}`]),
);
const query = fc.dictionary(fc.constantFrom('limit', 'after', 'properties', 'propertiesWithHistory', 'associations', 'archived', 'idProperty', 'scope', 'client_id'), fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String), fc.constantFrom('true', 'email', 'lifecyclestage,email')), { maxKeys: 3 });
const jsonBody = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.record({ inputs: fc.array(fc.oneof(fc.record({ id, properties: fc.dictionary(fc.constantFrom('email', 'lifecyclestage', 'jobtitle', 'amount', 'x'), fc.oneof(fc.string(), fc.integer(), fc.constant(null))) }), fc.anything()), { maxLength: 5 }) }).map((v) => JSON.stringify(v)),
  fc.record({ filterGroups: fc.array(fc.record({ filters: fc.array(fc.record({ propertyName: fc.constantFrom('email', 'hs_object_id', 'createdate', 'nope'), operator: fc.constantFrom('EQ', 'GT', 'BETWEEN', 'IN', 'HAS_PROPERTY', 'BAD'), value: fc.oneof(fc.string(), fc.integer()), values: fc.anything() }, { requiredKeys: ['propertyName'] }), { maxLength: 7 }) }), { maxLength: 6 }), limit: fc.oneof(fc.integer(), fc.string()), after: fc.oneof(fc.integer(), fc.string()), sorts: fc.anything() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ type: fc.constantFrom('pageView', 'merge', 'archive', 'lifecycleChange', 'x'), contactId: fc.oneof(fc.constant(Number(contactId)), fc.integer()), stage: fc.string(), objectType, objectId: fc.integer() }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 50 }),
);

test('fuzzed requests never get a 5xx, and errors come in HubSpot\'s body', async () => {
  await fc.assert(
    fc.asyncProperty(endpoints, query, fc.option(jsonBody, { nil: undefined }), async ([method, path], params, body) => {
      const search = new URLSearchParams(params).toString();
      const answer = await call(method, `${path}${search ? `?${search}` : ''}`, method === 'GET' || method === 'DELETE' ? undefined : body);
      assert.ok(answer.status < 500, `${method} ${path}?${search} ${body ?? ''} → ${answer.status} ${answer.text.slice(0, 200)}`);
      if (answer.status >= 400 && answer.json && !path.startsWith('/oauth/')) assert.equal(answer.json.status, 'error', `${method} ${path}: ${answer.text.slice(0, 200)}`);
    }),
    { numRuns: 600, seed: 42 },
  );
  assert.equal((await call('GET', '/crm/v3/objects/contacts?limit=1')).status, 200, 'still serving');
});
