/**
 * Schema changes (indexes, collection options) live in `migrations/` and are applied by migrate-mongo.
 * Every migration is idempotent, so two processes starting at once, or a re-run, change nothing.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { config as migrateConfig, status, up } from 'migrate-mongo';
import type { Connection } from 'mongoose';

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

function configure(connection: Connection): void {
  migrateConfig.set({
    mongodb: { url: '', databaseName: connection.name, options: {} },
    migrationsDir,
    changelogCollectionName: 'migrations_changelog',
    // The embedded engine has no TTL expiry, so a lock left by a crashed process would never clear;
    // migrations are idempotent instead.
    lockCollectionName: 'migrations_lock',
    lockTtl: 0,
    migrationFileExtension: '.ts',
    useFileHash: false,
    moduleSystem: 'esm',
  });
}

/** Applies pending migrations; returns the file names applied. */
export async function migrateUp(connection: Connection): Promise<string[]> {
  configure(connection);
  return up(connection.db!, connection.getClient() as never);
}

export async function migrationStatus(connection: Connection): Promise<{ fileName: string; appliedAt: string | Date }[]> {
  configure(connection);
  return status(connection.db!);
}
