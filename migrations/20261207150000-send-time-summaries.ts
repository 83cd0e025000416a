import type { mongo } from 'mongoose';

type Db = mongo.Db;

/** One send-time summary per portal (each scoring run replaces it; the portal's page reads it every 2 s). */
export async function up(db: Db): Promise<void> {
  await db.collection('send_time_summaries').createIndex({ portalId: 1 }, { name: 'portal', unique: true });
}

export async function down(db: Db): Promise<void> {
  await db.collection('send_time_summaries').dropIndex('portal').catch(() => {});
}
