/**
 * The demo's /sandbox page lists the demo portal's scored contacts and carries the simulate button's
 * token: only a browser signed in to the demo portal sees it or presses the button; an anonymous
 * visitor and a user of another portal get 403 and no contact or token.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import supertest from 'supertest';
import { migrateUp } from '../../src/db/migrate.ts';
import { createKeyring } from '../../src/install/token-cipher.ts';
import { createLogger } from '../../src/log.ts';
import type { LocalSandbox } from '../../src/sandbox/local-sandbox.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { createServices } from '../../src/services.ts';
import { createWebApp } from '../../src/web/create-web-app.ts';
import { testHubSpotApp } from '../helpers/app.ts';
import { testDatabase } from '../helpers/mongo.ts';
import { signedInSession } from '../helpers/session.ts';

const sandbox = await startSandbox({ seed: 7 });
after(() => sandbox.close());
const demo = sandbox.addPortal({ contacts: 20, seed: 7 });
const connection = await testDatabase('sandbox_page');
await migrateUp(connection);
const logger = createLogger({ level: 'silent' });
const services = createServices(connection, logger, testHubSpotApp(), createKeyring({ keyId: 't', key: randomBytes(32) }));
// The page reads the in-process sandbox and its demo portal: that much of the local sandbox is real here.
const localSandbox = { sandbox, portalId: demo.portalId } as unknown as LocalSandbox;
const web = createWebApp({ connection, logger, services, localSandbox });

test('/sandbox and its simulate button: the demo portal\u2019s users only', async () => {
  const demoUser = (await signedInSession(connection, services.keyring, [demo.portalId])).cookie;
  const otherUser = (await signedInSession(connection, services.keyring, [demo.portalId + 1])).cookie;
  const page = await supertest(web).get('/sandbox').set('cookie', demoUser);
  assert.equal(page.status, 200);
  assert.match(page.text, /id="contacts"/);
  const token = /name="token" value="([^"]+)"/.exec(page.text)![1];

  for (const [who, cookie] of [['anonymous', undefined], ['a user of another portal', otherUser]] as const) {
    const request = supertest(web).get('/sandbox').set('accept', 'text/html');
    const seen = cookie ? await request.set('cookie', cookie) : await request;
    assert.equal(seen.status, 403, who);
    assert.doesNotMatch(seen.text, /id="contacts"|name="token"/, who);
    const post = supertest(web).post('/sandbox/simulate').type('form').send({ token });
    const pressed = cookie ? await post.set('cookie', cookie) : await post;
    assert.equal(pressed.status, 403, `${who} with the token`);
  }
  const pressed = await supertest(web).post('/sandbox/simulate').set('cookie', demoUser).type('form').send({ token });
  assert.equal(pressed.status, 303);
});
