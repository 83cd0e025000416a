/**
 * MongoDB stopped for 20 s in the middle of two portals' pipelines, then started again (same data,
 * same address). Meanwhile `/readyz` answers 503 and a webhook batch is refused with a 5xx, never
 * acknowledged 200 unstored; every process keeps running, and afterwards the work completes, the
 * retried batch is stored once and every event (also those HubSpot retried) processed once.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded/start-embedded-mongodb.ts';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { jobModel } from '../../src/db/models/job.ts';
import { webhookEventModel } from '../../src/db/models/webhook-event.ts';
import { projectRoot } from '../../src/install/app-definition.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { computeSignatureV3 } from '../../src/webhooks/verify-signature.ts';
import { assertNothingLostNothingTwice, waitUntilWrittenBack } from '../helpers/pipeline-outcome.ts';
import { eventually } from '../helpers/propensity.ts';
import { faultCluster } from '../helpers/fault-cluster.ts';
import { installThrough } from '../helpers/processes.ts';

const PORTALS = 2;
const CONTACTS = 300;
const OUTAGE_MS = 20_000;

const dataDir = path.join(projectRoot, '.data');
const dbPath = path.join(dataDir, 'test-runs', `outage-${process.pid}`);
const startEngine = (port?: number) => startEmbeddedMongo({ dbPath, runtimeDir: path.join(dataDir, 'runtime'), port });
let engine: EmbeddedMongo = await startEngine();
const sandbox = await startSandbox({ seed: 83, webhooks: { flushMs: 20, retryDelaysMs: [3_000, 10_000, 10_000, 10_000, 10_000] } });
// Registered first, so its clean-up (processes, database, sandbox) runs before the engine stops below.
const { cluster, connection, children, start } = await faultCluster(sandbox, 'mongodb_outage', engine.uri);
after(async () => {
  await engine.stop();
  await rm(dbPath, { recursive: true, force: true });
});

let nextEventId = 7_000_000;
function signedPost(events: Record<string, unknown>[]): Promise<Response> {
  const body = JSON.stringify(events);
  const uri = `${cluster.webUrl}/webhooks/hubspot`;
  const timestamp = String(Date.now());
  return fetch(uri, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp, 'x-hubspot-signature-v3': computeSignatureV3(cluster.clientSecret, 'POST', uri, Buffer.from(body), timestamp) },
    body,
  });
}
const readyz = async (url: string) => (await fetch(`${url}/readyz`).catch(() => ({ status: 0 }))).status;

test('MongoDB away for 20 s: /readyz 503, webhooks refused not lost, every process waits and the work completes', async () => {
  for (const role of ['web', 'scheduler', 'worker'] as const) await start(role);
  const portalIds = Array.from({ length: PORTALS }, (_, i) => sandbox.addPortal({ contacts: CONTACTS, seed: 83 + i }).portalId);
  for (const portalId of portalIds) assert.equal(await installThrough(cluster.webUrl, sandbox, portalId), 303);
  await eventually(async () => (await crmObjectModel(connection).countDocuments({ portalId: portalIds[0], objectType: 'contacts' })) >= 100, 60_000, 'the sync under way');
  assert.equal(await readyz(cluster.webUrl), 200);

  const port = engine.port;
  await engine.stop();
  const outageEnds = Date.now() + OUTAGE_MS;
  await eventually(async () => (await readyz(cluster.webUrl)) === 503, 10_000, '/readyz 503');
  const contactId = [...sandbox.state.portals.get(portalIds[1])!.objects.contacts.keys()][0];
  const batch = [{
    eventId: nextEventId++, subscriptionId: 1, portalId: portalIds[1], appId: cluster.appId, occurredAt: Date.now(), attemptNumber: 0,
    subscriptionType: 'contact.propertyChange', objectId: contactId, propertyName: 'lifecyclestage', propertyValue: 'lead', changeSource: 'CRM_UI', sourceId: 'userId:1',
  }];
  const refused = await signedPost(batch);
  assert.ok(refused.status >= 500, `a batch that cannot be stored is refused with a 5xx (got ${refused.status})`);
  // A user acts in HubSpot meanwhile: its webhooks are refused too, and HubSpot (the sandbox) retries them.
  sandbox.simulate(portalIds[1], { type: 'pageView', contactId, count: 2 });
  await eventually(async () => sandbox.counters().webhooks.failedAttempts > 0, 10_000, 'HubSpot to see its delivery fail');
  assert.equal(await readyz(cluster.webUrl), 503, 'still unready while MongoDB is away');
  await new Promise((r) => setTimeout(r, Math.max(0, outageEnds - Date.now())));
  for (const child of children) assert.equal(child.exitCode, null, 'no process died of the outage');

  engine = await startEngine(port);
  await eventually(async () => (await readyz(cluster.webUrl)) === 200, 30_000, '/readyz 200 again');
  // HubSpot retries a refused batch until it is stored (up to 10 times): /readyz can answer 200 a
  // moment before the web process's own connection stores again, so the retry is repeated, and the
  // one that is accepted must store the event once (a refused attempt stored nothing).
  let accepted = await signedPost(batch);
  for (let attempt = 1; accepted.status === 503 && attempt < 10; attempt++) {
    await new Promise((r) => setTimeout(r, 1_000));
    accepted = await signedPost(batch);
  }
  assert.equal(accepted.status, 200, 'HubSpot\u2019s retry of the refused batch is stored');
  assert.equal(((await accepted.json()) as { stored: number }).stored, 1);
  await waitUntilWrittenBack(connection, portalIds, CONTACTS, 180_000);
  await eventually(async () => (await webhookEventModel(connection).countDocuments({ portalId: { $in: portalIds }, status: { $in: ['pending', 'processing'] } })) === 0, 30_000, 'the inbox drained');

  // HubSpot's own retries come on its schedule (here 3 s, then every 10 s): wait for them, then for their processing.
  await sandbox.webhooks.idle();
  await eventually(async () => (await webhookEventModel(connection).countDocuments({ portalId: portalIds[1] })) >= 2, 60_000, 'the events HubSpot retried arrived');
  await eventually(async () => (await webhookEventModel(connection).countDocuments({ portalId: { $in: portalIds }, status: { $in: ['pending', 'processing'] } })) === 0, 30_000, 'the inbox drained');
  const inbox = await webhookEventModel(connection).find({ portalId: portalIds[1] }, { status: 1 }).lean();
  assert.ok(inbox.some((e) => e._id === String(batch[0].eventId)), 'the refused batch arrived on its retry');
  assert.deepEqual([...new Set(inbox.map((e) => e.status))].filter((s) => s !== 'done' && s !== 'dropped'), [], 'every event processed');
  // Writes cut off by the outage may be carried again; the contact the user acted on may be rescored and written again.
  const rewritesAllowed = new Map<number, number>();
  for (const portalId of portalIds) rewritesAllowed.set(portalId, (portalId === portalIds[1] ? 1 : 0) + 100 * (await jobModel(connection).countDocuments({ portalId, type: 'portal.write-scores', attempts: { $gt: 1 } })));
  await assertNothingLostNothingTwice(connection, sandbox, portalIds, CONTACTS, { rewritesAllowed: (id) => rewritesAllowed.get(id)! });
});
