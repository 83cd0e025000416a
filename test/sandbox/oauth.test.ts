import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Client } from '@hubspot/api-client';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { allScopes, authorize, bearer, failure, testApp } from './fixtures.ts';

const sandbox = await startSandbox({ seed: 3, apps: [testApp] });
after(() => sandbox.close());
const one = sandbox.createPortal({ contacts: 5, seed: 1, domain: 'one.example' });
const two = sandbox.createPortal({ contacts: 5, seed: 2, domain: 'two.example' });
const oauth = () => new Client({ basePath: sandbox.url }).oauth;

/** The consent page's form, submitted as the admin would. */
async function consent(portalId: number, decision: 'approve' | 'decline', scope = allScopes) {
  const query = new URLSearchParams({ client_id: testApp.clientId, redirect_uri: testApp.redirectUrls[0], scope, state: 'xyz' });
  const page = await fetch(`${sandbox.url}/oauth/authorize?${query}`);
  const html = await page.text();
  const form = new URLSearchParams({ client_id: testApp.clientId, redirect_uri: testApp.redirectUrls[0], scope, state: 'xyz', portal_id: String(portalId), decision });
  const answer = await fetch(`${sandbox.url}/oauth/authorize/decision`, { method: 'POST', body: form, redirect: 'manual' });
  return { page, html, location: new URL(answer.headers.get('location')!) };
}

test('the consent page lists the portals and the scopes; Approve returns a code and the state, Decline access_denied', async () => {
  const approved = await consent(two.portalId, 'approve');
  assert.equal(approved.page.status, 200);
  for (const text of ['one.example', 'two.example', String(one.portalId), 'crm.objects.contacts.read', 'crm.schemas.companies.write', 'id="approve"', 'id="decline"']) {
    assert.ok(approved.html.includes(text), text);
  }
  assert.equal(`${approved.location.origin}${approved.location.pathname}`, testApp.redirectUrls[0]);
  assert.match(approved.location.searchParams.get('code')!, /^sbx-code-/);
  assert.equal(approved.location.searchParams.get('state'), 'xyz');

  const declined = await consent(two.portalId, 'decline');
  assert.equal(declined.location.searchParams.get('error'), 'access_denied');
  assert.equal(declined.location.searchParams.get('state'), 'xyz');
  assert.equal(declined.location.searchParams.get('code'), null);
});

test('authorize refuses an unknown client, a foreign redirect URL and scopes the app lacks', async () => {
  const ask = (params: Record<string, string>) => fetch(`${sandbox.url}/oauth/authorize?${new URLSearchParams({ client_id: testApp.clientId, redirect_uri: testApp.redirectUrls[0], scope: 'oauth', ...params })}`);
  assert.equal((await ask({ client_id: 'nobody' })).status, 400);
  assert.equal((await ask({ redirect_uri: 'https://evil.example/cb' })).status, 400);
  assert.equal((await ask({ scope: 'oauth tickets' })).status, 400);
});

test('a code is exchanged once for tokens that name the portal; expires_in is the configured lifetime', async () => {
  const code = (await consent(one.portalId, 'approve')).location.searchParams.get('code')!;
  const tokens = await oauth().tokensApi.create('authorization_code', code, testApp.redirectUrls[0], testApp.clientId, testApp.clientSecret);
  assert.equal(tokens.expiresIn, 1800);
  assert.equal(tokens.tokenType, 'bearer');
  const again = await failure(oauth().tokensApi.create('authorization_code', code, testApp.redirectUrls[0], testApp.clientId, testApp.clientSecret));
  assert.equal(again.code, 400);
  assert.equal(again.body.error, 'invalid_grant');
  assert.equal(again.body.status, 'BAD_AUTH_CODE');

  const info = await oauth().accessTokensApi.get(tokens.accessToken);
  assert.equal(info.hubId, one.portalId);
  assert.equal(info.hubDomain, 'one.example');
  assert.equal(info.appId, testApp.appId);
  assert.deepEqual(info.scopes, allScopes.split(' '));
  const refreshInfo = await oauth().refreshTokensApi.get(tokens.refreshToken);
  assert.equal(refreshInfo.hubId, one.portalId);
  assert.equal(refreshInfo.clientId, testApp.clientId);

  const wrongSecret = await failure(oauth().tokensApi.create('authorization_code', 'x', testApp.redirectUrls[0], testApp.clientId, 'not-the-secret'));
  assert.equal(wrongSecret.body.error, 'invalid_client');
});

