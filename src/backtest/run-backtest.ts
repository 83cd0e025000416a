/**
 * A backtest through the whole app: a CSV becomes a sandbox portal's CRM history
 * (plan-backtest-portal.ts), Propensity is installed into it by OAuth and runs as it runs in
 * production (one `serve --role all` process in this one: sync, features, training, scoring,
 * write-back), then the conversion probability it wrote is read back from the sandbox through the
 * HubSpot client for the test rows and scored against their hidden outcomes. Prints peers.py's fields.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig } from '../config.ts';
import { startEmbeddedMongo, type EmbeddedMongo } from '../db/embedded/start-embedded-mongodb.ts';
import { createLogger } from '../log.ts';
import { brierScore, logLoss, rocAuc } from '../learners/index.ts';
import { importRecords } from '../sandbox/history/import-records.ts';
import { startSandbox } from '../sandbox/start-sandbox.ts';
import { startApp } from '../start-app.ts';
import { CsvError, labelsFromColumn, readCsvTable, splitRows, type SplitRule } from '../tabular/index.ts';
import type { EvaluationLine } from '../cli/commands/evaluate.ts';
import { planBacktestPortal } from './plan-backtest-portal.ts';

export interface BacktestOptions {
  csv: string;
  target: string;
  positive: string;
  separator: string;
  drop: string[];
  split: SplitRule;
  /** Where the embedded engine keeps its scratch data when MONGODB_URI is unset. */
  dataDir: string;
  mongodbUri?: string;
  /** Lifts the sandbox's rate limits (the default is HubSpot's, as in production). */
  unthrottled?: boolean;
  timeoutMs?: number;
  say?: (line: string) => void;
}

