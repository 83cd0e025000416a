/**
 * The initial sync of a large sandbox portal at the sandbox's real limits (110 requests / 10 s, search
 * 5 / s), through the app's real HubSpot client into a real embedded MongoDB; then an incremental
 * sync of 1,000 changed contacts. Per object type: records/s against the ceiling the limits allow
 * (110 / 10 s × 50 records a page), 429s the sandbox answered, requests failed for good, and this
 * process's RSS sampled every 250 ms. The sandbox runs in a process of its own (its RSS is reported
 * apart), as HubSpot is remote; the MongoDB engine too.
 * Run: node --import tsx test/bench/initial-sync.bench.ts [contacts]   (default 100,000)
 */
import type { CrmObjectType } from '../../src/sync/crm-record.ts';
import { incrementalSync } from '../../src/sync/incremental-sync.ts';
import { initialSync } from '../../src/sync/initial-sync.ts';
import { HISTORY_PAGE_SIZE } from '../../src/sync/read-crm.ts';
import { syncOrder } from '../../src/sync/sync-portal.ts';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { installPortal, startPropensityApp } from '../helpers/propensity-app.ts';
import { startBenchDatabase } from './bench-database.ts';
import { startSandboxProcess } from './sandbox-process.ts';

const contacts = Number(process.argv[2] ?? 100_000);
const CHANGED_CONTACTS = 1_000;
const LIMIT_PER_TEN_SECONDS = 110;
const GOAL = 0.9;
const ceiling = (LIMIT_PER_TEN_SECONDS / 10) * HISTORY_PAGE_SIZE;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

const sandbox = await startSandboxProcess(42);
const generationStarted = performance.now();
const portal = await sandbox.createPortal({ contacts, seed: 42 });
const generationSeconds = (performance.now() - generationStarted) / 1000;
console.log(`portal ${portal.portalId}: ${portal.contacts} contacts, ${portal.companies} companies, ${portal.deals} deals, generated in ${generationSeconds.toFixed(1)} s`);

const database = await startBenchDatabase('initial-sync');
const propensity = await startPropensityApp(database.connection, sandbox);
const installed = await installPortal(propensity, sandbox, portal.portalId);
if (installed.status !== 303) throw new Error(`install failed: ${installed.status}`);
// No webhooks: the incremental sync alone finds the changes below.
const { app } = propensity;
await sandbox.registerApp({ appId: Number(app.appId), clientId: app.clientId, clientSecret: app.clientSecret, redirectUrls: [`${app.publicUrl}/oauth/callback`] });
const hubspot = propensity.services.hubspot.forPortal(portal.portalId);
const clientStats = propensity.services.hubspot.statsFor(portal.portalId);
const sandboxCounts = async () => (await sandbox.counters()).portals[String(portal.portalId)] ?? { requests: 0, searches: 0, rateLimited: 0, faults: 0 };
let sandboxPeakRssMb = sandbox.rssMb();

let rss = process.memoryUsage().rss;
let peakRss = rss;
const sampler = setInterval(() => {
  rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  sandboxPeakRssMb = Math.max(sandboxPeakRssMb, sandbox.rssMb());
}, 250);
const rssBeforeSync = process.memoryUsage().rss;

interface TypeFigures {
  records: number;
  seconds: number;
  recordsPerSecond: number;
  ceiling: number;
  ratio: number;
  meetsGoal: boolean;
  pagingSeconds: number;
  pagingRecordsPerSecond: number;
  pagingRatio: number;
  requests: number;
  requestsPer10s: number;
  rateLimited429: number;
  failedForGood: number;
  rssStartMb: number;
  /** RSS when a quarter, half, three quarters and all of the type's records were stored. */
  rssByQuarterMb: number[];
  rssPeakMb: number;
  rssEndMb: number;
}

