/**
 * Propensity as separate processes for a fault test: its own database on the test engine, no
 * periodic syncs (so a tick cannot fall into one run and not another), and every process stopped
 * and the database dropped after the file's tests.
 */
import type { ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../src/db/connect-mongo.ts';
import type { Sandbox } from '../../src/sandbox/start-sandbox.ts';
import { createCluster, stop, type Cluster } from './processes.ts';

export const QUIET_SCHEDULE = { INCREMENTAL_SYNC_CRON: '0 0 1 1 *', DELETION_RECONCILIATION_CRON: '0 0 1 1 *' };

export interface FaultCluster {
  cluster: Cluster;
  connection: Connection;
  /** The processes still running (a test that kills one removes it). */
  children: Set<ChildProcess>;
  start(role: 'web' | 'worker' | 'scheduler'): Promise<ChildProcess>;
}

/** `baseUri`: the engine to use (default: this test run's). */
export async function faultCluster(sandbox: Sandbox, label: string, baseUri?: string): Promise<FaultCluster> {
  const cluster = await createCluster(sandbox, label, baseUri);
  const children = new Set<ChildProcess>();
  const connection = await connectMongo(cluster.mongoUri);
  after(async () => {
    for (const child of children) await stop(child);
    await connection.dropDatabase();
    await connection.close();
    await sandbox.close();
  });
  return {
    cluster,
    connection,
    children,
    async start(role) {
      const child = await cluster.start(role, QUIET_SCHEDULE);
      children.add(child);
      return child;
    },
  };
}
