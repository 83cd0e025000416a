import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import supertest from 'supertest';
import { connectMongo } from '../../src/db/connect-mongo.ts';
import { startEmbeddedMongo } from '../../src/db/embedded/start-embedded-mongodb.ts';
import { projectRoot } from '../../src/install/app-definition.ts';
import { createLogger } from '../../src/log.ts';
import { createWebApp } from '../../src/web/create-web-app.ts';

const dataDir = path.join(projectRoot, '.data');

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

test('/readyz is 200 with MongoDB up, 503 while it is stopped, and 200 again once it is back', async () => {
  // An engine of this test's own, so stopping it does not disturb the other test files.
  const dbPath = path.join(dataDir, 'test-runs', `readyz-${process.pid}`);
  const runtimeDir = path.join(dataDir, 'runtime');
  let mongo = await startEmbeddedMongo({ dbPath, runtimeDir });
  after(async () => {
    await mongo.stop();
    await rm(dbPath, { recursive: true, force: true });
  });
  const connection = await connectMongo(mongo.uri, 'readyz');
  after(() => connection.close());
  const app = createWebApp({ connection, logger: createLogger({ level: 'silent' }) });

  const health = await supertest(app).get('/healthz');
  assert.equal(health.status, 200);
  const up = await supertest(app).get('/readyz');
  assert.equal(up.status, 200);
  assert.deepEqual(up.body, { status: 'ready', mongodb: 'up' });

  await mongo.stop();
  const down = await supertest(app).get('/readyz');
  assert.equal(down.status, 503);
  assert.equal(down.body.mongodb, 'down');
  assert.equal((await supertest(app).get('/healthz')).status, 200, 'the process itself is still up');

  mongo = await startEmbeddedMongo({ dbPath, runtimeDir, port: mongo.port });
  const recovered = await until(async () => (await supertest(app).get('/readyz')).status === 200, 30_000);
  assert.ok(recovered, '/readyz should answer 200 once MongoDB is back');
});
