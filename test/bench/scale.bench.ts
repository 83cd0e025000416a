/**
 * Scale: many sandbox portals installed at once, served by 1, 2 and 3 worker processes (plus one web
 * and one scheduler process) against one MongoDB, the sandbox in a process of its own at HubSpot's
 * rate limits. For each worker count: the time until every portal is synced, trained and scored with
 * every contact's score written back, the throughput ratio against one worker, the spread of the
 * per-portal completion times (and of each stage), and the CPU each process used, so the limit on
 * this machine can be named.
 *
 * Run: npm run bench -- scale   [-- --portals 50 --contacts 2000 --workers 1,2,3]
 * (node --import tsx test/bench/scale.bench.ts --portals 5 --contacts 500 runs a small one)
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { quantile } from 'simple-statistics';
import { connectMongo } from '../../src/db/connect-mongo.ts';
import { startScratchMongo } from '../helpers/mongo.ts';
import { createCluster, installThrough, stop } from '../helpers/processes.ts';
import { startSandboxProcess } from './sandbox-process.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { portals: { type: 'string', default: '50' }, contacts: { type: 'string', default: '2000' }, workers: { type: 'string', default: '1,2,3' } },
});
const PORTALS = Number(values.portals);
const CONTACTS = Number(values.contacts);
const WORKER_COUNTS = values.workers!.split(',').map(Number);
const TIMEOUT_MS = 60 * 60_000;
/** Periodic work (a sync tick falling inside one run and not another) is not part of this comparison. */
const QUIET_SCHEDULE = { INCREMENTAL_SYNC_CRON: '0 0 1 1 *', DELETION_RECONCILIATION_CRON: '0 0 1 1 *' };

/** CPU seconds a process has used (user + system, all its threads), from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Busy and total CPU seconds of the whole machine (every core, every user's processes). */
function machineCpu(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3] + ticks[4];
  return { busy: (total - idle) / 100, total: total / 100 };
}

/** The embedded engine's process: the one whose command line names this benchmark's data folder. */
function mongoPid(dataFolderPart: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('launcher.cjs') && cmdline.includes(dataFolderPart)) return Number(entry);
    } catch { /* gone */ }
  }
  return undefined;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const spread = (xs: number[]) => ({ min: round(Math.min(...xs)), p50: round(quantile(xs, 0.5)), p90: round(quantile(xs, 0.9)), max: round(Math.max(...xs)) });

const mongo = await startScratchMongo('bench-runs', 'scale');
const enginePid = mongoPid(`scale-${process.pid}`);
const sandbox = await startSandboxProcess(12);
const generated = performance.now();
const portalIds: number[] = [];
for (let i = 0; i < PORTALS; i++) portalIds.push((await sandbox.createPortal({ contacts: CONTACTS, seed: 1_000 + i })).portalId);
console.log(`${PORTALS} portals of ${CONTACTS} contacts generated in the sandbox in ${round((performance.now() - generated) / 1000)} s (sandbox RSS ${sandbox.rssMb()} MB)`);

interface RunResult {
  workers: number;
  seconds: number;
  contactsPerSecond: number;
  portalDoneSeconds: ReturnType<typeof spread>;
  syncedSeconds: ReturnType<typeof spread>;
  trainedSeconds: ReturnType<typeof spread>;
  cpuSeconds: Record<string, number>;
  machineBusyShare: number;
  hubspotRequests: number;
  batchUpdates: number;
  jobsRunTwice: number;
}

