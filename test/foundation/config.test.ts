import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { runCli } from '../helpers/cli.ts';

const key = randomBytes(32).toString('base64');
const production = {
  HUBSPOT_CLIENT_ID: 'client-id',
  HUBSPOT_CLIENT_SECRET: '5b6f0a8e-2c1d-4e9f-9a7b-3c2d1e0f4a5b',
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

// NODE_ENV=production: the full configuration above plus a metrics token, and each weak setting refused in one line.
const live = { ...production, NODE_ENV: 'production', METRICS_TOKEN: randomBytes(32).toString('hex') };

test('production starts on a strong configuration', () => {
  const config = loadConfig(live);
  assert.equal(config.env, 'production');
  assert.equal(config.metricsToken, live.METRICS_TOKEN);
});

test('production refuses every weak setting, naming it and why in one line', () => {
  const without = (name: keyof typeof live) => Object.fromEntries(Object.entries(live).filter(([k]) => k !== name));
  rejects({ NODE_ENV: 'production' }, 'HUBSPOT_CLIENT_ID', /demo sandbox/);
  rejects({ ...live, HUBSPOT_CLIENT_SECRET: 'x' }, 'HUBSPOT_CLIENT_SECRET', /not a HubSpot client secret/);
  rejects({ ...live, TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') }, 'TOKEN_ENCRYPTION_KEY', /not a random key/);
  rejects({ ...live, TOKEN_ENCRYPTION_KEY: Buffer.from('0123456789'.repeat(4).slice(0, 32)).toString('base64') }, 'TOKEN_ENCRYPTION_KEY', /not a random key/);
  rejects({ ...live, TOKEN_ENCRYPTION_PREVIOUS_KEYS: `k0:${Buffer.alloc(32, 1).toString('base64')}` }, 'TOKEN_ENCRYPTION_PREVIOUS_KEYS', /not a random key/);
  rejects({ ...live, PUBLIC_URL: 'http://propensity.example.com' }, 'PUBLIC_URL', /https/);
  rejects({ ...live, HUBSPOT_API_BASE_URL: 'http://api.hubapi.com' }, 'HUBSPOT_API_BASE_URL', /https/);
  rejects(without('METRICS_TOKEN'), 'METRICS_TOKEN', /required in production/);
  rejects({ ...live, METRICS_TOKEN: 'secret' }, 'METRICS_TOKEN', /guessable/);
  rejects(without('TOKEN_ENCRYPTION_KEY'), 'TOKEN_ENCRYPTION_KEY', /required/);
  rejects(without('MONGODB_URI'), 'MONGODB_URI', /required/);
  // Outside production the same settings are accepted (local runs, the demo).
  assert.equal(loadConfig({ ...live, NODE_ENV: 'development', HUBSPOT_CLIENT_SECRET: 'x', METRICS_TOKEN: undefined }).hubspot.mode, 'hubspot');
});

test('NODE_ENV=production npm start without credentials exits 2 with one line, serving nothing', async () => {
  const result = await runCli(['serve'], { NODE_ENV: 'production', PORT: '0' });
  assert.notEqual(result.code, 0);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /HUBSPOT_CLIENT_ID: required in production/);
});
