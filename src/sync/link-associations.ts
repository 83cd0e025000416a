/**
 * The initial sync's associations, through the v4 batch read (1,000 records a call per associated
 * type). While pages are read, the stored records are linked in the background, 1,000 at a time,
 * one batch in flight: the MongoDB writes (each rewrites a whole record) then overlap with reading,
 * and only the budget's requests are spent. A record once linked has an entry per associated type,
 * even an empty one; after an interruption, the records without one are linked by a catch-up pass.
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

async function link(connection: Connection, hubspot: PortalHubSpot, objectType: CrmObjectType, ids: string[]): Promise<void> {
  await storeAssociations(connection, hubspot.portalId, objectType, await readAllAssociations(hubspot, objectType, associatedTypes[objectType], ids));
}

export interface BackgroundLinker {
  /** Records just stored; a full batch starts linking (after the one before it has finished). */
  add(ids: string[]): Promise<void>;
  /** Links what is left and waits for it; a failure of any batch surfaces here or at `add`. */
  finish(): Promise<void>;
  /** Waits for the batch in flight only, leaving the rest unlinked (as a crash would). */
  abandon(): Promise<void>;
}

export function backgroundLinker(connection: Connection, hubspot: PortalHubSpot, objectType: CrmObjectType): BackgroundLinker {
  const linked = associatedTypes[objectType].length > 0;
  const pending: string[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  const start = (ids: string[]) => {
    inFlight = link(connection, hubspot, objectType, ids);
    inFlight.catch(() => {}); // awaited at the next batch or at the end
  };
  return {
    async add(ids) {
      if (!linked) return;
      pending.push(...ids);
      if (pending.length < ASSOCIATION_BATCH_SIZE) return;
      await inFlight;
      start(pending.splice(0, ASSOCIATION_BATCH_SIZE));
    },
    async finish() {
      await inFlight;
      if (pending.length > 0) start(pending.splice(0));
      await inFlight;
    },
    async abandon() {
      await inFlight;
    },
  };
}

/**
 * Links the type's records that have no association entry yet, 1,000 at a time in id order, the
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
