/**
 * The whole app against a history loaded into a fresh sandbox portal, as in production: Propensity
 * is installed into it by OAuth and runs (one `serve --role all` process in this one: sync,
 * features, training, scoring, write-back); once every job is done and every score written, a
 * property it wrote is read back from the sandbox through the HubSpot client for the records asked
 * for. What every backtest shares; what is loaded and how it is scored is the caller's.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { loadConfig } from '../config.ts';
import { startEmbeddedMongo, type EmbeddedMongo } from '../db/embedded/start-embedded-mongodb.ts';
import type { Target } from '../features/label-settings.ts';
import { parseModel, type Selection } from '../learners/index.ts';
import { createLogger } from '../log.ts';
import type { SandboxPortal } from '../sandbox/sandbox-store.ts';
import { startSandbox } from '../sandbox/start-sandbox.ts';
import { savePortalSettings } from '../settings/portal-settings.ts';
import { startApp } from '../start-app.ts';

export interface AppRunOptions {
  /** Where the embedded engine keeps its scratch data when MONGODB_URI is unset. */
  dataDir: string;
  mongodbUri?: string;
  /** Lifts the sandbox's rate limits (the default is HubSpot's, as in production). */
  unthrottled?: boolean;
  timeoutMs?: number;
  say?: (line: string) => void;
}

export interface PortalReplay {
  /** Loads the history into the empty portal; returns the contacts whose written value is read back, and a line saying what was loaded. */
  load(portal: SandboxPortal): { readIds: number[]; loaded: string };
  /** Settings the portal's admin chose before installing (what counts as a conversion, as churn). */
  settings?: unknown;
  target: Target;
  /** The contact property read back. */
  property: string;
  /** Looks at the app's database before it is dropped (tests). */
  inspect?: (connection: Connection, portalId: number) => Promise<void>;
}

export interface ReplayOutcome {
  /** The property as written, per contact in `readIds` order. */
  values: string[];
  /** The probability the app computed before rounding it into the property, per contact in `readIds` order. */
  probabilities: number[];
  model: ({ version: string; kind: string; trainingRows: number } & WrittenModelLearner) | undefined;
  sync_s: number;
  train_s: number;
  score_s: number;
  hubspot_calls: number;
}

/** Which learner, calibration and blend a written model used (none for a rule model). */
export interface WrittenModelLearner {
  learner: string | null;
  calibration: string | null;
  blend: { learner: string; weight: number } | null;
  selection: Selection | null;
}

export function writtenModelLearner(kind: string, text: string): WrittenModelLearner {
  if (kind !== 'learned') return { learner: null, calibration: null, blend: null, selection: null };
  const model = parseModel(text);
  if (model.kind !== 'calibrated') return { learner: model.kind, calibration: null, blend: null, selection: null };
  return {
    learner: model.model.kind,
    calibration: model.calibration.method,
    blend: model.blend ? { learner: model.blend.model.kind, weight: model.blend.weight } : null,
    selection: model.selection,
  };
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

const round = (x: number) => Math.round(x * 1000) / 1000;

export async function runInSandboxPortal(o: AppRunOptions, replay: PortalReplay): Promise<ReplayOutcome> {
  const say = o.say ?? (() => {});
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
    const { readIds, loaded } = replay.load(sandbox.state.portals.get(portal.portalId)!);
    say(`${loaded} of sandbox portal ${portal.portalId}; installing Propensity`);
    if (replay.settings !== undefined) await savePortalSettings(app.database.connection, portal.portalId, replay.settings);

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

    const ids = readIds.map(String);
    const hubspot = app.services.hubspot.forPortal(portal.portalId);
    const values: string[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const answer = await hubspot.call((c) => c.crm.contacts.batchApi.read({ inputs: ids.slice(i, i + 100).map((id) => ({ id })), properties: [replay.property], propertiesWithHistory: [] }));
      const byId = new Map(answer.results.map((r) => [r.id, r.properties[replay.property]]));
      for (const id of ids.slice(i, i + 100)) {
        const value = byId.get(id);
        if (value === undefined || value === null || value === '') throw new Error(`contact ${id} has no ${replay.property} written`);
        values.push(value);
      }
    }
    const model = await app.database.connection.collection('models').findOne({ portalId: portal.portalId, objectType: 'contacts', target: replay.target, status: 'current' });
    const scored = await app.database.connection.collection('scores').find({ portalId: portal.portalId, objectType: 'contacts', objectId: { $in: ids } }, { projection: { objectId: 1, probability: 1 } }).toArray();
    const probabilityOf = new Map(scored.map((d) => [String(d.objectId), Number(d.probability)]));
    const probabilities = ids.map((id) => probabilityOf.get(id) ?? Number.NaN);
    await replay.inspect?.(app.database.connection, portal.portalId);
    return {
      values,
      probabilities,
      model: model ? { version: String(model.version), kind: String(model.kind), trainingRows: Number(model.training?.rows ?? 0), ...writtenModelLearner(String(model.kind), String(model.model)) } : undefined,
      sync_s: round((syncedAt! - started) / 1000),
      train_s: round((trainedAt! - syncedAt!) / 1000),
      score_s: round((writtenAt - trainedAt!) / 1000),
      hubspot_calls: sandbox.counters().portals[String(portal.portalId)]?.requests ?? 0,
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

/** The admin's install: the app's install link, HubSpot's consent page, approve, the callback. */
async function install(appUrl: string, sandboxUrl: string, portalId: number): Promise<void> {
  const start = await fetch(`${appUrl}/oauth/install`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  const consent = await fetch(`${sandboxUrl}/oauth/authorize/decision`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ client_id: authorize.searchParams.get('client_id')!, redirect_uri: authorize.searchParams.get('redirect_uri')!, scope: authorize.searchParams.get('scope')!, state: authorize.searchParams.get('state')!, portal_id: String(portalId), decision: 'approve' }),
  });
  // As a browser does, the cookie the start set comes back to the callback (the OAuth state is bound to it).
  const callback = await fetch(consent.headers.get('location')!, { redirect: 'manual', headers: { cookie: start.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') } });
  if (callback.status >= 400) throw new Error(`the install failed: ${callback.status} ${await callback.text()}`);
}
