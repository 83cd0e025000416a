/**
 * HubSpot revokes a portal's tokens while its initial sync runs: the sync stops at once and cleanly
 * (no crash, no dead-lettered job, no request or refresh after that), the portal is shown as needing
 * re-authorisation, another portal's work goes on untouched, and installing again re-authorises it
 * and brings it to written scores.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { jobModel } from '../../src/db/models/job.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { portalStatus } from '../../src/web/portal-status.ts';
import { assertNothingLostNothingTwice, waitUntilWrittenBack } from '../helpers/pipeline-outcome.ts';
import { eventually } from '../helpers/propensity.ts';
import { faultCluster } from '../helpers/fault-cluster.ts';
import { installThrough } from '../helpers/processes.ts';

const REVOKED_CONTACTS = 1_000;
const OTHER_CONTACTS = 300;

const sandbox = await startSandbox({ seed: 79, webhooks: { flushMs: 20 } });
const { cluster, connection, children, start } = await faultCluster(sandbox, 'token_revoked');

test('tokens revoked mid-sync: the sync stops cleanly, the portal needs re-authorisation, no retry loop; installing again completes it', async () => {
  for (const role of ['web', 'scheduler', 'worker'] as const) await start(role);
  const revoked = sandbox.addPortal({ contacts: REVOKED_CONTACTS, seed: 79 }).portalId;
  const other = sandbox.addPortal({ contacts: OTHER_CONTACTS, seed: 80 }).portalId;
  assert.equal(await installThrough(cluster.webUrl, sandbox, revoked), 303);
  assert.equal(await installThrough(cluster.webUrl, sandbox, other), 303);

  await eventually(async () => (await crmObjectModel(connection).countDocuments({ portalId: revoked, objectType: 'contacts' })) >= 200, 60_000, 'the sync under way');
  assert.equal(await jobModel(connection).countDocuments({ portalId: revoked, type: 'portal.initial-sync', status: 'done' }), 0, 'revoked mid-sync');
  assert.ok(sandbox.revokeTokens(revoked, cluster.appId) >= 2);

  await eventually(async () => (await portalStatus(connection, revoked))?.needsReauthorisation === true, 30_000, 'the portal marked as needing re-authorisation');
  const status = (await portalStatus(connection, revoked))!;
  assert.equal(status.status, 'needs-reauthorisation');
  assert.equal(status.reauthorisation?.reason, 'refresh-token-rejected');
  assert.ok((await crmObjectModel(connection).countDocuments({ portalId: revoked })) > 0, 'its data is kept');
  const requestsThen = sandbox.counters().portals[String(revoked)].requests;
  const refreshesThen = sandbox.counters().apps[String(cluster.appId)].tokenRequests;
  await new Promise((r) => setTimeout(r, 4_000));
  assert.equal(sandbox.counters().portals[String(revoked)].requests, requestsThen, 'no request for the portal after it was marked');
  assert.equal(sandbox.counters().apps[String(cluster.appId)].tokenRequests, refreshesThen, 'no refresh attempt after it was marked');
  assert.equal(await jobModel(connection).countDocuments({ portalId: revoked, status: { $in: ['queued', 'running', 'dead'] }, runAt: { $lte: new Date() } }), 0, 'no job left to retry for it');
  for (const child of children) assert.equal(child.exitCode, null, 'every process still runs');
  await waitUntilWrittenBack(connection, [other], OTHER_CONTACTS, 90_000);

  assert.equal(await installThrough(cluster.webUrl, sandbox, revoked), 303, 'installing again re-authorises');
  assert.equal((await portalStatus(connection, revoked))?.needsReauthorisation, false);
  await waitUntilWrittenBack(connection, [revoked], REVOKED_CONTACTS, 120_000);
  // Written in full after the re-install, and the other portal once: nothing written twice.
  const written = sandbox.counters().portals[String(revoked)].batchUpdateInputs;
  const records = REVOKED_CONTACTS + sandbox.state.portals.get(revoked)!.objects.companies.size;
  await assertNothingLostNothingTwice(connection, sandbox, [other], OTHER_CONTACTS);
  await assertNothingLostNothingTwice(connection, sandbox, [revoked], REVOKED_CONTACTS, { rewritesAllowed: () => written - records });
  assert.equal(written, records, 'the revoked portal never got to writing before the revocation: each contact and company written once');
});
