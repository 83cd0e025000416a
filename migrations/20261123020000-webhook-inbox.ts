import type { mongo } from 'mongoose';

type Db = mongo.Db;

/** The webhook inbox: claimed by status and due time, grouped per portal and object. */
export async function up(db: Db): Promise<void> {
  const inbox = db.collection('webhook_inbox');
  await inbox.createIndex({ status: 1, runAt: 1 }, { name: 'claim' });
  await inbox.createIndex({ portalId: 1, objectType: 1, objectId: 1, status: 1 }, { name: 'portal_object_status' });
  await inbox.createIndex({ status: 1, leaseUntil: 1 }, { name: 'expired_leases' });
  await db.collection('webhook_unknown_portals').createIndex({ portalId: 1 }, { name: 'portalId_unique', unique: true });
}

export async function down(db: Db): Promise<void> {
  for (const name of ['claim', 'portal_object_status', 'expired_leases']) await db.collection('webhook_inbox').dropIndex(name).catch(() => {});
  await db.collection('webhook_unknown_portals').dropIndex('portalId_unique').catch(() => {});
}
