/**
 * The OAuth callback's URL carries the authorization code and the state: neither reaches a log line
 * at any level (the request log, the rejection's warning), while the path still does.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import supertest from 'supertest';
import { migrateUp } from '../../src/db/migrate.ts';
import { createKeyring } from '../../src/install/token-cipher.ts';
import { createLogger, redactUrl } from '../../src/log.ts';
import { createServices } from '../../src/services.ts';
import { createWebApp } from '../../src/web/create-web-app.ts';
import { testHubSpotApp } from '../helpers/app.ts';
import { testDatabase } from '../helpers/mongo.ts';

test('redactUrl replaces the values of code, state and tokens, and keeps the rest', () => {
  assert.equal(redactUrl('/oauth/callback?code=abc&state=x.y.z&portal=1'), '/oauth/callback?code=[redacted]&state=[redacted]&portal=1');
  assert.equal(redactUrl('/x?%73tate=s&access_token=t'), '/x?%73tate=[redacted]&access_token=[redacted]');
  assert.equal(redactUrl('/portals/1'), '/portals/1');
});

test('an OAuth callback logs neither its code nor its state', async () => {
  const connection = await testDatabase('log_redaction');
  await migrateUp(connection);
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const logger = createLogger({ level: 'trace', destination });
  const services = createServices(connection, logger, testHubSpotApp(), createKeyring({ keyId: 't', key: randomBytes(32) }));
  const web = createWebApp({ connection, logger, services });
  const code = `code-${randomBytes(8).toString('hex')}`;
  const state = await services.stateStore.issue();
  await supertest(web).get(`/oauth/callback?code=${code}&state=${encodeURIComponent(state)}`).set('cookie', 'propensity_oauth=someone-else-entirely0');
  await supertest(web).get(`/oauth/callback?code=${code}&state=not-a-state`);
  const log = lines.join('');
  assert.match(log, /\/oauth\/callback/, 'the requests were logged');
  assert.ok(!log.includes(code), `the code is not in the log: ${lines.filter((l) => l.includes(code)).join('')}`);
  assert.ok(!log.includes(state.split('.')[0]) && !log.includes('not-a-state'), 'the state is not in the log');
});
