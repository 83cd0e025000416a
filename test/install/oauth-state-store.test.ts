import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { migrateUp } from '../../src/db/migrate.ts';
import { OAuthStateStore, STATE_TTL_MS, oauthBrowserCookie } from '../../src/install/oauth-state-store.ts';
import { testDatabase } from '../helpers/mongo.ts';

const connection = await testDatabase('oauth_state');
await migrateUp(connection);
const secret = randomBytes(32);

test('a state is accepted once, then rejected as used', async () => {
  const store = new OAuthStateStore(connection, secret);
  const state = await store.issue();
  assert.equal(await store.claim(state), null);
  assert.equal(await store.claim(state), 'state already used');
});

test('two concurrent claims of one state: exactly one wins', async () => {
  const store = new OAuthStateStore(connection, secret);
  const state = await store.issue();
  const results = await Promise.all(Array.from({ length: 10 }, () => store.claim(state)));
  assert.equal(results.filter((r) => r === null).length, 1);
});

test('missing, malformed, forged and expired states are rejected', async () => {
  let clock = Date.now();
  const store = new OAuthStateStore(connection, secret, () => new Date(clock));
  assert.equal(await store.claim(undefined), 'missing state');
  assert.equal(await store.claim(['a', 'b']), 'missing state');
  assert.equal(await store.claim('{"$ne":null}'), 'malformed state');
  const state = await store.issue();
  const [nonce, expires] = state.split('.');
  assert.equal(await store.claim(`${nonce}.${expires}.${'A'.repeat(43)}`), 'forged state');
  const otherSecret = new OAuthStateStore(connection, randomBytes(32));
  assert.equal(await otherSecret.claim(state), 'forged state');
  clock += STATE_TTL_MS + 1;
  assert.equal(await store.claim(state), 'expired state');
});

test('the passport-oauth2 StateStore interface: store(req, purpose, meta, cb) and verify(req, state, meta, cb), the purpose kept', async () => {
  const store = new OAuthStateStore(connection, secret);
  assert.equal(store.store.length, 4);
  assert.equal(store.verify.length, 4);
  for (const purpose of [undefined, 'signin'] as const) {
    const state = await new Promise<string>((resolve, reject) => store.store({}, purpose && { purpose }, {}, (err, s) => (err ? reject(err) : resolve(s!))));
    const otherBrowser = await new Promise<[boolean | undefined, unknown]>((resolve) => store.verify({ headers: {} }, state, {}, (_e, ok, info) => resolve([ok, info])));
    assert.deepEqual(otherBrowser, [false, { message: 'state not started in this browser' }], 'a browser without the flow\u2019s cookie');
    const browser = { headers: { cookie: `other=1; ${oauthBrowserCookie(state)}` } };
    const first = await new Promise<[boolean | undefined, unknown]>((resolve) => store.verify(browser, state, {}, (_e, ok, info) => resolve([ok, info])));
    const second = await new Promise<boolean | undefined>((resolve) => store.verify(browser, state, {}, (_e, ok) => resolve(ok)));
    assert.deepEqual(first, [true, { purpose: purpose ?? 'install' }]);
    assert.equal(second, false);
  }
});
