/**
 * Writes synced records: one idempotent upsert per object, keyed by (portal, type, id), so syncing
 * the same page twice (after a crash) leaves one copy.
 */
import type { Connection } from 'mongoose';
import { crmObjectModel } from '../db/models/crm-object.ts';
import { recordScoreModel } from '../db/models/record-score.ts';
import type { CrmObjectType, CrmRecord } from './crm-record.ts';

export async function storeRecords(connection: Connection, portalId: number, records: CrmRecord[], now = new Date()): Promise<void> {
  if (records.length === 0) return;
  await crmObjectModel(connection).bulkWrite(
    records.map((r) => ({
      updateOne: {
        filter: { portalId, objectType: r.objectType, objectId: r.objectId },
        update: {
          $set: {
            properties: r.properties,
            history: r.history,
            createdAt: r.createdAt,
            updatedAt: r.updatedAt,
            archived: r.archived,
            syncedAt: now,
          },
          $setOnInsert: { portalId, objectType: r.objectType, objectId: r.objectId, associations: [] },
        },
        upsert: true,
      },
    })),
    { ordered: false },
  );
}

/** Replaces the association ids of the given records towards `toType`. */
export async function storeAssociations(
  connection: Connection,
  portalId: number,
  fromType: CrmObjectType,
  toType: CrmObjectType,
  links: Map<string, string[]>,
): Promise<void> {
  if (links.size === 0) return;
  const objects = crmObjectModel(connection);
  await objects.bulkWrite(
    [...links].flatMap(([objectId, ids]) => [
      { updateOne: { filter: { portalId, objectType: fromType, objectId }, update: { $pull: { associations: { toType } } } } },
      { updateOne: { filter: { portalId, objectType: fromType, objectId }, update: { $push: { associations: { toType, ids } } } } },
    ]),
    { ordered: true },
  );
}

export async function deleteRecords(connection: Connection, portalId: number, objectType: CrmObjectType, objectIds: string[]): Promise<number> {
  const result = await crmObjectModel(connection).deleteMany({ portalId, objectType, objectId: { $in: objectIds } });
  // Its scores go with it: nothing of a deleted record stays (a privacy deletion included).
  if (objectType !== 'deals') await recordScoreModel(connection).deleteMany({ portalId, objectType, objectId: { $in: objectIds } });
  return result.deletedCount;
}
