import type { mongo } from 'mongoose';

type Db = mongo.Db;

/**
 * Companies get models of their own: every model says whose it is. Models trained before this were
 * the contacts' models.
 */
export async function up(db: Db): Promise<void> {
  const models = db.collection('models');
  // Every portal's models at once: a migration, marked as the isolation check expects of such commands.
  await models.updateMany({ objectType: { $exists: false } }, { $set: { objectType: 'contacts' } }, { comment: 'all-portals' });
  await models.createIndex({ portalId: 1, objectType: 1, target: 1, status: 1, trainedAt: -1 }, { name: 'portal_object_target_status' });
}

export async function down(db: Db): Promise<void> {
  await db.collection('models').dropIndex('portal_object_target_status').catch(() => {});
}
