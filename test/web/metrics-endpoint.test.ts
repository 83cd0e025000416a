/**
 * /metrics names every customer's hub id: with a token (METRICS_TOKEN, required in production) it
 * answers only a scraper that sends it, and a scrape costs no database query (the inbox depth and
 * model AUCs are read at most once per reading age, not once per scrape).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import supertest from 'supertest';
import { migrateUp } from '../../src/db/migrate.ts';
import { createLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createWebApp } from '../../src/web/create-web-app.ts';
import { monitoredTestDatabase } from '../helpers/mongo.ts';

const { connection, commands } = await monitoredTestDatabase('metrics_endpoint');
await migrateUp(connection);
const token = 'a'.repeat(16) + 'b'.repeat(16);
const metrics = createMetrics({ connection, hubspotStats: () => new Map() });
const web = createWebApp({ connection, logger: createLogger({ level: 'silent' }), metrics, metricsToken: token });
const databaseReads = () => commands.filter((c) => ['count', 'aggregate', 'find'].includes(c.name)).length;

test('/metrics without the token, or with a wrong one, is 401 and shows nothing', async () => {
  for (const authorization of [undefined, 'Bearer wrong', `Basic ${token}`, `Bearer ${token}x`]) {
    const request = supertest(web).get('/metrics');
    const res = authorization ? await request.set('authorization', authorization) : await request;
    assert.equal(res.status, 401, String(authorization));
    assert.doesNotMatch(res.text, /propensity_/);
  }
});

test('twenty scrapes with the token cost one reading of the database, not twenty', async () => {
  const before = databaseReads();
  for (let i = 0; i < 20; i++) {
    const res = await supertest(web).get('/metrics').set('authorization', `Bearer ${token}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /propensity_webhook_inbox_events\{status="pending"\} 0/);
  }
  const reads = databaseReads() - before;
  assert.ok(reads <= 4, `${reads} database reads for 20 scrapes (one reading is 3 counts and 1 find)`);
});