test('a code for another redirect URL is refused; the date-versioned token endpoint answers with hub_id and scopes', async () => {
  const code = (await consent(one.portalId, 'approve')).location.searchParams.get('code')!;
  const form = (fields: Record<string, string>) => fetch(`${sandbox.url}/oauth/2026-03/token`, { method: 'POST', body: new URLSearchParams({ client_id: testApp.clientId, client_secret: testApp.clientSecret, ...fields }) });
  const mismatch = await form({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9/other' });
  assert.equal(mismatch.status, 400);
  assert.equal(((await mismatch.json()) as { status: string }).status, 'BAD_REDIRECT_URI');
  const ok = await form({ grant_type: 'authorization_code', code, redirect_uri: testApp.redirectUrls[0] });
  const body = (await ok.json()) as Record<string, unknown>;
  assert.equal(body.hub_id, one.portalId);
  assert.equal(body.token_use, 'access_token');
  assert.ok(Array.isArray(body.scopes));
  const introspected = await fetch(`${sandbox.url}/oauth/2026-03/token/introspect`, { method: 'POST', body: new URLSearchParams({ client_id: testApp.clientId, client_secret: testApp.clientSecret, token: String(body.access_token) }) });
  assert.deepEqual(await introspected.json().then((j) => [(j as Record<string, unknown>).active, (j as Record<string, unknown>).hub_id]), [true, one.portalId]);
});

test('refresh gives a new access token and keeps the refresh token; both tokens work until the token expires', async () => {
  const tokens = await authorize(sandbox, one.portalId);
  const refreshed = await oauth().tokensApi.create('refresh_token', undefined, undefined, testApp.clientId, testApp.clientSecret, tokens.refreshToken);
  assert.notEqual(refreshed.accessToken, tokens.accessToken);
  assert.equal(refreshed.refreshToken, tokens.refreshToken);
  const page = await new Client({ accessToken: refreshed.accessToken, basePath: sandbox.url }).crm.objects.basicApi.getPage('contacts', 2);
  assert.equal(page.results.length, 2);
  const bad = await failure(oauth().tokensApi.create('refresh_token', undefined, undefined, testApp.clientId, testApp.clientSecret, 'sbx-rt-unknown'));
  assert.equal(bad.code, 400);
  assert.deepEqual([bad.body.error, bad.body.status], ['invalid_grant', 'BAD_REFRESH_TOKEN']);
});

test('an expired access token gets 401 EXPIRED_AUTHENTICATION; a missing one 401 INVALID_AUTHENTICATION', async () => {
  sandbox.configure({ tokenExpiresIn: 1 });
  const tokens = await authorize(sandbox, two.portalId);
  sandbox.configure({ tokenExpiresIn: 1800 });
  assert.equal(tokens.expiresIn, 1);
  await new Promise((r) => setTimeout(r, 1_100));
  const expired = await failure(new Client({ accessToken: tokens.accessToken, basePath: sandbox.url }).crm.objects.basicApi.getPage('contacts', 1));
  assert.equal(expired.code, 401);
  assert.equal(expired.body.category, 'EXPIRED_AUTHENTICATION');
  const none = await fetch(`${sandbox.url}/crm/v3/objects/contacts`);
  assert.equal(none.status, 401);
  const body = (await none.json()) as Record<string, unknown>;
  assert.equal(body.status, 'error');
  assert.equal(body.category, 'INVALID_AUTHENTICATION');
  assert.match(String(body.correlationId), /^[0-9a-f-]{36}$/);
});

test('after an uninstall: API calls 401, refresh 400 invalid_grant / BAD_REFRESH_TOKEN; the app can also uninstall itself', async () => {
  const tokens = await authorize(sandbox, one.portalId);
  assert.equal(sandbox.uninstall(one.portalId, testApp.appId), true);
  assert.equal((await fetch(`${sandbox.url}/crm/v3/objects/contacts`, { headers: bearer(tokens.accessToken) })).status, 401);
  const refresh = await failure(oauth().tokensApi.create('refresh_token', undefined, undefined, testApp.clientId, testApp.clientSecret, tokens.refreshToken));
  assert.deepEqual([refresh.code, refresh.body.error, refresh.body.status], [400, 'invalid_grant', 'BAD_REFRESH_TOKEN']);

  const again = await authorize(sandbox, two.portalId);
  const self = await fetch(`${sandbox.url}/appinstalls/2026-03/external-install`, { method: 'DELETE', headers: bearer(again.accessToken, false) });
  assert.equal(self.status, 204);
  assert.equal(sandbox.state.isInstalled(two.portalId, testApp.appId), false);
  assert.equal((await failure(oauth().tokensApi.create('refresh_token', undefined, undefined, testApp.clientId, testApp.clientSecret, again.refreshToken))).body.status, 'BAD_REFRESH_TOKEN');
});

test('token requests are counted per app', async () => {
  const before = sandbox.counters().apps[String(testApp.appId)]?.tokenRequests ?? 0;
  await authorize(sandbox, two.portalId);
  assert.equal(sandbox.counters().apps[String(testApp.appId)].tokenRequests, before + 1);
});
