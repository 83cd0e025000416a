/**
 * A real MongoDB for one benchmark run: its own embedded engine with a data folder under
 * `.data/bench-runs/`, removed by `stop()`, and a migrated database on it.
 */
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/db/connect-mongo.ts';
import { migrateUp } from '../../src/db/migrate.ts';
import { startScratchMongo } from '../helpers/mongo.ts';

export interface BenchDatabase {
  connection: Connection;
  stop(): Promise<void>;
}

export async function startBenchDatabase(label: string): Promise<BenchDatabase> {
  const mongo = await startScratchMongo('bench-runs', label);
  const connection = await connectMongo(mongo.uri, `bench_${label.replace(/[^A-Za-z0-9]/g, '_')}`);
  await migrateUp(connection);
  return {
    connection,
    async stop() {
      await connection.close();
      await mongo.stop();
    },
  };
}