async function runWith(workerCount: number): Promise<RunResult> {
  const cluster = await createCluster(sandbox, `scale_${workerCount}w`, mongo.uri);
  const processes: Record<string, ChildProcess> = {};
  processes.web = await cluster.start('web', QUIET_SCHEDULE);
  processes.scheduler = await cluster.start('scheduler', QUIET_SCHEDULE);
  for (let i = 1; i <= workerCount; i++) processes[`worker${i}`] = await cluster.start('worker', QUIET_SCHEDULE);
  const connection = await connectMongo(cluster.mongoUri);
  const jobs = connection.collection('jobs');
  const scores = connection.collection('scores');
  const countersBefore = await sandbox.counters();

  const cpuBefore = Object.fromEntries(Object.entries(processes).map(([role, child]) => [role, cpuSeconds(child.pid)]));
  const engineBefore = cpuSeconds(enginePid);
  const machineBefore = machineCpu();
  const started = performance.now();
  const statuses = await Promise.all(portalIds.map((portalId) => installThrough(cluster.webUrl, sandbox, portalId)));
  if (statuses.some((s) => s >= 400)) throw new Error(`installs failed: ${statuses.join(',')}`);

  const doneAt = new Map<number, number>();
  let lastReport = performance.now();
  while (doneAt.size < PORTALS) {
    if (performance.now() - started > TIMEOUT_MS) throw new Error(`timed out with ${doneAt.size} of ${PORTALS} portals done`);
    await new Promise((r) => setTimeout(r, 1_000));
    const dead = await jobs.countDocuments({ status: 'dead' });
    if (dead > 0) throw new Error(`${dead} jobs dead-lettered: ${JSON.stringify(await jobs.find({ status: 'dead' }).limit(3).toArray())}`);
    const written = await scores.aggregate<{ _id: number; n: number }>([
      { $match: { portalId: { $in: portalIds }, objectType: 'contacts', target: { $exists: true }, writePending: false } },
      { $group: { _id: '$portalId', n: { $sum: 1 } } },
    ]).toArray();
    // The companies' scores are written after the contacts': a portal is done when nothing waits to be written.
    const writing = new Set(await scores.distinct('portalId', { portalId: { $in: portalIds }, writePending: true }));
    const active = new Set(await jobs.distinct('portalId', { status: { $in: ['queued', 'running'] } }));
    const writesDone = new Set(await jobs.distinct('portalId', { type: 'portal.write-scores', status: 'done' }));
    const seconds = (performance.now() - started) / 1000;
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      const byStatus = await jobs.aggregate<{ _id: string; n: number }>([{ $group: { _id: { $concat: ['$type', ' ', '$status'] }, n: { $sum: 1 } } }]).toArray();
      console.log(`  ${round(seconds, 0)} s: ${doneAt.size}/${PORTALS} portals done; jobs ${byStatus.map((b) => `${b._id} ${b.n}`).sort().join(', ')}`);
    }
    for (const { _id: portalId, n } of written) {
      if (!doneAt.has(portalId) && n === CONTACTS && !writing.has(portalId) && !active.has(portalId) && writesDone.has(portalId)) doneAt.set(portalId, seconds);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const machineAfter = machineCpu();
  const cpu: Record<string, number> = Object.fromEntries(Object.entries(processes).map(([role, child]) => [role, round(cpuSeconds(child.pid) - cpuBefore[role])]));
  cpu.mongodb = round(cpuSeconds(enginePid) - engineBefore);

  const startedAt = Date.now() - seconds * 1000;
  const stageSeconds = async (type: string) => {
    const finished = await jobs.aggregate<{ _id: number; at: Date }>([{ $match: { type, status: 'done' } }, { $group: { _id: '$portalId', at: { $min: '$finishedAt' } } }]).toArray();
    return finished.map((f) => (f.at.getTime() - startedAt) / 1000);
  };
  const countersAfter = await sandbox.counters();
  const delta = (field: 'requests' | 'batchUpdates') => portalIds.reduce((sum, id) => sum + ((countersAfter.portals[String(id)]?.[field] ?? 0) - (countersBefore.portals[String(id)]?.[field] ?? 0)), 0);
  const result: RunResult = {
    workers: workerCount,
    seconds: round(seconds),
    contactsPerSecond: round((PORTALS * CONTACTS) / seconds),
    portalDoneSeconds: spread([...doneAt.values()]),
    syncedSeconds: spread(await stageSeconds('portal.initial-sync')),
    trainedSeconds: spread(await stageSeconds('portal.train')),
    cpuSeconds: cpu,
    machineBusyShare: round((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total), 2),
    hubspotRequests: delta('requests'),
    batchUpdates: delta('batchUpdates'),
    jobsRunTwice: await jobs.countDocuments({ attempts: { $gt: 1 } }),
  };
  for (const child of Object.values(processes)) await stop(child);
  await connection.dropDatabase();
  await connection.close();
  return result;
}

const results: RunResult[] = [];
for (const workers of WORKER_COUNTS) {
  const result = await runWith(workers);
  results.push(result);
  const ours = Object.values(result.cpuSeconds).reduce((a, b) => a + b, 0);
  console.log(
    `${workers} worker(s): every portal done in ${result.seconds} s (${result.contactsPerSecond} contacts/s); per portal done ` +
    `min/p50/p90/max ${Object.values(result.portalDoneSeconds).join('/')} s; synced ${Object.values(result.syncedSeconds).join('/')} s; ` +
    `trained ${Object.values(result.trainedSeconds).join('/')} s; CPU s ${JSON.stringify(result.cpuSeconds)} = ${round(ours)} s of ` +
    `${round(2 * result.seconds)} core-seconds; machine busy ${Math.round(result.machineBusyShare * 100)} %; ` +
    `${result.hubspotRequests} HubSpot requests, ${result.batchUpdates} batch updates, ${result.jobsRunTwice} jobs run twice`,
  );
}
const one = results.find((r) => r.workers === 1);
const ratios = one ? Object.fromEntries(results.filter((r) => r.workers !== 1).map((r) => [`${r.workers}v1`, round(one.seconds / r.seconds, 2)])) : {};
console.log(`throughput ratios (time with 1 worker / time with n): ${JSON.stringify(ratios)}`);
console.log(JSON.stringify({ bench: 'scale', portals: PORTALS, contacts: CONTACTS, results, ratios }));
await sandbox.close();
await mongo.stop();
process.exit(0);
