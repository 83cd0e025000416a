/**
 * A deployment split by role (one `--role web`, two `--role worker`, one `--role scheduler`) does the
 * same work as one `--role all` process, against its own MongoDB database: every contact scored and
 * written once, the same jobs, none run twice, the same number of writes to HubSpot.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/db/connect-mongo.ts';
import { jobModel } from '../../src/db/models/job.ts';
import { recordScoreModel } from '../../src/db/models/record-score.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { eventually } from '../helpers/propensity.ts';
import { createCluster, installThrough, stop } from '../helpers/processes.ts';

const CONTACTS = 300;
const sandbox = await startSandbox({ seed: 61, webhooks: { flushMs: 20 }, rateLimit: { perTenSeconds: 10_000 } });
const children: ChildProcess[] = [];
const connections: Connection[] = [];
after(async () => {
  for (const child of children) await stop(child);
  for (const connection of connections) await connection.close();
  await sandbox.close();
});

async function runWorkload(label: string, roles: ('all' | 'web' | 'worker' | 'scheduler')[]) {
  const cluster = await createCluster(sandbox, label);
  // Periodic work (a 5-minute sync tick falling inside one run and not the other) is not this comparison.
  const quietSchedule = { INCREMENTAL_SYNC_CRON: '0 0 1 1 *', DELETION_RECONCILIATION_CRON: '0 0 1 1 *' };
  for (const role of roles) children.push(await cluster.start(role, quietSchedule));
  const connection = await connectMongo(cluster.mongoUri);
  connections.push(connection);
  const portal = sandbox.addPortal({ contacts: CONTACTS, seed: 61 });
  assert.equal(await installThrough(cluster.webUrl, sandbox, portal.portalId), 303);
  const jobs = jobModel(connection);
  await eventually(async () => (await jobs.countDocuments({ portalId: portal.portalId, type: 'portal.write-scores', status: 'done' })) >= 1
    && (await jobs.countDocuments({ portalId: portal.portalId, status: { $in: ['queued', 'running'] } })) === 0
    && (await recordScoreModel(connection).countDocuments({ portalId: portal.portalId, writePending: false, target: { $exists: true } })) === CONTACTS + portal.companies, 120_000, `${label}: scores written`);
  const done = await jobs.find({ portalId: portal.portalId }).lean();
  const byType: Record<string, number> = {};
  for (const job of done) byType[job.type] = (byType[job.type] ?? 0) + 1;
  return {
    byType,
    statuses: [...new Set(done.map((j) => j.status))],
    ranTwice: done.filter((j) => (j.attempts ?? 0) !== 1).map((j) => `${j.type} × ${j.attempts}`),
    batchUpdates: sandbox.counters().portals[String(portal.portalId)].batchUpdates,
    expectedBatchUpdates: CONTACTS / 100 + Math.ceil(portal.companies / 100),
  };
}

test('web + 2 workers + scheduler process the same workload as one --role all process, no job run twice', async () => {
  const all = await runWorkload('roles_all', ['all']);
  const split = await runWorkload('roles_split', ['web', 'worker', 'worker', 'scheduler']);
  assert.deepEqual(all.statuses, ['done']);
  assert.deepEqual(split.statuses, ['done']);
  assert.deepEqual(all.ranTwice, []);
  assert.deepEqual(split.ranTwice, []);
  assert.deepEqual(split.byType, all.byType, 'the same jobs, each once');
  assert.equal(all.batchUpdates, all.expectedBatchUpdates);
  assert.equal(split.batchUpdates, split.expectedBatchUpdates, 'every contact and company written once');
});
