/**
 * Every environment variable Propensity reads, read and validated here once. A bad or missing value
 * stops start-up with one line naming the variable and what it expects (`ConfigError`).
 */
import path from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = z.coerce.number().int().min(0).max(65535);
const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
const mongoUri = z.string().regex(/^mongodb(\+srv)?:\/\/.+/, 'a mongodb:// or mongodb+srv:// connection string');
/** 32 random bytes, base64 (e.g. `openssl rand -base64 32`). */
const encryptionKey = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, '32 bytes, base64-encoded (openssl rand -base64 32)');
const optionalText = z.string().min(1).optional();
const cronExpression = z.string().refine((v) => cron.validate(v), 'a cron expression (node-cron syntax, e.g. "*/5 * * * *")');
const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;
const previousKeyPattern = /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+$/;

export interface TokenKey {
  keyId: string;
  key: Buffer;
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: httpUrl.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  MONGODB_URI: mongoUri.optional(),
  HUBSPOT_CLIENT_ID: optionalText,
  HUBSPOT_CLIENT_SECRET: optionalText,
  HUBSPOT_APP_ID: z.string().regex(/^\d+$/, 'the numeric app id').optional(),
  HUBSPOT_API_BASE_URL: httpUrl.default('https://api.hubapi.com'),
  HUBSPOT_AUTHORIZE_URL: httpUrl.default('https://app.hubspot.com/oauth/authorize'),
  TOKEN_ENCRYPTION_KEY: encryptionKey.optional(),
  TOKEN_ENCRYPTION_KEY_ID: z.string().regex(keyIdPattern, 'letters, digits, _ or -').default('k1'),
  TOKEN_ENCRYPTION_PREVIOUS_KEYS: z
    .string()
    .refine(
      (v) => v.split(',').every((entry) => previousKeyPattern.test(entry.trim()) && Buffer.from(entry.trim().split(':')[1], 'base64').length === 32),
      'a comma-separated list of KEY_ID:BASE64_32_BYTE_KEY',
    )
    .optional(),
  SANDBOX_CONTACTS: z.coerce.number().int().min(10).max(200_000).default(3000),
  SANDBOX_SEED: z.coerce.number().int().default(42),
  SANDBOX_PORT: port.default(0),
  JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  INCREMENTAL_SYNC_CRON: cronExpression.default('*/5 * * * *'),
  DELETION_RECONCILIATION_CRON: cronExpression.default('30 3 * * *'),
  /** Days a portal whose refresh token HubSpot refused keeps its data for a re-install (src/install/portal-access.ts). */
  REFUSED_TOKEN_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Bearer token a scraper sends to /metrics (`Authorization: Bearer …`); required in production. */
  METRICS_TOKEN: z.string().min(1).optional(),
});

type Env = z.infer<typeof schema>;

/** Where HubSpot is: the real one (credentials given) or the local sandbox started in-process. */
export type HubSpotTarget =
  | { mode: 'hubspot'; clientId: string; clientSecret: string; appId: string; apiBaseUrl: string; authorizeUrl: string }
  | { mode: 'sandbox' };

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  http: { port: number; host: string; publicUrl: string };
  dataDir: string;
  /** Unset: the embedded engine is started under `dataDir`. */
  mongodbUri: string | undefined;
  hubspot: HubSpotTarget;
  /** Unset in sandbox mode without a key: a key is generated under `dataDir` (src/install/token-keys.ts). */
  tokenEncryption: { current: TokenKey; previous: TokenKey[] } | undefined;
  sandbox: { contacts: number; seed: number; port: number };
  /** How long a worker holds a job or a batch of webhook events before another may take it over. */
  jobLeaseMs: number;
  /** When the scheduler queues periodic work (node-cron expressions). */
  schedule: { incrementalSync: string; deletionReconciliation: string; refusedTokenRetentionDays: number };
  /** Unset (development only): /metrics is open. */
  metricsToken: string | undefined;
}

const credentialVars = ['HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET', 'HUBSPOT_APP_ID', 'PUBLIC_URL', 'MONGODB_URI', 'TOKEN_ENCRYPTION_KEY'] as const;

/**
 * Reads the configuration from `env` (default `process.env`); pure apart from that argument.
 * @example loadConfig({ PORT: '8080' }).http.port === 8080
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`${name}: ${describeIssue(issue)} (got ${JSON.stringify(cleaned[name] ?? null)})`);
  }
  const e = parsed.data;
  const hubspot = readHubSpotTarget(e);
  if (hubspot.mode === 'hubspot') {
    const missing = credentialVars.filter((name) => e[name] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(`${missing[0]}: required when HubSpot credentials are configured (set ${missing.join(', ')})`);
    }
  }
  if (e.NODE_ENV === 'production') refuseWeakProduction(e);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    http: { port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}` },
    dataDir: path.resolve(e.DATA_DIR),
    mongodbUri: e.MONGODB_URI,
    hubspot,
    tokenEncryption: e.TOKEN_ENCRYPTION_KEY
      ? {
          current: { key: Buffer.from(e.TOKEN_ENCRYPTION_KEY, 'base64'), keyId: e.TOKEN_ENCRYPTION_KEY_ID },
          previous: (e.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? '')
            .split(',')
            .filter((entry) => entry.trim() !== '')
            .map((entry) => {
              const [keyId, key] = entry.trim().split(':');
              return { keyId, key: Buffer.from(key, 'base64') };
            }),
        }
      : undefined,
    sandbox: { contacts: e.SANDBOX_CONTACTS, seed: e.SANDBOX_SEED, port: e.SANDBOX_PORT },
    jobLeaseMs: e.JOB_LEASE_SECONDS * 1000,
    schedule: { incrementalSync: e.INCREMENTAL_SYNC_CRON, deletionReconciliation: e.DELETION_RECONCILIATION_CRON, refusedTokenRetentionDays: e.REFUSED_TOKEN_RETENTION_DAYS },
    metricsToken: e.METRICS_TOKEN,
  };
}

/** HubSpot's client secrets are UUIDs (36 characters); anything much shorter was typed by hand. */
export const MIN_CLIENT_SECRET_LENGTH = 32;
/** A bearer token a scraper sends: long enough not to be guessed. */
export const MIN_METRICS_TOKEN_LENGTH = 32;
/** 32 random bytes have about 28 different values; fewer than this is a pattern, not a key. */
const MIN_DISTINCT_KEY_BYTES = 16;

