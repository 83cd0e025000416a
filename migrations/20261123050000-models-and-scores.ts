import type { mongo } from 'mongoose';

type Db = mongo.Db;

/**
 * The model registry (one document per trained model, the current one per portal and target found by
 * status), the scores to write back (one per record, the pending ones found fast), and per-portal settings.
 */
export async function up(db: Db): Promise<void> {
  const models = db.collection('models');
  await models.createIndex({ portalId: 1, target: 1, version: 1 }, { name: 'portal_target_version_unique', unique: true });
  await models.createIndex({ portalId: 1, target: 1, status: 1, trainedAt: -1 }, { name: 'portal_target_status' });
  const scores = db.collection('scores');
  await scores.createIndex({ portalId: 1, objectType: 1, objectId: 1 }, { name: 'portal_object_unique', unique: true });
  await scores.createIndex({ portalId: 1, writePending: 1, objectType: 1 }, { name: 'portal_write_pending' });
  await scores.createIndex({ portalId: 1, rescoreRequested: 1 }, { name: 'portal_rescore_requested' });
  await db.collection('portal_settings').createIndex({ portalId: 1 }, { name: 'portalId_unique', unique: true });
}

export async function down(db: Db): Promise<void> {
  for (const name of ['portal_target_version_unique', 'portal_target_status']) await db.collection('models').dropIndex(name).catch(() => {});
  for (const name of ['portal_object_unique', 'portal_write_pending', 'portal_rescore_requested']) await db.collection('scores').dropIndex(name).catch(() => {});
  await db.collection('portal_settings').dropIndex('portalId_unique').catch(() => {});
}
