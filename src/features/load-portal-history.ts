/**
 * Reads a portal's synced copy from MongoDB into the point-in-time view the feature builder takes:
 * the records of one object type (all, or the ones named), every company (for firmographics) and
 * the deals linked to each record. The adapter between `crm_objects` and the pure feature code.
 */
import type { Connection } from 'mongoose';
import { crmObjectModel } from '../db/models/crm-object.ts';
import { RecordHistory, type StoredRecord } from './crm-history.ts';
import type { PortalHistory } from './build-features.ts';

export type ScoredObjectType = 'contacts' | 'companies';

export interface LoadedHistory extends PortalHistory {
  companyList: RecordHistory[];
  /** The oldest record's creation time (ms): where snapshots can start. */
  earliest: number;
}

// Everything the features read, nothing else: history entries' sources are the bulk of a record and unused here.
const fields = { portalId: 0, objectType: 0, syncedAt: 0, archived: 0, 'history.entries.sourceType': 0, 'history.entries.sourceId': 0 };

async function readAll(connection: Connection, filter: Record<string, unknown>): Promise<RecordHistory[]> {
  const out: RecordHistory[] = [];
  for await (const doc of crmObjectModel(connection).find({ ...filter, archived: { $ne: true } }, fields).lean().cursor({ batchSize: 2_000 })) {
    out.push(new RecordHistory(doc as unknown as StoredRecord));
  }
  return out;
}

export async function loadPortalHistory(connection: Connection, portalId: number, objectType: ScoredObjectType, ids?: string[]): Promise<LoadedHistory> {
  const records = await readAll(connection, { portalId, objectType, ...(ids ? { objectId: { $in: ids } } : {}) });
  const companyList =
    objectType === 'companies'
      ? records
      : await readAll(connection, { portalId, objectType: 'companies', ...(ids ? { objectId: { $in: [...new Set(records.flatMap((r) => r.linked('companies')))] } } : {}) });
  const deals = await readAll(connection, { portalId, objectType: 'deals', ...(ids ? { 'associations.ids': { $in: records.map((r) => r.objectId) } } : {}) });
  const dealsByRecord = new Map<string, RecordHistory[]>();
  for (const deal of deals) {
    for (const id of deal.linked(objectType)) {
      let list = dealsByRecord.get(id);
      if (!list) dealsByRecord.set(id, (list = []));
      list.push(deal);
    }
  }
  let earliest = Number.POSITIVE_INFINITY;
  for (const record of records) if (record.createdAt < earliest) earliest = record.createdAt;
  return { records, companies: new Map(companyList.map((c) => [c.objectId, c])), companyList, dealsByRecord, earliest };
}
