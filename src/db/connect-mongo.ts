/**
 * The one MongoDB connection a process uses. The driver reconnects on its own after an outage;
 * `isMongoReady` is what `/readyz` asks.
 */
import mongoose, { type Connection } from 'mongoose';

export const DEFAULT_DATABASE = 'propensity';

export async function connectMongo(uri: string, dbName?: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName: dbName ?? (databaseNameIn(uri) || DEFAULT_DATABASE),
    serverSelectionTimeoutMS: 5_000,
    // Commands issued during an outage fail fast instead of queueing without bound.
    bufferCommands: false,
    autoIndex: false,
  });
  await connection.asPromise();
  return connection;
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
