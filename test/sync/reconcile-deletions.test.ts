import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { jobModel } from '../../src/db/models/job.ts';
import { syncStateModel } from '../../src/db/models/sync-state.ts';
import { webhookEventModel } from '../../src/db/models/webhook-event.ts';
import { jobTypes } from '../../src/pipeline/job-handlers.ts';
import { defaultSchedule, scheduledTasks } from '../../src/pipeline/scheduled-tasks.ts';
import type { SandboxObjectType } from '../../src/sandbox/sandbox-store.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { toCrmRecord } from '../../src/sync/crm-record.ts';
import { reconcileDeletions } from '../../src/sync/reconcile-deletions.ts';
import { storeRecords } from '../../src/sync/store-records.ts';
import { syncPortal } from '../../src/sync/sync-portal.ts';
import { eventually, installPortal, startTestPropensity, startTestWorker } from '../helpers/propensity.ts';
import { assertCopyEquals } from '../helpers/sync-copy.ts';

const sandbox = await startSandbox({ seed: 61 });
const propensity = await startTestPropensity(sandbox, 'reconcile_deletions', { hubspot: { backoffMs: 20 } });
after(async () => {
  await propensity.close();
  await sandbox.close();
});
const { connection, services } = propensity;

// No webhooks reach the app: whatever is deleted below, only the reconciliation can find out.
const registration = sandbox.apps().find((a) => a.clientId === propensity.app.clientId)!;
sandbox.registerApp({ ...registration, webhookTargetUrl: undefined });

async function syncedPortal(contacts: number, seed: number) {
  const p = sandbox.addPortal({ contacts, seed });
  assert.equal((await installPortal(propensity, sandbox, p.portalId)).status, 303);
  assert.equal(await syncPortal(connection, services.hubspot.forPortal(p.portalId)), 'done');
  return p;
}

function deleteSome(portalId: number, type: SandboxObjectType, count: number): number[] {
  const ids = sandbox.portal(portalId).ids(type).slice(3, 3 + count);
  for (const objectId of ids) sandbox.simulate(portalId, { type: 'archive', objectType: type, objectId });
  return ids;
}

test('the scheduled reconciliation finds deletions no webhook told of: the copy equals HubSpot again', async () => {
  const p = await syncedPortal(150, 61);
  deleteSome(p.portalId, 'contacts', 4);
  deleteSome(p.portalId, 'companies', 2);
  deleteSome(p.portalId, 'deals', 2);
  const forgotten = sandbox.portal(p.portalId).ids('contacts')[20];
  sandbox.simulate(p.portalId, { type: 'privacyDeletion', contactId: forgotten });
  const objects = crmObjectModel(connection);
  assert.equal(await objects.countDocuments({ portalId: p.portalId }), p.contacts + p.companies + p.deals, 'the copy still has all of them');

  const task = scheduledTasks(connection, defaultSchedule).find((t) => t.name === 'deletion-reconciliation')!;
  assert.equal(task.cron, '30 3 * * *');
  await task.run('2026-11-23T03:30:00');
  assert.equal(await jobModel(connection).countDocuments({ portalId: p.portalId, type: jobTypes.reconcileDeletions, status: 'queued' }), 1);
  const worker = await startTestWorker(propensity);
  try {
    await eventually(async () => (await jobModel(connection).countDocuments({ portalId: p.portalId, type: jobTypes.reconcileDeletions, status: 'done' })) === 1, 20_000, 'reconciliation job');
  } finally {
    await worker.stop();
  }

  await assertCopyEquals(sandbox, propensity, p.portalId);
  assert.equal(await objects.countDocuments({ portalId: p.portalId, objectId: String(forgotten) }), 0, 'the privacy-deleted contact is gone');
  assert.equal(await webhookEventModel(connection).countDocuments({ portalId: p.portalId }), 0, 'no webhook did it');
  const states = await syncStateModel(connection).find({ portalId: p.portalId }).lean();
  assert.deepEqual(Object.fromEntries(states.map((s) => [s.objectType, s.lastReconciliation?.deleted])), { contacts: 5, companies: 2, deals: 2 });
});

test('a record stored after the listing began is kept; ids only, 100 a page', async () => {
  const p = await syncedPortal(120, 62);
  const [gone] = deleteSome(p.portalId, 'contacts', 1);
  // Created in HubSpot and stored by its webhook while the reconciliation runs: not in the listing yet.
  const latecomer = toCrmRecord('contacts', { id: '999999999', properties: { email: 'late@example.com' } });
  await storeRecords(connection, p.portalId, [latecomer], new Date(Date.now() + 60_000));
  const requestsBefore = sandbox.counters().portals[String(p.portalId)].requests;

  const result = await reconcileDeletions(connection, services.hubspot.forPortal(p.portalId), 'contacts');

  assert.deepEqual(result, { listed: 119, deleted: 1 });
  assert.equal(sandbox.counters().portals[String(p.portalId)].requests - requestsBefore, 2, '119 ids in two pages');
  const local = crmObjectModel(connection);
  assert.equal(await local.countDocuments({ portalId: p.portalId, objectType: 'contacts', objectId: String(gone) }), 0);
  assert.equal(await local.countDocuments({ portalId: p.portalId, objectType: 'contacts', objectId: '999999999' }), 1);
});

test('a portal whose initial sync has not finished is left alone', async () => {
  const p = sandbox.addPortal({ contacts: 20, seed: 63 });
  assert.equal((await installPortal(propensity, sandbox, p.portalId)).status, 303);
  assert.deepEqual(await reconcileDeletions(connection, services.hubspot.forPortal(p.portalId), 'contacts'), { listed: 0, deleted: 0, skipped: 'initial sync not finished' });
});
