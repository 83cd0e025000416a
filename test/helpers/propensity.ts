/**
 * A real Propensity web app on a loopback port, installed against a real sandbox: for tests that go
 * through OAuth, webhooks and the HubSpot client over HTTP.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { migrateUp } from '../../src/db/migrate.ts';
import type { HubSpotApp } from '../../src/hubspot/hubspot-app.ts';
import { createKeyring } from '../../src/install/token-cipher.ts';
import { createLogger } from '../../src/log.ts';
import type { Sandbox } from '../../src/sandbox/start-sandbox.ts';
import { createServices, type ServiceOptions, type Services } from '../../src/services.ts';
import { createWebApp } from '../../src/web/create-web-app.ts';
import { testDatabase } from './mongo.ts';

export interface TestPropensity {
  url: string;
  app: HubSpotApp;
  services: Services;
  connection: Connection;
  close(): Promise<void>;
}

let nextAppId = 7000;

export async function startTestPropensity(sandbox: Sandbox, label: string, options: ServiceOptions = {}): Promise<TestPropensity> {
  const connection = await testDatabase(label);
  await migrateUp(connection);
  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const appId = nextAppId++;
  const app: HubSpotApp = {
    clientId: `client-${appId}`,
    clientSecret: randomBytes(16).toString('hex'),
    appId: String(appId),
    apiBaseUrl: sandbox.url,
    authorizeUrl: `${sandbox.url}/oauth/authorize`,
    publicUrl: url,
    requiredScopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.companies.read', 'crm.objects.companies.write', 'crm.objects.deals.read', 'crm.schemas.contacts.write', 'crm.schemas.companies.write'],
    optionalScopes: [],
  };
  sandbox.registerApp({ appId, clientId: app.clientId, clientSecret: app.clientSecret, redirectUrls: [`${url}/oauth/callback`], webhookTargetUrl: `${url}/webhooks/hubspot` });
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const services = createServices(connection, logger, app, createKeyring({ keyId: 'test', key: randomBytes(32) }), options);
  handler = createWebApp({ connection, logger, services });
  return {
    url,
    app,
    services,
    connection,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * An admin installing the app: /oauth/install → the sandbox's consent page → approve for `portalId`
 * → the app's callback. Returns the callback's answer.
 */
export async function installPortal(propensity: TestPropensity, sandbox: Sandbox, portalId: number, decision: 'approve' | 'decline' = 'approve'): Promise<Response> {
  const start = await fetch(`${propensity.url}/oauth/install`, { redirect: 'manual' });
  if (start.status !== 302) throw new Error(`install did not redirect: ${start.status}`);
  const authorize = new URL(start.headers.get('location')!);
  const form = new URLSearchParams({
    client_id: authorize.searchParams.get('client_id')!,
    redirect_uri: authorize.searchParams.get('redirect_uri')!,
    scope: authorize.searchParams.get('scope')!,
    state: authorize.searchParams.get('state')!,
    portal_id: String(portalId),
    decision,
  });
  const consent = await fetch(`${sandbox.url}/oauth/authorize/decision`, { method: 'POST', body: form, redirect: 'manual' });
  return fetch(consent.headers.get('location')!, { redirect: 'manual', headers: { accept: 'application/json' } });
}

/** A worker in this process, as `serve --role worker` runs it: jobs plus the inbox sweeper. */
export async function startTestWorker(propensity: TestPropensity): Promise<{ stop(): Promise<void>; finished: Map<string, number> }> {
  const { startWorker } = await import('../../src/jobs/run-worker.ts');
  const { jobHandlers } = await import('../../src/pipeline/job-handlers.ts');
  const { sweepInbox } = await import('../../src/webhooks/process-portal-webhooks.ts');
  const worker = startWorker({ connection: propensity.connection, logger: propensity.services.logger, handlers: jobHandlers(propensity.services), pollMs: 50 });
  const sweeper = setInterval(() => void sweepInbox(propensity.connection).catch(() => {}), 100);
  return {
    finished: worker.finished,
    async stop() {
      clearInterval(sweeper);
      await worker.stop();
    },
  };
}

/** Polls `check` until it is true (or fails after `timeoutMs`). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
