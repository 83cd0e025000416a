import type { mongo } from 'mongoose';

type Db = mongo.Db;

/** The CRM copy: one document per (portal, type, id); the feature builder reads a portal's objects by type. */
export async function up(db: Db): Promise<void> {
  const objects = db.collection('crm_objects');
  await objects.createIndex({ portalId: 1, objectType: 1, objectId: 1 }, { name: 'portal_type_id_unique', unique: true });
  await objects.createIndex({ portalId: 1, objectType: 1, updatedAt: 1 }, { name: 'portal_type_updatedAt' });
  await objects.createIndex({ portalId: 1, 'associations.toType': 1, 'associations.ids': 1 }, { name: 'portal_associations' });
  await db.collection('sync_state').createIndex({ portalId: 1, objectType: 1 }, { name: 'portal_type_unique', unique: true });
}

export async function down(db: Db): Promise<void> {
  for (const name of ['portal_type_id_unique', 'portal_type_updatedAt', 'portal_associations']) await db.collection('crm_objects').dropIndex(name).catch(() => {});
  await db.collection('sync_state').dropIndex('portal_type_unique').catch(() => {});
}
