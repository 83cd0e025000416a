/**
 * Writes synced records: one idempotent upsert per object, keyed by (portal, type, id), so syncing
 * the same page twice (after a crash) leaves one copy.
 *
 * Records go to the collection through the driver, not through mongoose: casting a page's thousands
 * of history entries into subdocuments took ~70 ms of CPU a page, most of the 93 ms one request
 * may take at 110 / 10 s. They need no casting: `toCrmRecord` already made them plain strings and
 * dates. Every filter pins `portalId`, the rule the portal-scope plugin enforces on mongoose writes.
 */
import type { Connection } from 'mongoose';
import { crmObjectModel } from '../db/models/crm-object.ts';
import { recordScoreModel } from '../db/models/record-score.ts';
import type { CrmObjectType, CrmRecord } from './crm-record.ts';

export async function storeRecords(connection: Connection, portalId: number, records: CrmRecord[], now = new Date()): Promise<void> {
  if (records.length === 0) return;
  await crmObjectModel(connection).collection.bulkWrite(
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
    { ordered: false, ignoreUndefined: true },
  );
}

/** Association ids of records, by the type they point to, then by record id. */
export type AssociationLinks = Map<CrmObjectType, Map<string, string[]>>;

/**
 * Replaces the association ids of the given records towards each type in `links`: one update per
 * record, whatever the number of types (each write rewrites the whole document, history and all).
 * The ids go in as `$literal`: in an update pipeline a string starting with `$` would be a field path.
 */
export async function storeAssociations(connection: Connection, portalId: number, fromType: CrmObjectType, links: AssociationLinks): Promise<void> {
  const toTypes = [...links.keys()];
  const objectIds = new Set([...links.values()].flatMap((byRecord) => [...byRecord.keys()]));
  if (objectIds.size === 0) return;
  await crmObjectModel(connection).collection.bulkWrite(
    [...objectIds].map((objectId) => {
      const entries = toTypes.map((toType) => ({ toType, ids: links.get(toType)!.get(objectId) ?? [] }));
      const kept = { $filter: { input: { $ifNull: ['$associations', []] }, cond: { $not: [{ $in: ['$$this.toType', { $literal: toTypes }] }] } } };
      return {
        updateOne: {
          filter: { portalId, objectType: fromType, objectId },
          update: [{ $set: { associations: { $concatArrays: [kept, { $literal: entries }] } } }],
        },
      };
    }),
    { ordered: false },
  );
}

export async function deleteRecords(connection: Connection, portalId: number, objectType: CrmObjectType, objectIds: string[]): Promise<number> {
  const result = await crmObjectModel(connection).deleteMany({ portalId, objectType, objectId: { $in: objectIds } });
  // Its scores go with it: nothing of a deleted record stays (a privacy deletion included).
  if (objectType !== 'deals') await recordScoreModel(connection).deleteMany({ portalId, objectType, objectId: { $in: objectIds } });
  return result.deletedCount;
}
