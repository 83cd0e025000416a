import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

const key = Buffer.alloc(32, 7).toString('base64');
const production = {
  HUBSPOT_CLIENT_ID: 'client-id',
  HUBSPOT_CLIENT_SECRET: 'client-secret',
  HUBSPOT_APP_ID: '123456',
  PUBLIC_URL: 'https://propensity.example.com/',
  MONGODB_URI: 'mongodb://db.example.com:27017/propensity',
  TOKEN_ENCRYPTION_KEY: key,
};

function rejects(env: NodeJS.ProcessEnv, variable: string, pattern?: RegExp) {
  assert.throws(() => loadConfig(env), (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    assert.ok(error.message.startsWith(`${variable}:`), `message should name ${variable}: ${error.message}`);
    if (pattern) assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'one line');
    return true;
  });
}

test('defaults: sandbox mode on the embedded engine, port 3000', () => {
  const config = loadConfig({});
  assert.equal(config.hubspot.mode, 'sandbox');
  assert.equal(config.mongodbUri, undefined);
  assert.equal(config.http.port, 3000);
  assert.equal(config.http.publicUrl, 'http://localhost:3000');
  assert.ok(config.dataDir.endsWith('.data'));
});

test('full production configuration is accepted and normalised', () => {
  const config = loadConfig(production);
  assert.equal(config.hubspot.mode, 'hubspot');
  assert.equal(config.http.publicUrl, 'https://propensity.example.com');
  assert.equal(config.tokenEncryption?.current.key.length, 32);
  assert.equal(config.tokenEncryption?.current.keyId, 'k1');
  assert.deepEqual(config.tokenEncryption?.previous, []);
  const rotated = loadConfig({ ...production, TOKEN_ENCRYPTION_KEY_ID: 'k2', TOKEN_ENCRYPTION_PREVIOUS_KEYS: `k1:${key}` });
  assert.equal(rotated.tokenEncryption?.current.keyId, 'k2');
  assert.deepEqual(rotated.tokenEncryption?.previous.map((k) => k.keyId), ['k1']);
});

test('invalid values name the variable', () => {
  rejects({ PORT: 'eighty' }, 'PORT');
  rejects({ PORT: '70000' }, 'PORT');
  rejects({ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL');
  rejects({ PUBLIC_URL: 'ftp://example.com' }, 'PUBLIC_URL');
  rejects({ MONGODB_URI: 'postgres://x' }, 'MONGODB_URI', /mongodb:\/\//);
  rejects({ TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' }, 'TOKEN_ENCRYPTION_KEY', /32 bytes/);
  rejects({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL');
  rejects({ TOKEN_ENCRYPTION_PREVIOUS_KEYS: 'k0:c2hvcnQ=' }, 'TOKEN_ENCRYPTION_PREVIOUS_KEYS');
  rejects({ HUBSPOT_APP_ID: 'abc', HUBSPOT_CLIENT_ID: 'a', HUBSPOT_CLIENT_SECRET: 'b' }, 'HUBSPOT_APP_ID');
});

test('with HubSpot credentials, every production variable is required and a missing one is named', () => {
  for (const name of Object.keys(production)) {
    const env: NodeJS.ProcessEnv = { ...production };
    delete env[name];
    rejects(env, name, /required/);
  }
});

test('an empty value counts as unset', () => {
  assert.equal(loadConfig({ PORT: '' }).http.port, 3000);
});

test('the schedules are node-cron expressions: defaults, overrides, and one line naming a bad one', () => {
  assert.deepEqual(loadConfig({}).schedule, { incrementalSync: '*/5 * * * *', deletionReconciliation: '30 3 * * *', refusedTokenRetentionDays: 30 });
  assert.equal(loadConfig({ DELETION_RECONCILIATION_CRON: '0 */6 * * *' }).schedule.deletionReconciliation, '0 */6 * * *');
  rejects({ INCREMENTAL_SYNC_CRON: 'every five minutes' }, 'INCREMENTAL_SYNC_CRON', /cron expression/);
});
