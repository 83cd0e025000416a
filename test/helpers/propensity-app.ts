/**
 * A real Propensity web app on a loopback port, on a given MongoDB connection and registered in a
 * real sandbox, and the OAuth install of a portal into it. No node:test hooks here, so benchmarks
 * (plain scripts) use it too; tests use test/helpers/propensity.ts, which adds a test database.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import type { HubSpotApp } from '../../src/hubspot/hubspot-app.ts';
import { createKeyring } from '../../src/install/token-cipher.ts';
import { createLogger } from '../../src/log.ts';
import type { AppRegistration } from '../../src/sandbox/admin/sandbox-admin.ts';
import { createServices, type ServiceOptions, type Services } from '../../src/services.ts';
import { createWebApp } from '../../src/web/create-web-app.ts';

export interface TestPropensity {
  url: string;
  app: HubSpotApp;
  services: Services;
  connection: Connection;
  close(): Promise<void>;
}

/** A sandbox in this process (`startSandbox`) or in another one, driven over HTTP. */
export interface SandboxAt {
  url: string;
  registerApp(app: AppRegistration): unknown;
}

let nextAppId = 7000;

/** Serves Propensity on `connection` (already migrated), registered as an app in `sandbox`. */
export async function startPropensityApp(connection: Connection, sandbox: SandboxAt, options: ServiceOptions = {}): Promise<TestPropensity> {
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
  await sandbox.registerApp({ appId, clientId: app.clientId, clientSecret: app.clientSecret, redirectUrls: [`${url}/oauth/callback`], webhookTargetUrl: `${url}/webhooks/hubspot` });
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
export async function installPortal(propensity: TestPropensity, sandbox: SandboxAt, portalId: number, decision: 'approve' | 'decline' = 'approve'): Promise<Response> {
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
  // The browser brings back the cookie the install's start set: the OAuth state is bound to it.
  return fetch(consent.headers.get('location')!, { redirect: 'manual', headers: { accept: 'application/json', cookie: cookiesSetBy(start) } });
}

/** The cookie header a browser sends after `response`'s Set-Cookie lines. */
export function cookiesSetBy(response: Response): string {
  return response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
