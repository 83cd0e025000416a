import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { migrateUp, migrationsDir, migrationStatus } from '../../src/db/migrate.ts';
import { testDatabase } from '../helpers/mongo.ts';

async function indexSnapshot(connection: Awaited<ReturnType<typeof testDatabase>>) {
  const snapshot: Record<string, unknown> = {};
  for (const { name } of await connection.db!.listCollections().toArray()) {
    const indexes = await connection.db!.collection(name).indexes();
    snapshot[name] = indexes.map(({ name: indexName, key, unique }) => ({ indexName, key, unique })).sort((a, b) => String(a.indexName).localeCompare(String(b.indexName)));
  }
  return snapshot;
}

test('migrations apply once and are idempotent: a second run changes nothing', async () => {
  const connection = await testDatabase('migrations');
  const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.ts')).sort();
  assert.ok(files.length >= 1);

  const first = await migrateUp(connection);
  assert.deepEqual(first, files);
  const afterFirst = await indexSnapshot(connection);

  const second = await migrateUp(connection);
  assert.deepEqual(second, []);
  assert.deepEqual(await indexSnapshot(connection), afterFirst);

  const status = await migrationStatus(connection);
  assert.ok(status.every((item) => item.appliedAt !== 'PENDING'));
});

test('the portals collection gets a unique index on portalId', async () => {
  const connection = await testDatabase('migrations_portals');
  await migrateUp(connection);
  const portals = connection.db!.collection('portals');
  await portals.insertOne({ portalId: 1 });
  await assert.rejects(portals.insertOne({ portalId: 1 }), /E11000/);
});
