/**
 * A real MongoDB for one benchmark run: its own embedded engine with a data folder under
 * `.data/bench-runs/`, removed by `stop()`. Not test/helpers/mongo.ts: that one registers node:test
 * hooks, which keep a plain script from ever exiting.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/db/connect-mongo.ts';
import { startEmbeddedMongo } from '../../src/db/embedded/start-embedded-mongodb.ts';
import { migrateUp } from '../../src/db/migrate.ts';
import { projectRoot } from '../../src/install/app-definition.ts';

export interface BenchDatabase {
  connection: Connection;
  stop(): Promise<void>;
}

export async function startBenchDatabase(label: string): Promise<BenchDatabase> {
  const dataDir = path.join(projectRoot, '.data');
  const dbPath = path.join(dataDir, 'bench-runs', `${label}-${process.pid}`);
  const mongo = await startEmbeddedMongo({ dbPath, runtimeDir: path.join(dataDir, 'runtime') });
  const connection = await connectMongo(mongo.uri, `bench_${label.replace(/[^A-Za-z0-9]/g, '_')}`);
  await migrateUp(connection);
  return {
    connection,
    async stop() {
      await connection.close();
      await mongo.stop();
      await rm(dbPath, { recursive: true, force: true });
    },
  };
}
