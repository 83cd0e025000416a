/**
 * The sandbox's snapshot: a sandbox started again on the same file is the HubSpot it was — the app's
 * secret and refresh token still work, records keep every written value and its history, created
 * properties and associations are there, ids go on where they stopped — and a damaged file is refused
 * by name rather than silently replaced by an empty sandbox.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Client } from '@hubspot/api-client';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { loadSandboxSnapshot, persistSandbox, saveSandboxSnapshot } from '../../src/sandbox/persist-sandbox.ts';
import { SandboxState } from '../../src/sandbox/sandbox-state.ts';
import { historyOf } from '../../src/sandbox/sandbox-store.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { clientFor, testApp } from './fixtures.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'sandbox-snapshot-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('a sandbox restarted on its snapshot keeps apps, secrets, tokens, records with history, properties, associations and id numbering', async () => {
  const file = path.join(folder, 'sandbox', 'state.ndjson');
  const first = await startSandbox({ seed: 5, autoApprove: true, apps: [{ ...testApp, webhookTargetUrl: 'http://127.0.0.1:9/webhooks' }] });
  const persistence = persistSandbox(first.state, file, { intervalMs: 60_000 });
  const { portalId } = first.createPortal({ contacts: 40, seed: 5 });
  const { tokens, client } = await clientFor(first, portalId);
  await client.crm.properties.coreApi.create('contacts', { name: 'propensity_lead_score', label: 'Lead score', type: PropertyCreateTypeEnum.Number, fieldType: PropertyCreateFieldTypeEnum.Number, groupName: 'contactinformation' });
  const contactId = String(first.portal(portalId).ids('contacts')[0]);
  await client.crm.contacts.basicApi.update(contactId, { properties: { propensity_lead_score: '71' } });
  await client.crm.contacts.basicApi.update(contactId, { properties: { propensity_lead_score: '73' } });
  const created = await client.crm.contacts.basicApi.create({ properties: { email: 'new.person@example.com' }, associations: [] });
  await persistence.close();
  const mode = statSync(file).mode & 0o777;
  assert.equal(mode, 0o600, 'the snapshot holds secrets and tokens: owner only');
  assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
  const before = first.readObjects(portalId, 'contacts', { properties: ['email', 'propensity_lead_score'], limit: 1000 });
  const companiesBefore = first.readObjects(portalId, 'companies', { limit: 1000 });
  await first.close();

  const second = await startSandbox({ seed: 5, autoApprove: true });
  assert.equal(await loadSandboxSnapshot(second.state, file), true);
  after(() => second.close());
  assert.equal(second.state.apps.get(testApp.clientId)?.clientSecret, testApp.clientSecret);
  assert.equal(second.state.apps.get(testApp.clientId)?.webhookTargetUrl, 'http://127.0.0.1:9/webhooks');
  assert.deepEqual(second.portals().map((p) => p.portalId), [portalId]);
  assert.deepEqual(second.readObjects(portalId, 'contacts', { properties: ['email', 'propensity_lead_score'], limit: 1000 }), before);
  assert.deepEqual(second.readObjects(portalId, 'companies', { limit: 1000 }), companiesBefore);
  const history = historyOf('contacts', second.portal(portalId).get('contacts', Number(contactId))!, 'propensity_lead_score').map((e) => [e.value, e.sourceType]);
  assert.deepEqual(history, [['71', 'INTEGRATION'], ['73', 'INTEGRATION']]);

  // The app's refresh token and client secret from before the restart still work, through the real client.
  const refreshed = await new Client({ basePath: second.url }).oauth.tokensApi.create('refresh_token', undefined, undefined, testApp.clientId, testApp.clientSecret, tokens.refreshToken);
  const again = new Client({ accessToken: refreshed.accessToken, basePath: second.url, numberOfApiCallRetries: 0 });
  const read = await again.crm.contacts.basicApi.getById(contactId, ['propensity_lead_score'], ['propensity_lead_score']);
  assert.equal(read.properties.propensity_lead_score, '73');
  assert.equal(read.propertiesWithHistory?.propensity_lead_score.length, 2);
  // The old access token too, while it has not expired.
  await new Client({ accessToken: tokens.accessToken, basePath: second.url, numberOfApiCallRetries: 0 }).crm.contacts.basicApi.getById(contactId);
  // The unique e-mail index is rebuilt, and new ids do not reuse old ones.
  await assert.rejects(again.crm.contacts.basicApi.create({ properties: { email: 'new.person@example.com' }, associations: [] }), (e: { code: number }) => e.code === 409);
  const next = await again.crm.contacts.basicApi.create({ properties: { email: 'another.person@example.com' }, associations: [] });
  assert.ok(Number(next.id) > Number(created.id));
});

test('a change after the last snapshot is written by the next tick; an unchanged state is not written again', async () => {
  const file = path.join(folder, 'ticks', 'state.ndjson');
  const state = new SandboxState();
  state.addPortal(31, 'ticks.example');
  const persistence = persistSandbox(state, file, { intervalMs: 50 });
  await new Promise((r) => setTimeout(r, 200));
  const written = statSync(file).mtimeMs;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(statSync(file).mtimeMs, written, 'nothing changed: no write');
  state.addPortal(32, 'later.example');
  await new Promise((r) => setTimeout(r, 300));
  await persistence.close();
  const restored = new SandboxState();
  await loadSandboxSnapshot(restored, file);
  assert.deepEqual([...restored.portals.keys()], [31, 32]);
});

test('a damaged snapshot stops the start with its name; no file means a fresh sandbox', async () => {
  const damaged = path.join(folder, 'damaged.ndjson');
  const state = new SandboxState();
  state.addPortal(41, 'damaged.example');
  await saveSandboxSnapshot(state, damaged);
  writeFileSync(damaged, `${'{"format":"propensity-sandbox-snapshot","version":1,'}\n`, { flag: 'w' });
  await assert.rejects(loadSandboxSnapshot(new SandboxState(), damaged), /damaged\.ndjson: line 1 is not JSON/);
  assert.equal(await loadSandboxSnapshot(new SandboxState(), path.join(folder, 'absent.ndjson')), false);
});
