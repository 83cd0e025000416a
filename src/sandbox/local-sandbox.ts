/**
 * `npm start` with no HubSpot credentials: the sandbox runs in the same process, with one portal
 * filled by the history generator, and Propensity registered in it as an app. The same code path as
 * production from there on: OAuth, webhooks and API calls all go over HTTP.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { HubSpotApp } from '../hubspot/hubspot-app.ts';
import { loadAppDefinition } from '../install/app-definition.ts';
import type { Logger } from '../log.ts';
import { loadSandboxSnapshot, persistSandbox, type SandboxPersistence } from './persist-sandbox.ts';
import { startSandbox, type Sandbox } from './start-sandbox.ts';

export const LOCAL_APP_ID = 4_242_001;
export const LOCAL_PORTAL_ID = 90_000_001;

export interface LocalSandbox {
  sandbox: Sandbox;
  app: HubSpotApp;
  portalId: number;
  /** Writes the sandbox's state under the data folder; `close()` writes the last snapshot. */
  persistence: SandboxPersistence;
}

/** Where the in-process sandbox keeps its state between runs. */
export function sandboxSnapshotFile(config: Config): string {
  return path.join(config.dataDir, 'sandbox', 'state.ndjson');
}

export async function startLocalSandbox(config: Config, publicUrl: string, logger: Logger): Promise<LocalSandbox> {
  const sandbox = await startSandbox({ seed: config.sandbox.seed, port: config.sandbox.port, host: config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host });
  const started = Date.now();
  const file = sandboxSnapshotFile(config);
  // The sandbox plays HubSpot: what it held before a restart (the installed app's secret and tokens,
  // the demo portal's records and what Propensity wrote to them) must still be there, or the app
  // would see its refresh token refused and the demo re-synced from nothing.
  const restored = await loadSandboxSnapshot(sandbox.state, file).catch(async (error: Error) => {
    await sandbox.close();
    throw error;
  });
  if (restored) {
    logger.info({ sandbox: sandbox.url, file, portals: sandbox.state.portals.size, ms: Date.now() - started }, 'local HubSpot sandbox restored from its snapshot');
  } else {
    const portal = sandbox.addPortal({ portalId: LOCAL_PORTAL_ID, domain: 'demo-company.sandbox.hubspot.example', contacts: config.sandbox.contacts, seed: config.sandbox.seed, anchor: startOfToday() });
    logger.info({ sandbox: sandbox.url, ...portal, ms: Date.now() - started }, 'local HubSpot sandbox ready with a demo portal');
  }
  const { auth } = loadAppDefinition().config;
  const clientId = 'propensity-local';
  const app: HubSpotApp = {
    clientId,
    clientSecret: sandbox.state.apps.get(clientId)?.clientSecret ?? randomBytes(24).toString('hex'),
    appId: String(LOCAL_APP_ID),
    apiBaseUrl: sandbox.url,
    authorizeUrl: `${sandbox.url}/oauth/authorize`,
    publicUrl,
    requiredScopes: auth.requiredScopes,
    optionalScopes: auth.optionalScopes,
  };
  // Registered again on every start: the same id and secret, today's URLs and scopes.
  sandbox.registerApp({
    appId: LOCAL_APP_ID,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUrls: [`${publicUrl}/oauth/callback`],
    webhookTargetUrl: `${publicUrl}/webhooks/hubspot`,
    scopes: [...auth.requiredScopes, ...auth.optionalScopes],
  });
  const persistence = persistSandbox(sandbox.state, file, { onError: (error) => logger.error({ err: error, file }, 'could not write the sandbox snapshot') });
  await persistence.flush();
  return { sandbox, app, portalId: LOCAL_PORTAL_ID, persistence };
}

function startOfToday(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