/**
 * `NODE_ENV=production` starts only on a configuration fit for customers' data: the first weak
 * setting stops start-up with one line naming it and why. (The session cookie and OAuth state are
 * signed with keys derived from TOKEN_ENCRYPTION_KEY, so a strong key covers them too.)
 */
function refuseWeakProduction(e: Env): void {
  const refuse = (name: string, why: string): never => {
    throw new ConfigError(`${name}: ${why} (NODE_ENV=production)`);
  };
  for (const name of ['HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET', 'HUBSPOT_APP_ID'] as const) {
    if (e[name] === undefined) refuse(name, 'required in production: without HubSpot credentials the app runs the demo sandbox, whose /sandbox page lists scored contacts');
  }
  if (e.HUBSPOT_CLIENT_SECRET!.length < MIN_CLIENT_SECRET_LENGTH) {
    refuse('HUBSPOT_CLIENT_SECRET', `${e.HUBSPOT_CLIENT_SECRET!.length} characters is not a HubSpot client secret (they are 36): copy it from the app's Auth settings`);
  }
  if (e.PUBLIC_URL !== undefined && !e.PUBLIC_URL.startsWith('https://')) refuse('PUBLIC_URL', 'must be https:// in production: OAuth codes, session cookies and webhooks travel over it');
  for (const name of ['HUBSPOT_API_BASE_URL', 'HUBSPOT_AUTHORIZE_URL'] as const) {
    if (!e[name].startsWith('https://')) refuse(name, 'must be https:// in production: access tokens travel over it');
  }
  const keys: { name: string; value: string | undefined }[] = [
    { name: 'TOKEN_ENCRYPTION_KEY', value: e.TOKEN_ENCRYPTION_KEY },
    ...(e.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? '').split(',').filter((v) => v.trim() !== '').map((v) => ({ name: 'TOKEN_ENCRYPTION_PREVIOUS_KEYS', value: v.trim().split(':')[1] })),
  ];
  for (const { name, value } of keys) {
    if (value === undefined) continue;
    const distinct = new Set(Buffer.from(value, 'base64')).size;
    if (distinct < MIN_DISTINCT_KEY_BYTES) refuse(name, `not a random key (${distinct} different byte values in 32): make one with openssl rand -base64 32`);
  }
  if (e.METRICS_TOKEN === undefined) refuse('METRICS_TOKEN', 'required in production: /metrics names every customer\'s hub id; scrapers send it as Authorization: Bearer');
  if (e.METRICS_TOKEN!.length < MIN_METRICS_TOKEN_LENGTH) refuse('METRICS_TOKEN', `${e.METRICS_TOKEN!.length} characters is guessable: use at least ${MIN_METRICS_TOKEN_LENGTH} (openssl rand -hex 32)`);
}

function readHubSpotTarget(e: Env): HubSpotTarget {
  const given = [e.HUBSPOT_CLIENT_ID, e.HUBSPOT_CLIENT_SECRET, e.HUBSPOT_APP_ID].filter((v) => v !== undefined).length;
  if (given === 0) return { mode: 'sandbox' };
  if (!e.HUBSPOT_CLIENT_ID) throw new ConfigError('HUBSPOT_CLIENT_ID: required with HUBSPOT_CLIENT_SECRET and HUBSPOT_APP_ID');
  if (!e.HUBSPOT_CLIENT_SECRET) throw new ConfigError('HUBSPOT_CLIENT_SECRET: required with HUBSPOT_CLIENT_ID and HUBSPOT_APP_ID');
  if (!e.HUBSPOT_APP_ID) throw new ConfigError('HUBSPOT_APP_ID: required with HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET');
  return {
    mode: 'hubspot',
    clientId: e.HUBSPOT_CLIENT_ID,
    clientSecret: e.HUBSPOT_CLIENT_SECRET,
    appId: e.HUBSPOT_APP_ID,
    apiBaseUrl: e.HUBSPOT_API_BASE_URL,
    authorizeUrl: e.HUBSPOT_AUTHORIZE_URL,
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return `expected ${issue.message.replace(/^Invalid input: /, '').replace(/^expected /, '')}`;
}
