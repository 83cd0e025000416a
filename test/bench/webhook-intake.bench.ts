/**
 * Webhook intake under load: signed 100-event batches posted on loopback at 200 requests/s for 30 s
 * (an evenly paced open-loop sender) to a real `propensity serve --role web` process on a real MongoDB, as HubSpot would
 * send them. Reports p50/p99 latency and errors, then checks every event answered 200 is in the inbox.
 * Goal (issue 5): p99 under 50 ms, no errors, every event stored.
 *
 * Run: npm run bench -- webhook-intake   [RATE=200 SECONDS=30 BATCH=100]
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import mongoose from 'mongoose';
import { max, quantileSorted } from 'simple-statistics';
import { computeSignatureV3 } from '../../src/webhooks/verify-signature.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { startScratchMongo } from '../helpers/mongo.ts';
import { createCluster, installThrough, stop } from '../helpers/processes.ts';

const RATE = Number(process.env.RATE ?? 200);
const SECONDS = Number(process.env.SECONDS ?? 30);
const BATCH = Number(process.env.BATCH ?? 100);
const PORTAL = 90_100_001;

const mongo = await startScratchMongo('bench-runs');
const sandbox = await startSandbox({ seed: 5, portals: [{ portalId: PORTAL, contacts: 20, seed: 5 }] });
const cluster = await createCluster(sandbox, 'webhook_intake_bench', mongo.uri);
const web = await cluster.start('web');
if ((await installThrough(cluster.webUrl, sandbox, PORTAL)) >= 400) throw new Error('install failed');

const uri = `${cluster.webUrl}/webhooks/hubspot`;
let nextEventId = 1;
let sent = 0;
/** A fresh batch for every request: new event ids, a fresh timestamp, signed like HubSpot signs. */
const answered: number[] = [];
function signedBatch(): { body: string; headers: Record<string, string>; firstEventId: number } {
  const now = Date.now();
  const firstEventId = nextEventId;
  const events = Array.from({ length: BATCH }, (_, i) => ({
    eventId: nextEventId++, subscriptionId: 11, portalId: PORTAL, appId: cluster.appId, occurredAt: now - i,
    subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 1 + (nextEventId % 5_000),
    propertyName: 'hs_analytics_num_page_views', propertyValue: String(nextEventId % 97), changeSource: 'CRM_UI', sourceId: 'userId:7',
  }));
  const body = JSON.stringify(events);
  const timestamp = String(now);
  sent += 1;
  return {
    body,
    firstEventId,
    headers: {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': timestamp,
      'x-hubspot-signature-v3': computeSignatureV3(cluster.clientSecret, 'POST', uri, Buffer.from(body), timestamp),
    },
  };
}

/**
 * An open-loop, evenly paced sender: a batch every 1000/RATE ms on its schedule whatever the answers
 * do, at most 10 in flight (HubSpot's `maxConcurrentRequests` in webhooks/webhooks.json); latency
 * counts from the scheduled send, so time spent queued behind a slow answer is not hidden. (autocannon's
 * rate option sends each second's quota back-to-back and then idles: a burst, not a rate.)
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
const latencies: number[] = [];
let non2xx = 0;
let errors = 0;
const inFlight = new Set<Promise<void>>();
function send(scheduledAt: number): void {
  const { body, headers, firstEventId } = signedBatch();
  const done = new Promise<void>((resolve) => {
    const request = http.request(uri, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', () => {
        latencies.push(performance.now() - scheduledAt);
        if (response.statusCode === 200) answered.push(firstEventId);
        else non2xx += 1;
        resolve();
      });
    });
    request.on('error', () => {
      errors += 1;
      resolve();
    });
    request.end(body);
  });
  inFlight.add(done);
  void done.then(() => inFlight.delete(done));
}
/** CPU time (ms) a process has used so far, from /proc (Linux): user + system clock ticks of 10 ms. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
const cpuBefore = { web: cpuMs(web.pid), mongodb: cpuMs(mongo.pid), sender: process.cpuUsage() };
const started = performance.now();
const total = RATE * SECONDS;
for (let i = 0; i < total; i++) {
  const due = started + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  send(due);
}
await Promise.all(inFlight);
const elapsed = (performance.now() - started) / 1000;
const senderCpu = process.cpuUsage(cpuBefore.sender);
/** CPU per batch of 100 events: what the machine's cores pay for intake (the capacity model's per-event cost). */
const cpuMsPerRequest = {
  web: Math.round(((cpuMs(web.pid) - cpuBefore.web) / total) * 100) / 100,
  mongodb: Math.round(((cpuMs(mongo.pid) - cpuBefore.mongodb) / total) * 100) / 100,
  senderAndSandbox: Math.round(((senderCpu.user + senderCpu.system) / 1000 / total) * 100) / 100,
};
agent.destroy();

// The server's own view (verify + store, from its /metrics histogram): how much of the latency is the app's.
const metrics = await (await fetch(`${cluster.webUrl}/metrics`)).text();
const bucket = (le: string) => Number(metrics.split('\n').find((line) => line.startsWith(`propensity_webhook_intake_seconds_bucket{le="${le}"}`))?.split(' ')[1] ?? Number.NaN);
const serverCount = bucket('+Inf');
const serverShareUnder = Object.fromEntries(['0.01', '0.025', '0.05', '0.1'].map((le) => [`${Number(le) * 1000}ms`, Math.round((bucket(le) / serverCount) * 10_000) / 100]));

const connection = await mongoose.createConnection(cluster.mongoUri).asPromise();
const inboxCollection = connection.collection('webhook_inbox');
const inbox = await inboxCollection.countDocuments({ portalId: PORTAL });
// Every event of every batch answered 200 must be there (all requests have been answered by now).
let answeredStored = 0;
for (let i = 0; i < answered.length; i += 100) {
  const ids = answered.slice(i, i + 100).flatMap((first) => Array.from({ length: BATCH }, (_, k) => String(first + k)));
  answeredStored += await inboxCollection.countDocuments({ _id: { $in: ids } } as never);
}
const ok = answered.length;
latencies.sort((a, b) => a - b);
const ms = (q: number) => Math.round(quantileSorted(latencies, q) * 10) / 10;
const summary = {
  bench: 'webhook-intake',
  rate: RATE,
  seconds: SECONDS,
  batch: BATCH,
  maxInFlight: 10,
  requests: latencies.length + errors,
  elapsedSeconds: Math.round(elapsed * 10) / 10,
  ok,
  non2xx,
  errors,
  latencyMs: { p50: ms(0.5), p90: ms(0.9), p99: ms(0.99), max: Math.round(max(latencies)) },
  /** Percent of batches the server verified and stored within each bound. */
  serverPercentWithin: serverShareUnder,
  cpuMsPerRequest,
  eventsPerSecond: Math.round((ok * BATCH) / elapsed),
  eventsAnswered200: ok * BATCH,
  eventsAnswered200InInbox: answeredStored,
  eventsInInbox: inbox,
  goal: { p99Under50ms: ms(0.99) < 50, noErrors: errors === 0 && non2xx === 0, everyEventStored: answeredStored === ok * BATCH && ok === total },
};
console.log(`${summary.requests} requests (${sent} batches built) at ${RATE}/s over ${summary.elapsedSeconds} s: p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, ${summary.non2xx} non-2xx, ${summary.errors} errors; ${answeredStored} of the ${ok * BATCH} events answered 200 in the inbox (${inbox} in all)`);
console.log(JSON.stringify(summary));

await connection.close();
await stop(web);
await sandbox.close();
await mongo.stop();
process.exit(summary.goal.noErrors && summary.goal.everyEventStored ? 0 : 1);
