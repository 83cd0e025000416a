/**
 * Propensity as separate processes (`propensity serve --role ...`) against one MongoDB and the
 * sandbox in this test process: for tests of crashes and of several workers.
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import type { AppRegistration } from '../../src/sandbox/admin/sandbox-admin.ts';
import { spawnCli } from './cli.ts';
import { freshDatabaseName, testMongoUri } from './mongo.ts';

export interface Cluster {
  env: NodeJS.ProcessEnv;
  webUrl: string;
  appId: number;
  clientId: string;
  clientSecret: string;
  mongoUri: string;
  start(role: 'web' | 'worker' | 'scheduler' | 'all', extraEnv?: NodeJS.ProcessEnv): Promise<ChildProcess>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** The sandbox in this process (`startSandbox`) or in its own (`startSandboxProcess`). */
export interface SandboxAt {
  url: string;
  registerApp(app: AppRegistration): unknown;
}

let nextAppId = 8100;

/** Every process started here dies with this one, even when a test or benchmark crashes. */
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `baseUri`: the engine to use (default: this test run's); the cluster gets a fresh database on it. */
export async function createCluster(sandbox: SandboxAt, label: string, baseUri?: string): Promise<Cluster> {
  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  const appId = nextAppId++;
  const clientId = `cluster-${appId}`;
  const clientSecret = randomBytes(16).toString('hex');
  await sandbox.registerApp({ appId, clientId, clientSecret, redirectUrls: [`${webUrl}/oauth/callback`], webhookTargetUrl: `${webUrl}/webhooks/hubspot` });
  const mongoUri = (baseUri ?? (await testMongoUri())).replace('/?', `/${freshDatabaseName(label)}?`);
  const env: NodeJS.ProcessEnv = {
    MONGODB_URI: mongoUri,
    HUBSPOT_CLIENT_ID: clientId,
    HUBSPOT_CLIENT_SECRET: clientSecret,
    HUBSPOT_APP_ID: String(appId),
    HUBSPOT_API_BASE_URL: sandbox.url,
    HUBSPOT_AUTHORIZE_URL: `${sandbox.url}/oauth/authorize`,
    PUBLIC_URL: webUrl,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    JOB_LEASE_SECONDS: '2',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
  };
  return {
    env,
    webUrl,
    appId,
    clientId,
    clientSecret,
    mongoUri,
    async start(role, extraEnv = {}) {
      const port = role === 'web' || role === 'all' ? webPort : 0;
      const child = spawnCli(['serve', '--role', role], { ...env, PORT: String(port), ...extraEnv });
      started.add(child);
      const lines = createInterface({ input: child.stdout! });
      child.stderr!.on('data', () => {});
      await new Promise<void>((resolve, reject) => {
        lines.on('line', (line) => {
          if (line.includes('Propensity is ready') || line.includes('is running (health')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`${role} exited early with ${code}`)));
      });
      return child;
    },
  };
}

export function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

/** The install as an admin does it, through the web process. */
export async function installThrough(webUrl: string, sandbox: SandboxAt, portalId: number): Promise<number> {
  const start = await fetch(`${webUrl}/oauth/install`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  const consent = await fetch(`${sandbox.url}/oauth/authorize/decision`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ client_id: authorize.searchParams.get('client_id')!, redirect_uri: authorize.searchParams.get('redirect_uri')!, scope: authorize.searchParams.get('scope')!, state: authorize.searchParams.get('state')!, portal_id: String(portalId), decision: 'approve' }),
  });
  // The browser brings back the cookie the install's start set: the OAuth state is bound to it.
  return (await fetch(consent.headers.get('location')!, { redirect: 'manual', headers: { cookie: start.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') } })).status;
}
