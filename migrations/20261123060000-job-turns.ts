import type { mongo } from 'mongoose';

type Db = mongo.Db;

/** One turn stamp per portal (round-robin job claims), and running jobs found by portal. */
export async function up(db: Db): Promise<void> {
  await db.collection('job_turns').createIndex({ portalId: 1 }, { name: 'portalId_unique', unique: true });
  await db.collection('jobs').createIndex({ status: 1, portalId: 1, runAt: 1 }, { name: 'status_portal_runAt' });
}

export async function down(db: Db): Promise<void> {
  await db.collection('job_turns').dropIndex('portalId_unique').catch(() => {});
  await db.collection('jobs').dropIndex('status_portal_runAt').catch(() => {});
}