/** peers.py's fields (as `propensity evaluate` prints them), plus how long the sync took and the calls it made. */
export interface BacktestResult extends EvaluationLine {
  sync_s: number;
  hubspot_calls: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function runBacktest(o: BacktestOptions): Promise<BacktestResult> {
  const say = o.say ?? (() => {});
  const csv = readCsvTable(o.csv, { separator: o.separator, exclude: o.drop, text: [o.target] });
  if (csv.table.numericNames.length + csv.table.categoricalNames.length === 0) throw new CsvError(`${o.csv} has no feature columns besides the target`);
  const labels = labelsFromColumn(csv.text[o.target], o.positive, o.target);
  const split = splitRows(csv.rowCount, o.split);
  const now = Date.now();
  const plan = planBacktestPortal(csv.table, labels, split, now);

  let engine: EmbeddedMongo | undefined;
  let baseUri = o.mongodbUri;
  const enginePath = path.join(o.dataDir, 'backtest-runs', `mongodb-${process.pid}`);
  if (!baseUri) {
    engine = await startEmbeddedMongo({ dbPath: enginePath, runtimeDir: path.join(o.dataDir, 'runtime'), say });
    baseUri = engine.uri;
  }
  const database = `backtest_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const mongoUri = baseUri.includes('/?') ? baseUri.replace('/?', `/${database}?`) : `${baseUri.replace(/\/$/, '')}/${database}`;
  const sandbox = await startSandbox({ seed: 1, ...(o.unthrottled ? { rateLimit: { perTenSeconds: 1_000_000, searchPerSecond: 10_000 } } : {}) });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const appId = 4_000_000 + Math.floor(Math.random() * 1_000_000);
  const clientId = `backtest-${appId}`;
  const clientSecret = randomBytes(16).toString('hex');
  sandbox.registerApp({ appId, clientId, clientSecret, redirectUrls: [`${url}/oauth/callback`], webhookTargetUrl: `${url}/webhooks/hubspot` });
  const config = loadConfig({
    PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, DATA_DIR: o.dataDir, MONGODB_URI: mongoUri,
    HUBSPOT_CLIENT_ID: clientId, HUBSPOT_CLIENT_SECRET: clientSecret, HUBSPOT_APP_ID: String(appId),
    HUBSPOT_API_BASE_URL: sandbox.url, HUBSPOT_AUTHORIZE_URL: `${sandbox.url}/oauth/authorize`,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const app = await startApp(config, createLogger({ level: config.logLevel }), { role: 'all' });
  try {
    const portal = sandbox.addPortal({ contacts: 0 });
    const store = sandbox.state.portals.get(portal.portalId)!;
    const ids = importRecords(store, 'contacts', plan.properties, plan.records);
    say(`loaded ${ids.length} rows as contacts of sandbox portal ${portal.portalId} (${plan.properties.length} properties); installing Propensity`);

    const started = performance.now();
    await install(url, sandbox.url, portal.portalId);
    const jobs = app.database.connection.collection('jobs');
    const scores = app.database.connection.collection('scores');
    const doneAt = async (type: string) => (await jobs.findOne({ portalId: portal.portalId, type, status: 'done' }, { sort: { updatedAt: -1 } }))?.updatedAt as Date | undefined;
    const deadline = Date.now() + (o.timeoutMs ?? 60 * 60_000);
    let syncedAt: number | undefined;
    let trainedAt: number | undefined;
    for (;;) {
      if (Date.now() > deadline) throw new Error('the backtest timed out waiting for the pipeline');
      const dead = await jobs.findOne({ portalId: portal.portalId, status: 'dead' });
      if (dead) throw new Error(`job ${dead.type} failed for good: ${dead.lastError}`);
      if (!syncedAt && (await doneAt('portal.initial-sync'))) {
        syncedAt = performance.now();
        say(`synced in ${Math.round((syncedAt - started) / 1000)} s; training`);
      }
      if (syncedAt && !trainedAt && (await doneAt('portal.train'))) {
        trainedAt = performance.now();
        say(`trained in ${Math.round((trainedAt - syncedAt) / 1000)} s; scoring and writing back`);
      }
      const busy = await jobs.countDocuments({ portalId: portal.portalId, status: { $in: ['queued', 'running'] } });
      if (trainedAt && busy === 0 && (await doneAt('portal.write-scores')) && (await scores.countDocuments({ portalId: portal.portalId, writePending: true })) === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const writtenAt = performance.now();

    const testIds = ids.slice(ids.length - plan.testCount).map(String);
    const hubspot = app.services.hubspot.forPortal(portal.portalId);
    const probabilities: number[] = [];
    for (let i = 0; i < testIds.length; i += 100) {
      const answer = await hubspot.call((c) => c.crm.contacts.batchApi.read({ inputs: testIds.slice(i, i + 100).map((id) => ({ id })), properties: ['propensity_conversion_probability'], propertiesWithHistory: [] }));
      const byId = new Map(answer.results.map((r) => [r.id, r.properties.propensity_conversion_probability]));
      for (const id of testIds.slice(i, i + 100)) {
        const value = byId.get(id);
        if (value === undefined || value === null || value === '') throw new Error(`contact ${id} has no propensity_conversion_probability written`);
        probabilities.push(Number(value));
      }
    }
    const testLabels = Array.from(split.test, (row) => labels[row]);
    const model = await app.database.connection.collection('models').findOne({ portalId: portal.portalId, objectType: 'contacts', target: 'lead', status: 'current' });
    const calls = sandbox.counters().portals[String(portal.portalId)];
    return {
      model: `propensity backtest (${model?.version ?? 'no model'}${model?.kind === 'rules' ? ', rule model' : ''})`,
      auc: rocAuc(probabilities, testLabels),
      logloss: logLoss(probabilities.map((p) => Math.min(1 - 1e-6, Math.max(1e-6, p))), testLabels),
      brier: brierScore(probabilities, testLabels),
      train_s: round((trainedAt! - syncedAt!) / 1000),
      score_s: round((writtenAt - trainedAt!) / 1000),
      n_train: split.train.length,
      n_test: split.test.length,
      positives_test: testLabels.reduce((a, b) => a + b, 0),
      split: o.split,
      sync_s: round((syncedAt! - started) / 1000),
      hubspot_calls: calls?.requests ?? 0,
    };
  } catch (error) {
    // Said at once: stopping waits for the job in progress, which can take a while on a large portal.
    say(`the backtest failed: ${(error as Error).message}; stopping the app`);
    throw error;
  } finally {
    await app.database.connection.dropDatabase().catch(() => {});
    await app.stop();
    await sandbox.close();
    if (engine) {
      await engine.stop();
      await rm(enginePath, { recursive: true, force: true });
    }
    await mongoose.disconnect();
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The admin's install: the app's install link, HubSpot's consent page, approve, the callback. */
async function install(appUrl: string, sandboxUrl: string, portalId: number): Promise<void> {
  const start = await fetch(`${appUrl}/oauth/install`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  const consent = await fetch(`${sandboxUrl}/oauth/authorize/decision`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ client_id: authorize.searchParams.get('client_id')!, redirect_uri: authorize.searchParams.get('redirect_uri')!, scope: authorize.searchParams.get('scope')!, state: authorize.searchParams.get('state')!, portal_id: String(portalId), decision: 'approve' }),
  });
  const callback = await fetch(consent.headers.get('location')!, { redirect: 'manual' });
  if (callback.status >= 400) throw new Error(`the install failed: ${callback.status} ${await callback.text()}`);
}
