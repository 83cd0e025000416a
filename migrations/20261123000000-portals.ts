import type { mongo } from 'mongoose';

type Db = mongo.Db;

/** Installed portals: one document per HubSpot portal (hub id), however often it is re-installed. */
export async function up(db: Db): Promise<void> {
  const portals = db.collection('portals');
  await portals.createIndex({ portalId: 1 }, { unique: true, name: 'portalId_unique' });
  await portals.createIndex({ status: 1, portalId: 1 }, { name: 'status_portalId' });
}

export async function down(db: Db): Promise<void> {
  await db.collection('portals').dropIndex('portalId_unique').catch(() => {});
  await db.collection('portals').dropIndex('status_portalId').catch(() => {});
}
