/**
 * The catch-up pass of the initial sync: records stored before an interruption may lack their
 * association entries (pages bring them inline, stored right after the records). A record once
 * linked has an entry per associated type, even an empty one; the ones without are read through
 * the v4 batch read (100 ids a call, each record's pages followed).
 */
import type { Connection } from 'mongoose';
import { crmObjectModel } from '../db/models/crm-object.ts';
import { syncStateModel } from '../db/models/sync-state.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import { associatedTypes } from './associated-types.ts';
import type { CrmObjectType } from './crm-record.ts';
import { readAhead } from './read-ahead.ts';
import { ASSOCIATION_BATCH_SIZE, readAllAssociations } from './read-crm.ts';
import { storeAssociations } from './store-records.ts';

/**
 * Links the type's records that have no association entry yet, 100 at a time in id order, the
 * next batch read while the last is stored, the last id checkpointed.
 */
export async function linkUnlinkedRecords(connection: Connection, hubspot: PortalHubSpot, objectType: CrmObjectType, afterId: string | undefined): Promise<void> {
  const [firstType] = associatedTypes[objectType];
  if (!firstType) return;
  const { portalId } = hubspot;
  const readBatch = async (lastId: string | undefined) => {
    const ids = (
      await crmObjectModel(connection)
        .find({ portalId, objectType, ...(lastId ? { objectId: { $gt: lastId } } : {}), 'associations.toType': { $ne: firstType } }, { objectId: 1 })
        .sort({ objectId: 1 })
        .limit(ASSOCIATION_BATCH_SIZE)
        .lean()
    ).map((o) => o.objectId);
    const links = ids.length > 0 ? await readAllAssociations(hubspot, objectType, associatedTypes[objectType], ids) : new Map();
    return { ids, links, next: ids.length === ASSOCIATION_BATCH_SIZE ? ids[ids.length - 1] : undefined };
  };
  for await (const batch of readAhead(readBatch, afterId)) {
    if (batch.ids.length === 0) return;
    await storeAssociations(connection, portalId, objectType, batch.links);
    await syncStateModel(connection).updateOne({ portalId, objectType }, { $set: { 'initial.associationsAfterId': batch.ids[batch.ids.length - 1] } });
  }
}
