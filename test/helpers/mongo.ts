/**
 * A real MongoDB database for one test file: the engine started by test/run.ts (or, when a file is
 * run on its own, an engine started here), with a database of the file's own that is dropped after.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after } from 'node:test';
import mongoose, { type Connection } from 'mongoose';
import { connectMongo } from '../../src/db/connect-mongo.ts';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded/start-embedded-mongodb.ts';
import { projectRoot } from '../../src/install/app-definition.ts';

let sharedUri: Promise<string> | undefined;
const openConnections = new Set<Connection>();

/**
 * Drops and closes the databases once the importing test file's tests end. Registered at import (at
 * the top level of the file, where node:test wants it), and only under the test runner: a benchmark
 * script that borrows these helpers must not start a node:test run, or it never exits.
 */
const underTestRunner = process.env.NODE_TEST_CONTEXT !== undefined || process.argv.some((arg) => arg.endsWith('.test.ts'));
if (underTestRunner) {
  after(async () => {
    for (const connection of openConnections) {
      await connection.dropDatabase().catch(() => {});
      await connection.close();
    }
  });
}

/** The MongoDB URI of this test run. */
export function testMongoUri(): Promise<string> {
  sharedUri ??= (async () => {
    if (process.env.PROPENSITY_TEST_MONGODB_URI) return process.env.PROPENSITY_TEST_MONGODB_URI;
    const mongo = await startScratchMongo('test-runs');
    return mongo.uri; // the engine stops when this process exits
  })();
  return sharedUri;
}

/** An embedded engine of this process's own, on a scratch directory under .data/ that `stop()` removes (tests, benchmarks). */
export async function startScratchMongo(kind: 'test-runs' | 'bench-runs', label = 'mongodb'): Promise<EmbeddedMongo> {
  const dataDir = path.join(projectRoot, '.data');
  const dbPath = path.join(dataDir, kind, `${label}-${process.pid}`);
  const mongo = await startEmbeddedMongo({ dbPath, runtimeDir: path.join(dataDir, 'runtime') });
  return {
    ...mongo,
    async stop() {
      await mongo.stop();
      await rm(dbPath, { recursive: true, force: true });
    },
  };
}

/** A fresh database name, unique to this call. */
export function freshDatabaseName(label: string): string {
  return `test_${label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

/** Connects to a fresh database that is dropped when the test file's tests end. */
export async function testDatabase(label: string): Promise<Connection> {
  const connection = await connectMongo(await testMongoUri(), freshDatabaseName(label));
  openConnections.add(connection);
  return connection;
}

/** A command the driver sent, as MongoDB received it. */
export interface SentCommand {
  name: string;
  command: Record<string, unknown>;
}

/**
 * Like `testDatabase`, with the driver's command monitoring on: every command sent on the connection
 * (through mongoose or straight to the driver) is appended to `commands`.
 */
export async function monitoredTestDatabase(label: string): Promise<{ connection: Connection; commands: SentCommand[] }> {
  const commands: SentCommand[] = [];
  const connection = mongoose.createConnection(await testMongoUri(), { dbName: freshDatabaseName(label), monitorCommands: true, serverSelectionTimeoutMS: 5_000, bufferCommands: false, autoIndex: false });
  connection.getClient().on('commandStarted', (event) => commands.push({ name: event.commandName, command: event.command as Record<string, unknown> }));
  await connection.asPromise();
  openConnections.add(connection);
  return { connection, commands };
}
