import type { mongo } from 'mongoose';

type Db = mongo.Db;

/** OAuth states (looked up by their id), and the job queue's claim and dedupe indexes. */
export async function up(db: Db): Promise<void> {
  await db.collection('oauth_states').createIndex({ expiresAt: 1 }, { name: 'expiresAt' });
  const jobs = db.collection('jobs');
  await jobs.createIndex({ status: 1, runAt: 1 }, { name: 'claim' });
  await jobs.createIndex({ status: 1, leaseUntil: 1 }, { name: 'expired_leases' });
  await jobs.createIndex({ portalId: 1, type: 1, status: 1 }, { name: 'portal_type_status' });
  await jobs.createIndex(
    { dedupeKey: 1 },
    { name: 'dedupeKey_active_unique', unique: true, partialFilterExpression: { dedupeKey: { $exists: true } } },
  );
}

export async function down(db: Db): Promise<void> {
  await db.collection('oauth_states').dropIndex('expiresAt').catch(() => {});
  for (const name of ['claim', 'expired_leases', 'portal_type_status', 'dedupeKey_active_unique']) {
    await db.collection('jobs').dropIndex(name).catch(() => {});
  }
}
