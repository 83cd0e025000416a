/**
 * The HTTP face of Propensity: one express app, assembled from route modules. Each later stage of the
 * pipeline (install, webhooks, the portal's page) adds its router here.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import { settingsRoutes } from './settings-routes.ts';
import type { Connection } from 'mongoose';
import { pinoHttp } from 'pino-http';
import { installRoutes } from '../install/install-routes.ts';
import { redactQuery, redactUrl, type Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { LocalSandbox } from '../sandbox/local-sandbox.ts';
import type { Services } from '../services.ts';
import { WEBHOOK_PATH, webhookRoutes } from '../webhooks/webhook-routes.ts';
import { healthRoutes } from './health-routes.ts';
import { pageRoutes } from './page-routes.ts';
import { crmCardRoutes } from './crm-card-routes.ts';
import { signInToPortal, signOut } from './portal-access.ts';
import { portalApiRoutes } from './portal-api-routes.ts';
import { sessionMiddleware } from './session.ts';
import { uninstallRoutes } from './uninstall-routes.ts';

/** Chart.js's browser build, served from node_modules (no CDN); the page's own script next to this file. */
const chartJsFile = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
const assetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

export interface WebAppDeps {
  connection: Connection;
  logger: Logger;
  /** Absent only in tests of the bare web app. */
  services?: Services;
  metrics?: Metrics;
  /** Set when the sandbox plays HubSpot in this process (the landing page links to it). */
  localSandbox?: LocalSandbox;
  /** Session cookie only over https (production); default: when the public URL is https. */
  secureCookies?: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <this>` (METRICS_TOKEN; required in production). */
  metricsToken?: string;
}

export function createWebApp({ connection, logger, services, metrics, localSandbox, secureCookies, metricsToken }: WebAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // The callback's URL carries the OAuth code and state: their values never reach the log.
      serializers: { req: (req: { url?: string; query?: Record<string, unknown> }) => ({ ...req, url: typeof req.url === 'string' ? redactUrl(req.url) : req.url, query: redactQuery(req.query) }) },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // HubSpot's webhook batches arrive by the hundred a second: their successes are counted in
      // /metrics and logged at debug; anything else about them is logged as usual.
      customLogLevel: (req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : req.url === WEBHOOK_PATH ? 'debug' : 'info'),
    }),
  );
  // The session layer is made first, so /readyz can ask its store; it is mounted below, for browsers' routes.
  const sessions = services ? sessionMiddleware(connection, services.keyring, secureCookies ?? services.app.publicUrl.startsWith('https://')) : undefined;
  app.use(healthRoutes(connection, sessions ? { sessions: () => sessions.store.isReady() } : {}));
  if (metrics) {
    app.get('/metrics', async (req, res) => {
      if (metricsToken !== undefined && !isBearer(req.get('authorization'), metricsToken)) {
        res.status(401).set('www-authenticate', 'Bearer realm="metrics"').json({ status: 'error', message: 'Send the metrics token as Authorization: Bearer' });
        return;
      }
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
  if (services) {
    app.use(webhookRoutes({ ...services, metrics }));
    app.use(crmCardRoutes(services));
    app.get('/assets/chart.umd.min.js', (_req, res) => res.sendFile(chartJsFile, { maxAge: '1d' }));
    app.get('/assets/portal-page.js', (_req, res) => res.sendFile(path.join(assetsDir, 'portal-page.js'), { maxAge: 0 }));
    // Everything below is for people in a browser: the session (cookie + MongoDB) comes first.
    app.use(sessions!.middleware);
    app.use(installRoutes({ ...services, signIn: signInToPortal }));
    app.post('/oauth/signout', async (req, res) => {
      await signOut(req);
      res.redirect(303, '/');
    });
    app.use(pageRoutes(services, localSandbox));
    app.use(portalApiRoutes(services));
    app.use(settingsRoutes(services));
    app.use(uninstallRoutes(services));
  }
  app.use((_req, res) => {
    res.status(404).json({ status: 'error', message: 'Not found' });
  });
  app.use(errorHandler);
  return app;
}

/** True when `header` is `Bearer <token>` (compared in constant time). */
function isBearer(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (given === undefined) return false;
  const [a, b] = [createHash('sha256').update(given).digest(), createHash('sha256').update(token).digest()];
  return timingSafeEqual(a, b);
}

const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 600 ? error.status : 500;
  if (status >= 500) req.log.error({ err: error }, 'request failed');
  else req.log.warn({ reason: error?.message }, 'request rejected');
  if (res.headersSent) return;
  res.status(status).json({ status: 'error', message: status >= 500 ? 'Internal error' : String(error?.message ?? 'Bad request') });
};
