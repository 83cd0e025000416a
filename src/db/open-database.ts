/**
 * MongoDB for this process: `MONGODB_URI` when set, otherwise the embedded engine under the data
 * folder (started on first use, data kept between runs). Migrations are applied before use.
 */
import path from 'node:path';
import type { Connection } from 'mongoose';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { connectMongo, watchConnection } from './connect-mongo.ts';
import { startEmbeddedMongo, type EmbeddedMongo } from './embedded/start-embedded-mongodb.ts';
import { migrateUp } from './migrate.ts';

export interface Database {
  connection: Connection;
  /** Set when this process started the embedded engine. */
  embedded: EmbeddedMongo | undefined;
  close(): Promise<void>;
}

export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let embedded: EmbeddedMongo | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    const dbPath = path.join(config.dataDir, 'mongodb');
    logger.info({ dbPath }, 'MONGODB_URI is not set: starting the embedded MongoDB engine');
    embedded = await startEmbeddedMongo({
      dbPath,
      runtimeDir: path.join(config.dataDir, 'runtime'),
      say: (line) => logger.info(line),
    });
    uri = embedded.uri;
  }
  let connection: Connection;
  try {
    connection = await connectMongo(uri);
  } catch (error) {
    await embedded?.stop();
    throw new Error(`MongoDB at ${redactUri(uri)} did not answer: ${(error as Error).message}`);
  }
  const applied = await migrateUp(connection);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const watch = watchConnection(connection, uri, logger);
  return {
    connection,
    embedded,
    async close() {
      watch.stop();
      await connection.close();
      await embedded?.stop();
    },
  };
}

/** A URI fit for a log line: no password. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:[redacted]@');
}
