/**
 * MongoDB for this process: `MONGODB_URI` when set, otherwise the embedded engine under the data
 * folder (started on first use, data kept between runs). Migrations are applied before use.
 *
 * The embedded engine is this process's child: if it dies (killed, crashed) it is started again on
 * the same data and port, and the connection finds it there; if it cannot be started again the
 * process is told (`onEngineLost`, by default: exit 1, so a supervisor restarts the whole app).
 * While it runs, its address is in `DATA_DIR/embedded-mongodb.json`, so a short command such as
 * `propensity migrate` uses the running app's engine instead of failing on the locked data folder.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mongoose';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { connectMongo, watchConnection } from './connect-mongo.ts';
import { startEmbeddedMongo, type EmbeddedMongo } from './embedded/start-embedded-mongodb.ts';
import { migrateUp } from './migrate.ts';

export interface Database {
  connection: Connection;
  /** Set when this process started the embedded engine (the one running now, after any restart). */
  embedded: EmbeddedMongo | undefined;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Use the embedded engine another process of this data folder runs, when there is one (short commands). */
  shareRunningEngine?: boolean;
  /** The embedded engine died and could not be started again. Default: log and exit 1. */
  onEngineLost?: (error: Error) => void;
  /** Tries to start a dead engine again before giving up. */
  restartAttempts?: number;
}

interface EngineFile {
  port: number;
  /** The process that runs the engine (the app). */
  ownerPid: number;
}

export const engineFileName = 'embedded-mongodb.json';

export async function openDatabase(config: Config, logger: Logger, options: OpenDatabaseOptions = {}): Promise<Database> {
  let embedded: EmbeddedMongo | undefined;
  let uri = config.mongodbUri;
  let closed = false;
  const engineFile = path.join(config.dataDir, engineFileName);
  if (!uri && options.shareRunningEngine) uri = await runningEngineUri(engineFile, logger);
  if (!uri) {
    const dbPath = path.join(config.dataDir, 'mongodb');
    const onEngineLost = options.onEngineLost ?? ((error: Error) => {
      logger.fatal({ err: error }, 'the embedded MongoDB engine is gone and could not be started again: exiting so the supervisor restarts the app');
      process.exit(1);
    });
    const start = (port?: number): Promise<EmbeddedMongo> => startEmbeddedMongo({
      dbPath,
      runtimeDir: path.join(config.dataDir, 'runtime'),
      port,
      say: (line) => logger.info(line),
      onUnexpectedExit: (reason) => void restart(reason),
    });
    const restart = async (reason: string): Promise<void> => {
      if (closed || !embedded) return;
      const { port } = embedded;
      logger.error({ reason, port }, 'the embedded MongoDB engine stopped: starting it again');
      const attempts = options.restartAttempts ?? 3;
      let lastError: Error = new Error(reason);
      for (let attempt = 1; attempt <= attempts && !closed; attempt++) {
        try {
          embedded = await start(port);
          logger.info({ port, attempt }, 'embedded MongoDB engine started again');
          return;
        } catch (error) {
          lastError = error as Error;
          logger.error({ err: error, attempt }, 'embedded MongoDB engine did not start again');
          await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        }
      }
      if (!closed) onEngineLost(new Error(`embedded MongoDB engine ${reason} and did not start again: ${lastError.message}`));
    };
    logger.info({ dbPath }, 'MONGODB_URI is not set: starting the embedded MongoDB engine');
    try {
      embedded = await start();
    } catch (error) {
      throw await explainEngineStart(error as Error, engineFile);
    }
    uri = embedded.uri;
    await writeFile(engineFile, JSON.stringify({ port: embedded.port, ownerPid: process.pid } satisfies EngineFile), { mode: 0o600 });
  }
  let connection: Connection;
  try {
    connection = await connectMongo(uri);
  } catch (error) {
    closed = true;
    await embedded?.stop();
    throw new Error(`MongoDB at ${redactUri(uri)} did not answer: ${(error as Error).message}`);
  }
  const applied = await migrateUp(connection);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const watch = watchConnection(connection, uri, logger);
  return {
    connection,
    get embedded() {
      return embedded;
    },
    async close() {
      closed = true;
      watch.stop();
      await connection.close();
      if (embedded) {
        await embedded.stop();
        await rm(engineFile, { force: true });
      }
    },
  };
}

/** The URI of the engine the app of this data folder runs, if it answers. */
async function runningEngineUri(engineFile: string, logger: Logger): Promise<string | undefined> {
  const running = await readEngineFile(engineFile);
  if (!running) return undefined;
  const uri = `mongodb://127.0.0.1:${running.port}/?directConnection=true`;
  try {
    const probe = await connectMongo(uri.replace('/?', '/?serverSelectionTimeoutMS=1500&'));
    await probe.close();
    logger.info({ ownerPid: running.ownerPid, port: running.port }, 'using the embedded MongoDB engine of the app running on this data folder');
    return uri;
  } catch {
    return undefined;
  }
}

async function readEngineFile(engineFile: string): Promise<EngineFile | undefined> {
  try {
    const parsed = JSON.parse(await readFile(engineFile, 'utf8')) as Partial<EngineFile>;
    return typeof parsed.port === 'number' && typeof parsed.ownerPid === 'number' ? { port: parsed.port, ownerPid: parsed.ownerPid } : undefined;
  } catch {
    return undefined;
  }
}

/** The engine would not start: when another process holds the data folder, say which and what to do. */
async function explainEngineStart(error: Error, engineFile: string): Promise<Error> {
  if (!/DBPathInUse|lock/i.test(error.message)) return error;
  const running = await readEngineFile(engineFile);
  const who = running ? `the app running as pid ${running.ownerPid}` : 'another process';
  return new Error(`the data folder's embedded MongoDB is in use by ${who}: stop it first, or give this process the same MONGODB_URI (${error.message})`);
}

/** A URI fit for a log line: no password. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:[redacted]@');
}
