/**
 * The one MongoDB connection a process uses. The driver reconnects on its own after an outage;
 * `isMongoReady` is what `/readyz` asks.
 */
import mongoose, { type Connection, type ConnectOptions } from 'mongoose';
import type { Logger } from '../log.ts';

export const DEFAULT_DATABASE = 'propensity';

function connectOptions(uri: string, dbName?: string): ConnectOptions {
  return {
    dbName: dbName ?? (databaseNameIn(uri) || DEFAULT_DATABASE),
    serverSelectionTimeoutMS: 5_000,
    // Commands issued during an outage fail fast instead of queueing without bound.
    bufferCommands: false,
    autoIndex: false,
  };
}

export async function connectMongo(uri: string, dbName?: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, connectOptions(uri, dbName));
  await connection.asPromise();
  return connection;
}

export interface ConnectionWatch {
  stop(): void;
}

/**
 * Reopens the connection when MongoDB is back but the driver does not see it. After the server
 * dropped connections in the middle of operations, the driver (mongodb 7.8) can be left without a
 * working server monitor: every command then fails server selection with the old error for good,
 * while a new client connects at once. So while pings fail, a fresh client probes; when it gets
 * through and ours still does not, ours is closed (in-flight commands fail and are retried by
 * their callers) and opened again: the same Connection object, so every model keeps working.
 */
export function watchConnection(connection: Connection, uri: string, logger: Logger, options: { everyMs?: number; stuckMs?: number } = {}): ConnectionWatch {
  const everyMs = options.everyMs ?? 2_000;
  const stuckMs = options.stuckMs ?? 10_000;
  let failingSince: number | undefined;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      if (await isMongoReady(connection)) {
        failingSince = undefined;
        return;
      }
      failingSince ??= Date.now();
      if (Date.now() - failingSince < stuckMs || !(await answersFresh(uri))) return;
      logger.warn({ unavailableSeconds: Math.round((Date.now() - failingSince) / 1000) }, 'MongoDB is back but this connection does not see it: reconnecting');
      await reopenConnection(connection, uri);
      failingSince = undefined;
      logger.info('MongoDB connection reopened');
    } catch (error) {
      logger.warn({ err: error }, 'MongoDB connection check failed');
    } finally {
      busy = false;
    }
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Closes the connection and opens it again on `uri`: the same Connection object (every model keeps
 * working) with a new MongoClient (whatever held the old client must ask `getClient()` again).
 */
export async function reopenConnection(connection: Connection, uri: string): Promise<void> {
  await connection.close().catch(() => {});
  await connection.openUri(uri, connectOptions(uri, connection.name));
}

/** True when a new client reaches MongoDB now. */
async function answersFresh(uri: string): Promise<boolean> {
  const probe = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1_000, bufferCommands: false, autoIndex: false });
  try {
    await probe.asPromise();
    return await isMongoReady(probe);
  } catch {
    return false;
  } finally {
    await probe.close().catch(() => {});
  }
}

/** True when MongoDB answers a ping within `timeoutMs`. */
export async function isMongoReady(connection: Connection, timeoutMs = 1_000): Promise<boolean> {
  const db = connection.db;
  if (!db || connection.readyState !== 1) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
  try {
    return await Promise.race([db.admin().ping().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function databaseNameIn(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(uri);
  return match ? decodeURIComponent(match[1]) : '';
}
