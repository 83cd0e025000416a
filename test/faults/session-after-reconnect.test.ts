/**
 * The watchdog in src/db/connect-mongo.ts reopens a connection that stays stuck after an outage
 * (close + openUri: a new MongoClient). Signed-in requests and /readyz must keep following it: the
 * session store once kept the closed client, so every signed-in request answered 500 for good while
 * /readyz said ready.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import supertest from 'supertest';
import { reopenConnection } from '../../src/db/connect-mongo.ts';
import { testWebApp } from '../helpers/app.ts';
import { testMongoUri } from '../helpers/mongo.ts';
import { signedInSession } from '../helpers/session.ts';

test('after the connection is reopened, signed-in requests still work and /readyz checks the session store', async () => {
  const { web, services, connection } = await testWebApp('session_reconnect');
  const { cookie } = await signedInSession(connection, services.keyring, [123]);
  assert.equal((await supertest(web).get('/').set('cookie', cookie)).status, 200);
  const before = await supertest(web).get('/readyz');
  assert.deepEqual(before.body, { status: 'ready', mongodb: 'up', sessions: 'up' });

  const oldClient = connection.getClient();
  await reopenConnection(connection, await testMongoUri());
  assert.notEqual(connection.getClient(), oldClient, 'the reopened connection has a new client');

  assert.equal((await supertest(web).get('/').set('cookie', cookie)).status, 200, 'a signed-in request after the reconnect');
  const ready = await supertest(web).get('/readyz');
  assert.equal(ready.status, 200);
  assert.equal(ready.body.sessions, 'up');
  // A sign-in after the reconnect stores a new session.
  const { cookie: second } = await signedInSession(connection, services.keyring, [456]);
  assert.equal((await supertest(web).get('/').set('cookie', second)).status, 200);
});
