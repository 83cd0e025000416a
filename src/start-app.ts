/**
 * Assembles a running Propensity process from its configuration and role:
 * - web: the HTTP app (install, webhooks, pages, API);
 * - worker: runs queued jobs and drains the webhook inbox;
 * - scheduler: queues periodic work (each tick claimed once per cluster);
 * - all: everything in one process (the default).
 * Every role serves /healthz, /readyz and /metrics. Without HubSpot credentials the local sandbox
 * runs in-process and plays HubSpot. Stop is graceful: stop accepting, finish in-flight work, close MongoDB.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import type { Config } from './config.ts';
import { portalModel } from './db/models/portal.ts';
import { openDatabase, type Database } from './db/open-database.ts';
import { enqueueJob } from './jobs/job-queue.ts';
import type { HubSpotApp } from './hubspot/hubspot-app.ts';
import { loadTokenKeyring } from './install/token-keys.ts';
import { startScheduler } from './jobs/run-scheduler.ts';
import { startWorker } from './jobs/run-worker.ts';
import type { Logger } from './log.ts';
import { createMetrics } from './metrics.ts';
import { jobHandlers, jobTypes } from './pipeline/job-handlers.ts';
import { scheduledTasks } from './pipeline/scheduled-tasks.ts';
import { startLocalSandbox, type LocalSandbox } from './sandbox/local-sandbox.ts';
import { createServices, hubspotAppFromConfig, type Services } from './services.ts';
import { createWebApp } from './web/create-web-app.ts';
import { sweepInbox } from './webhooks/process-portal-webhooks.ts';

export const roles = ['all', 'web', 'worker', 'scheduler'] as const;
export type Role = (typeof roles)[number];

export interface RunningApp {
  /** Where this process listens, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Where people and HubSpot reach it (PUBLIC_URL, or this process's own URL). */
  publicUrl: string;
  role: Role;
  database: Database;
  services: Services;
  localSandbox: LocalSandbox | undefined;
  /** Jobs this process finished, by type (worker roles). */
  finishedJobs: Map<string, number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  role?: Role;
  /** Which HubSpot to serve; default: the configuration's credentials, else the in-process sandbox. */
  hubspotApp?: HubSpotApp;
  workerPollMs?: number;
}

async function queuePropertyChecks(connection: Connection): Promise<void> {
  for (const { portalId } of await portalModel(connection).find({ status: 'installed' }, { portalId: 1 }).lean()) {
    await enqueueJob(connection, { portalId, type: jobTypes.createProperties, dedupeKey: `${jobTypes.createProperties}:${portalId}` });
  }
}

export async function startApp(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningApp> {
  const role = options.role ?? 'all';
  const database = await openDatabase(config, logger);
  const { connection } = database;
  let handler: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end('starting');
  };
  const server = createServer((req, res) => handler(req, res));
  try {
    await listen(server, config.http.port, config.http.host);
  } catch (error) {
    await database.close();
    throw new Error(`cannot listen on ${config.http.host}:${config.http.port}: ${(error as Error).message}`);
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${port}`;
  const publicUrl = config.http.port === 0 && !process.env.PUBLIC_URL ? url : config.http.publicUrl;

  let localSandbox: LocalSandbox | undefined;
  let hubspotApp = options.hubspotApp ?? hubspotAppFromConfig(config);
  if (!hubspotApp) {
    localSandbox = await startLocalSandbox(config, publicUrl, logger);
    hubspotApp = localSandbox.app;
  }
  const services = createServices(connection, logger, hubspotApp, await loadTokenKeyring(config), { leaseMs: config.jobLeaseMs });
  const metrics = createMetrics({ connection, hubspotStats: () => services.hubspot.stats });
  const secureCookies = config.env === 'production' || publicUrl.startsWith('https://');
  handler = createWebApp({ connection, logger, services: role === 'web' || role === 'all' ? services : undefined, metrics, localSandbox, secureCookies, metricsToken: config.metricsToken });

  const worker = role === 'worker' || role === 'all' ? startWorker({
        connection, logger, handlers: jobHandlers(services), pollMs: options.workerPollMs, leaseMs: config.jobLeaseMs,
        onJobRun: (type, outcome, seconds) => metrics.jobDuration.observe({ type, outcome }, seconds),
      }) : undefined;
  const sweeper = worker ? setInterval(() => void sweepInbox(connection).catch((error) => logger.warn({ err: error }, 'inbox sweep failed')), 500) : undefined;
  const scheduler = role === 'scheduler' || role === 'all' ? startScheduler(connection, logger, scheduledTasks(connection, config.schedule)) : undefined;
  // On every start, the output properties are checked (and made) again in every installed portal:
  // idempotent, and how a property an admin deleted to fix its type comes back right.
  if (scheduler) await queuePropertyChecks(connection).catch((error) => logger.warn({ err: error }, 'could not queue the property checks'));

  let stopping: Promise<void> | undefined;
  return {
    url,
    publicUrl,
    role,
    database,
    services,
    localSandbox,
    finishedJobs: worker?.finished ?? new Map(),
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        if (sweeper) clearInterval(sweeper);
        await scheduler?.stop();
        await worker?.stop();
        await localSandbox?.sandbox.close();
        await localSandbox?.persistence.close();
        await database.close();
      })();
      return stopping;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
