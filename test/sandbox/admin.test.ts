import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { UsageError } from '../../src/cli/command.ts';
import { parseSandboxArgs } from '../../src/cli/commands/sandbox.ts';
import { projectRoot } from '../../src/install/app-definition.ts';
import { currentValue, historyOf } from '../../src/sandbox/sandbox-store.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { authorize, bearer, clientFor, failure, testApp } from './fixtures.ts';

const sandbox = await startSandbox({ seed: 16, autoApprove: true });
after(() => sandbox.close());
const admin = async (method: string, route: string, body?: unknown) => {
  const answer = await fetch(`${sandbox.url}/_sandbox${route}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> & { results?: Record<string, unknown>[] } };
};

test('the admin API over HTTP: register an app, create a portal, act as a user, set limits, count, read objects, uninstall', async () => {
  assert.equal((await admin('POST', '/apps', { ...testApp, scopes: ['oauth', 'crm.objects.contacts.read'] })).status, 201);
  assert.equal((await admin('POST', '/apps', { appId: 'x' })).status, 400);
  const created = await admin('POST', '/portals', { contacts: 30, seed: 3, domain: 'admin.example' });
  assert.equal(created.status, 201);
  const portalId = Number(created.body.portalId);
  assert.deepEqual([created.body.contacts, created.body.domain], [30, 'admin.example']);
  assert.ok((await admin('GET', '/portals')).body.results!.some((p) => p.portalId === portalId));

  const contactId = sandbox.portal(portalId).ids('contacts')[0];
  const acted = await admin('POST', `/portals/${portalId}/actions`, { type: 'pageView', contactId, count: 3 });
  assert.ok((acted.body.changedProperties as string[]).includes('hs_analytics_num_page_views'));
  assert.equal(historyOf('contacts', sandbox.portal(portalId).get('contacts', contactId)!, 'hs_analytics_num_page_views').at(-1)!.sourceType, 'ANALYTICS');
  assert.equal((await admin('POST', `/portals/${portalId}/actions`, { type: 'lifecycleChange', contactId, stage: 'sideways' })).status, 400);
  assert.equal((await admin('POST', `/portals/${portalId}/actions`, { type: 'pageView', contactId: 1 })).status, 404);
  assert.equal(((await admin('POST', `/portals/${portalId}/activity`, { contacts: 4, seed: 1 })).body.contactIds as number[]).length, 4);

  const tokens = await authorize(sandbox, portalId, 'oauth crm.objects.contacts.read');
  assert.equal((await admin('PUT', '/settings', { rateLimit: { perTenSeconds: 2 } })).status, 200);
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await fetch(`${sandbox.url}/crm/v3/objects/contacts?limit=1`, { headers: bearer(tokens.accessToken, false) })).status);
  assert.deepEqual(statuses, [200, 200, 429]);
  await admin('PUT', '/settings', { rateLimit: { perTenSeconds: 110 } });
  const counters = (await admin('GET', '/counters')).body as { portals: Record<string, { requests: number; rateLimited: number }>; apps: Record<string, { tokenRequests: number }>; webhooks: { sent: number } };
  assert.deepEqual([counters.portals[portalId].requests, counters.portals[portalId].rateLimited], [3, 1]);
  assert.equal(counters.apps[testApp.appId].tokenRequests, 1);

  const objects = await admin('GET', `/portals/${portalId}/objects/contacts?properties=email,hs_analytics_num_page_views&limit=5`);
  assert.equal(objects.body.total, 30);
  assert.equal(objects.body.results!.length, 5);
  assert.equal(objects.body.results![0].id, String(contactId));
  assert.equal((objects.body.results![0].properties as Record<string, string>).hs_analytics_num_page_views, currentValue('contacts', sandbox.portal(portalId).get('contacts', contactId)!, 'hs_analytics_num_page_views'));

  assert.deepEqual((await admin('DELETE', `/portals/${portalId}/apps/${testApp.appId}`)).body, { uninstalled: true });
  assert.equal((await fetch(`${sandbox.url}/crm/v3/objects/contacts`, { headers: bearer(tokens.accessToken, false) })).status, 401);
});

test('several portals at once: each with its own data, tokens and counters', async () => {
  sandbox.registerApp({ ...testApp, scopes: undefined });
  const a = sandbox.createPortal({ contacts: 20, seed: 1 });
  const b = sandbox.createPortal({ contacts: 35, seed: 2 });
  const ca = await clientFor(sandbox, a.portalId);
  const cb = await clientFor(sandbox, b.portalId);
  const pageA = await ca.client.crm.objects.basicApi.getPage('contacts', 100);
  const pageB = await cb.client.crm.objects.basicApi.getPage('contacts', 100);
  assert.deepEqual([pageA.results.length, pageB.results.length], [20, 35]);
  assert.equal(pageA.results.some((r) => pageB.results.some((s) => s.id === r.id)), false, 'ids are unique across portals');
  assert.equal((await failure(ca.client.crm.objects.basicApi.getById('contacts', pageB.results[0].id))).code, 404, 'a token sees its own portal only');
  assert.equal((await ca.client.oauth.accessTokensApi.get(ca.tokens.accessToken)).hubId, a.portalId);
  const counters = sandbox.counters();
  assert.deepEqual([counters.portals[a.portalId].requests, counters.portals[b.portalId].requests], [2, 1]);
});

test('simulated users: archive, restore, merge and a GDPR deletion, each with its history and source', async () => {
  const p = sandbox.createPortal({ contacts: 10, seed: 4 });
  const store = sandbox.portal(p.portalId);
  const [x, y, z] = store.ids('contacts');
  sandbox.simulate(p.portalId, { type: 'emailClick', contactId: x });
  assert.equal(historyOf('contacts', store.get('contacts', x)!, 'hs_email_click').at(-1)!.sourceType, 'EMAIL');
  sandbox.simulate(p.portalId, { type: 'propertyEdit', objectType: 'contacts', objectId: x, properties: { jobtitle: 'Founder' } });
  const edit = historyOf('contacts', store.get('contacts', x)!, 'jobtitle').at(-1)!;
  assert.deepEqual([edit.value, edit.sourceType, edit.updatedByUserId], ['Founder', 'CRM_UI', 101]);
  sandbox.simulate(p.portalId, { type: 'archive', objectType: 'contacts', objectId: y });
  assert.equal(store.get('contacts', y), undefined);
  sandbox.simulate(p.portalId, { type: 'restore', objectType: 'contacts', objectId: y });
  assert.ok(store.get('contacts', y));
  sandbox.simulate(p.portalId, { type: 'merge', objectType: 'contacts', primaryId: x, mergedId: y });
  assert.equal(store.get('contacts', y)!.id, x, 'a merged-away id reads as the survivor');
  sandbox.simulate(p.portalId, { type: 'privacyDeletion', contactId: z });
  assert.equal(store.objects.contacts.has(z), false);
  assert.throws(() => sandbox.simulate(p.portalId, { type: 'pageView', contactId: z }), /No contacts/);
});

test('the CLI: bad flags are a usage error; `propensity sandbox` serves until SIGTERM', async () => {
  assert.throws(() => parseSandboxArgs(['--port', 'eighty']), UsageError);
  assert.throws(() => parseSandboxArgs(['--contacts', '999999999']), UsageError);
  assert.throws(() => parseSandboxArgs(['--nope']), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  assert.throws(() => parseSandboxArgs(['--client-id', 'x']), UsageError);
  assert.deepEqual(parseSandboxArgs(['--port', '0', '--seed', '7']).seed, 7);

  const child = spawn(process.execPath, [path.join(projectRoot, 'src/cli/bin.js'), 'sandbox', '--port', '0', '--contacts', '25', '--portals', '2',
    '--app-id', '77', '--client-id', 'cli-client', '--client-secret', 'cli-secret', '--redirect-url', 'http://127.0.0.1:9/cb'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${lines.join('\n')}`)));
  });
  assert.equal(lines.filter((l) => /^portal \d+ .*25 contacts/.test(l)).length, 2);
  const portals = (await (await fetch(`${url}/_sandbox/portals`)).json()) as { results: unknown[] };
  assert.equal(portals.results.length, 2);
  assert.equal(((await (await fetch(`${url}/_sandbox/apps`)).json()) as { results: { clientId: string }[] }).results[0].clientId, 'cli-client');
  child.kill('SIGTERM');
  assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 0);
});
