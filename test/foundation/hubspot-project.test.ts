import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadAppDefinition, loadWebhooksDefinition } from '../../src/install/app-definition.ts';
import { runCli } from '../helpers/cli.ts';

const publicUrl = 'https://propensity.example.com';

test('hubspot-project writes a projects folder carrying app.json\'s scopes and URLs and the webhooks', async () => {
  const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'hsproject-')), 'project');
  const result = await runCli(['hubspot-project', '--out', out], { PUBLIC_URL: publicUrl });
  assert.equal(result.code, 0, result.stderr);

  const read = async (file: string) => JSON.parse(await readFile(path.join(out, file), 'utf8'));
  const project = await read('hsproject.json');
  assert.equal(project.platformVersion, '2026.03');
  assert.equal(project.srcDir, 'src');

  const source = loadAppDefinition();
  const app = await read('src/app/app-hsmeta.json');
  assert.equal(app.type, 'app');
  assert.equal(app.uid, source.uid);
  assert.equal(app.config.distribution, 'marketplace');
  assert.equal(app.config.auth.type, 'oauth');
  assert.deepEqual(app.config.auth.requiredScopes, source.config.auth.requiredScopes);
  assert.deepEqual(app.config.auth.optionalScopes, source.config.auth.optionalScopes);
  assert.deepEqual(app.config.auth.redirectUrls, [`${publicUrl}/oauth/callback`]);
  assert.ok(!JSON.stringify(app).includes('${PUBLIC_URL}'), 'every placeholder is replaced');

  const webhooks = await read('src/app/webhooks/webhooks-hsmeta.json');
  assert.equal(webhooks.type, 'webhooks');
  assert.equal(webhooks.config.settings.targetUrl, `${publicUrl}/webhooks/hubspot`);
  assert.deepEqual(webhooks.config.subscriptions, loadWebhooksDefinition().subscriptions);
});

test('app.json asks for exactly the scopes the app uses', () => {
  const scopes = loadAppDefinition().config.auth.requiredScopes;
  assert.ok(scopes.includes('oauth'));
  for (const object of ['contacts', 'companies', 'deals']) {
    assert.ok(scopes.includes(`crm.objects.${object}.read`));
    assert.ok(scopes.includes(`crm.objects.${object}.write`));
  }
  assert.equal(new Set(scopes).size, scopes.length, 'no duplicates');
});

test('webhooks.json subscribes to creation, deletion and merge of contacts, companies and deals', () => {
  const types = loadWebhooksDefinition().subscriptions.legacyCrmObjects.filter((s) => s.active).map((s) => s.subscriptionType);
  for (const object of ['contact', 'company', 'deal']) {
    for (const event of ['creation', 'deletion', 'merge']) assert.ok(types.includes(`${object}.${event}`), `${object}.${event}`);
  }
});
