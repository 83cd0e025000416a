import type { mongo } from 'mongoose';

type Db = mongo.Db;

/**
 * Expired sessions are removed by the scheduled clean-up (src/pipeline/clean-up.ts), not by a TTL
 * index (the embedded engine runs no TTL deletion): it finds them by `expires`. A deployment where
 * connect-mongo made its TTL index on `expires` keeps that one (same key; MongoDB also expires by it).
 */
export async function up(db: Db): Promise<void> {
  const sessions = db.collection('sessions');
  const indexes = await sessions.indexes().catch(() => []);
  if (indexes.some((index) => JSON.stringify(index.key) === JSON.stringify({ expires: 1 }))) return;
  await sessions.createIndex({ expires: 1 }, { name: 'expires' });
}

export async function down(db: Db): Promise<void> {
  await db.collection('sessions').dropIndex('expires').catch(() => {});
}
