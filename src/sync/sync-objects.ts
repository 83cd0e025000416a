/**
 * Re-reads named objects from HubSpot (with history) and stores them with their associations. The
 * incremental sync and the webhook workers both come through here.
 */
import type { Connection } from 'mongoose';
import { syncStateModel } from '../db/models/sync-state.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import { associatedTypes } from './associated-types.ts';
import type { CrmObjectType } from './crm-record.ts';
import { readAllAssociations, readBatch, readPropertyDefinitions } from './read-crm.ts';
import { deleteRecords, storeAssociations, storeRecords } from './store-records.ts';
import { chooseSyncedProperties } from './synced-properties.ts';

/** The property names this portal's sync asks for (chosen once, at the initial sync). */
export async function syncedPropertiesOf(connection: Connection, hubspot: PortalHubSpot, objectType: CrmObjectType): Promise<string[]> {
  const state = await syncStateModel(connection).findOne({ portalId: hubspot.portalId, objectType }, { properties: 1 }).lean();
  if (state?.properties?.length) return state.properties;
  const { names } = chooseSyncedProperties(objectType, await readPropertyDefinitions(hubspot, objectType));
  await syncStateModel(connection).updateOne(
    { portalId: hubspot.portalId, objectType },
    { $set: { properties: names }, $setOnInsert: { portalId: hubspot.portalId, objectType } },
    { upsert: true },
  );
  return names;
}

/** Returns the ids HubSpot no longer has (archived or deleted), after deleting their local copies. */
export async function syncObjects(connection: Connection, hubspot: PortalHubSpot, objectType: CrmObjectType, ids: string[]): Promise<{ stored: string[]; gone: string[] }> {
  if (ids.length === 0) return { stored: [], gone: [] };
  const properties = await syncedPropertiesOf(connection, hubspot, objectType);
  const records = await readBatch(hubspot, objectType, ids, properties);
  await storeRecords(connection, hubspot.portalId, records);
  const stored = records.map((r) => r.objectId);
  await storeAssociations(connection, hubspot.portalId, objectType, await readAllAssociations(hubspot, objectType, associatedTypes[objectType], stored));
  const found = new Set(stored);
  const gone = ids.filter((id) => !found.has(id));
  if (gone.length > 0) await deleteRecords(connection, hubspot.portalId, objectType, gone);
  return { stored, gone };
}