const types = {} as Record<CrmObjectType, TypeFigures>;
for (const objectType of syncOrder) {
  const before = await sandboxCounts();
  const failedBefore = clientStats.failed;
  peakRss = rss = process.memoryUsage().rss;
  const rssStart = rss;
  const started = performance.now();
  let lastPage = started;
  let records = 0;
  const rssByQuarter: number[] = [];
  const status = await initialSync(database.connection, hubspot, objectType, {
    onProgress: (p) => {
      lastPage = performance.now();
      records = p.done;
      if (p.total && p.done >= ((rssByQuarter.length + 1) / 4) * p.total) rssByQuarter.push(mb(process.memoryUsage().rss));
    },
  });
  if (status !== 'done') throw new Error(`${objectType}: initial sync ${status}`);
  const seconds = (performance.now() - started) / 1000;
  const pagingSeconds = (lastPage - started) / 1000;
  const after = await sandboxCounts();
  const requests = after.requests - before.requests;
  types[objectType] = {
    records,
    seconds: round(seconds),
    recordsPerSecond: round(records / seconds),
    ceiling,
    ratio: round(records / seconds / ceiling, 3),
    meetsGoal: records / seconds / ceiling >= GOAL,
    pagingSeconds: round(pagingSeconds),
    pagingRecordsPerSecond: round(records / pagingSeconds),
    pagingRatio: round(records / pagingSeconds / ceiling, 3),
    requests,
    requestsPer10s: round((requests / seconds) * 10),
    rateLimited429: after.rateLimited - before.rateLimited,
    failedForGood: clientStats.failed - failedBefore,
    rssStartMb: mb(rssStart),
    rssByQuarterMb: rssByQuarter,
    rssPeakMb: Math.max(mb(peakRss), ...rssByQuarter, mb(process.memoryUsage().rss)),
    rssEndMb: mb(process.memoryUsage().rss),
  };
  console.log(objectType, JSON.stringify(types[objectType]));
}

const stored: Record<string, number> = {};
for (const objectType of syncOrder) {
  stored[objectType] = await crmObjectModel(database.connection).countDocuments({ portalId: portal.portalId, objectType });
}
const expected: Record<string, number> = { contacts: portal.contacts, companies: portal.companies, deals: portal.deals };
const complete = syncOrder.every((t) => stored[t] === expected[t]);

// Incremental: 1,000 distinct contacts, spread over the portal, change (page views, email opens,
// forms) through the sandbox's simulate API; then one incremental sync.
const allContactIds = await sandbox.ids(portal.portalId, 'contacts');
const step = Math.max(1, Math.floor(allContactIds.length / CHANGED_CONTACTS));
const chosenIds = allContactIds.filter((_, i) => i % step === 0).slice(0, CHANGED_CONTACTS);
const changedIds = new Set(await sandbox.simulateActivity(portal.portalId, { contactIds: chosenIds, seed: 7 }));
const incrementalBefore = await sandboxCounts();
const incrementalStarted = performance.now();
const incremental: Record<string, number> = {};
for (const objectType of syncOrder) incremental[objectType] = (await incrementalSync(database.connection, hubspot, objectType)).changed;
const incrementalSeconds = (performance.now() - incrementalStarted) / 1000;
const incrementalAfter = await sandboxCounts();

clearInterval(sampler);
const summary = {
  bench: 'initial-sync',
  portal: { contacts: portal.contacts, companies: portal.companies, deals: portal.deals, generationSeconds: round(generationSeconds) },
  limits: { perTenSeconds: LIMIT_PER_TEN_SECONDS, searchPerSecond: 5, recordsPerPage: HISTORY_PAGE_SIZE, ceilingRecordsPerSecond: ceiling, goalRatio: GOAL },
  types,
  /** The whole portal, every type and its association reads: what the admin waits for. */
  portalTotal: (() => {
    const records = Object.values(types).reduce((sum, t) => sum + t.records, 0);
    const seconds = Object.values(types).reduce((sum, t) => sum + t.seconds, 0);
    return { records, seconds: round(seconds), recordsPerSecond: round(records / seconds), ratio: round(records / seconds / ceiling, 3) };
  })(),
  complete,
  stored,
  rateLimited429: (await sandboxCounts()).rateLimited,
  failedForGood: clientStats.failed,
  client: { ...clientStats },
  memory: {
    app: 'this process: HubSpot client, sync, web app (the sandbox and MongoDB run in processes of their own)',
    rssBeforeSyncMb: mb(rssBeforeSync),
    peakRssMb: Math.max(...Object.values(types).map((t) => t.rssPeakMb)),
    sandboxProcessPeakRssMb: sandboxPeakRssMb,
  },
  incremental: {
    changedContacts: changedIds.size,
    synced: incremental,
    seconds: round(incrementalSeconds, 2),
    requests: incrementalAfter.requests - incrementalBefore.requests,
    searches: incrementalAfter.searches - incrementalBefore.searches,
    rateLimited429: incrementalAfter.rateLimited - incrementalBefore.rateLimited,
  },
};

await propensity.close();
await sandbox.close();
await database.stop();
const pass = complete && summary.failedForGood === 0 && summary.incremental.synced.contacts >= changedIds.size;
console.log(pass ? 'PASS: every record synced, no request failed for good' : 'FAIL: see the summary');
console.log(JSON.stringify(summary));
process.exit(pass ? 0 : 1);
