/**
 * End to end: a change made in HubSpot (the sandbox) → its webhook → the inbox → a worker re-reads
 * the contact → the contact is rescored → the new values are written back to HubSpot. One real
 * `propensity serve --role all` process (production poll intervals), a real MongoDB, the sandbox in
 * this process. Each sample: a lead becomes a customer, so its lead score must give way to a churn
 * risk. Reports p50/p95 to the local copy updated and to the new score written back (issue 5: p95
 * under 2 s).
 *
 * Run: npm run bench -- end-to-end   [SAMPLES=40 CONTACTS=2000]
 */
import mongoose from 'mongoose';
import { quantile } from 'simple-statistics';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { currentValue } from '../../src/sandbox/sandbox-store.ts';
import { startScratchMongo } from '../helpers/mongo.ts';
import { createCluster, installThrough, stop } from '../helpers/processes.ts';

const SAMPLES = Number(process.env.SAMPLES ?? 40);
const CONTACTS = Number(process.env.CONTACTS ?? 2_000);
const PORTAL = 90_200_001;

const mongo = await startScratchMongo('bench-runs');
const sandbox = await startSandbox({ seed: 8, portals: [{ portalId: PORTAL, contacts: CONTACTS, seed: 8 }] });
const cluster = await createCluster(sandbox, 'end_to_end_bench', mongo.uri);
const app = await cluster.start('all');
if ((await installThrough(cluster.webUrl, sandbox, PORTAL)) >= 400) throw new Error('install failed');
const db = await mongoose.createConnection(cluster.mongoUri).asPromise();
const jobs = db.collection('jobs');
const contactsCopy = db.collection('crm_objects');

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now();
}

const setupStarted = performance.now();
await waitFor(async () => (await jobs.countDocuments({ portalId: PORTAL, type: 'portal.write-scores', status: 'done' })) > 0, 600_000, 'first scores written');
const setupSeconds = (performance.now() - setupStarted) / 1000;
await new Promise((r) => setTimeout(r, 1_000));

const portal = sandbox.state.portals.get(PORTAL)!;
const leads = [...portal.objects.contacts.values()].filter((c) => currentValue('contacts', c, 'lifecyclestage') === 'lead' && (currentValue('contacts', c, 'propensity_lead_score') ?? '') !== '');
if (leads.length < SAMPLES) throw new Error(`only ${leads.length} scored leads`);
const toLocal: number[] = [];
const toWritten: number[] = [];
for (const contact of leads.slice(0, SAMPLES)) {
  const started = performance.now();
  sandbox.simulate(PORTAL, { type: 'lifecycleChange', contactId: contact.id, stage: 'customer' });
  const local = await waitFor(async () => {
    const copy = await contactsCopy.findOne({ portalId: PORTAL, objectType: 'contacts', objectId: String(contact.id) }, { projection: { properties: 1 } });
    return (copy?.properties as { name: string; value: string }[] | undefined)?.some((p) => p.name === 'lifecyclestage' && p.value === 'customer') ?? false;
  }, 30_000, `contact ${contact.id} copied`);
  const written = await waitFor(() => (currentValue('contacts', contact, 'propensity_churn_risk') ?? '') !== '' && (currentValue('contacts', contact, 'propensity_lead_score') ?? '') === '', 30_000, `contact ${contact.id} rescored`);
  toLocal.push(local - started);
  toWritten.push(written - started);
}

const ms = (values: number[], q: number) => Math.round(quantile(values, q));
const summary = {
  bench: 'end-to-end-latency',
  contacts: CONTACTS,
  samples: SAMPLES,
  setupSecondsInstallToFirstScoresWritten: Math.round(setupSeconds * 10) / 10,
  localCopyMs: { p50: ms(toLocal, 0.5), p95: ms(toLocal, 0.95), max: Math.round(Math.max(...toLocal)) },
  scoreWrittenBackMs: { p50: ms(toWritten, 0.5), p95: ms(toWritten, 0.95), max: Math.round(Math.max(...toWritten)) },
  goal: { p95Under2s: ms(toWritten, 0.95) < 2_000 },
};
console.log(`change → local copy: p50 ${summary.localCopyMs.p50} ms, p95 ${summary.localCopyMs.p95} ms; change → new score written back: p50 ${summary.scoreWrittenBackMs.p50} ms, p95 ${summary.scoreWrittenBackMs.p95} ms (${SAMPLES} samples)`);
console.log(JSON.stringify(summary));
await db.close();
await stop(app);
await sandbox.close();
await mongo.stop();
process.exit(0);
