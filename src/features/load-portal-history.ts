/**
 * Reads a portal's synced copy from MongoDB into the point-in-time view the feature builder takes:
 * the records of one object type (all, or the ones named), for contacts their companies (for
 * firmographics), and the deals linked to each record. The adapter between `crm_objects` and the pure feature code.
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

/** Only these properties of each kind of record (all when absent): a large portal's history is mostly properties no model uses. */
export interface PropertySelection {
  records?: string[];
  companies?: string[];
  deals?: string[];
}

/** What every portal's features and decisions read besides the planned inputs. */
export const alwaysRead = {
  records: ['lifecyclestage', 'createdate', 'hs_email_optout', 'hs_email_quarantined', 'hs_email_bad_address', 'hs_email_hard_bounce_reason_enum'],
  companies: ['createdate'],
  deals: ['dealstage', 'hs_is_closed_won', 'dealtype', 'amount', 'createdate', 'closedate'],
};

async function readAll(connection: Connection, filter: Record<string, unknown>, names?: string[]): Promise<RecordHistory[]> {
  const out: RecordHistory[] = [];
  const match = { ...filter, archived: { $ne: true } };
  const cursor = names
    ? crmObjectModel(connection)
        .aggregate([
          { $match: match },
          {
            $project: {
              objectId: 1, createdAt: 1, updatedAt: 1, associations: 1,
              properties: { $filter: { input: '$properties', as: 'p', cond: { $in: ['$$p.name', names] } } },
              history: {
                $map: {
                  input: { $filter: { input: '$history', as: 'h', cond: { $in: ['$$h.name', names] } } },
                  as: 'h',
                  in: { name: '$$h.name', entries: { $map: { input: '$$h.entries', as: 'e', in: { value: '$$e.value', at: '$$e.at' } } } },
                },
              },
            },
          },
        ])
        .cursor({ batchSize: 2_000 })
    : crmObjectModel(connection).find(match, fields).lean().cursor({ batchSize: 2_000 });
  for await (const doc of cursor) out.push(new RecordHistory(doc as unknown as StoredRecord));
  return out;
}

/**
 * A spread sample of a portal's records (every k-th by id, so the same on every run): enough to
 * decide which properties become features before reading the whole history.
 */
export async function samplePortalHistory(connection: Connection, portalId: number, objectType: ScoredObjectType | 'companies', size = 5_000): Promise<RecordHistory[]> {
  const ids = (await crmObjectModel(connection).find({ portalId, objectType, archived: { $ne: true } }, { objectId: 1 }).sort({ objectId: 1 }).lean()).map((d) => d.objectId);
  const step = Math.max(1, Math.ceil(ids.length / size));
  const chosen = ids.filter((_, i) => i % step === 0);
  const out: RecordHistory[] = [];
  for (let i = 0; i < chosen.length; i += 1_000) out.push(...(await readAll(connection, { portalId, objectType, objectId: { $in: chosen.slice(i, i + 1_000) } })));
  return out;
}

export async function loadPortalHistory(connection: Connection, portalId: number, objectType: ScoredObjectType, ids?: string[], only: PropertySelection = {}): Promise<LoadedHistory> {
  const records = await readAll(connection, { portalId, objectType, ...(ids ? { objectId: { $in: ids } } : {}) }, only.records);
  // A contact's company lends it firmographics; a company's own properties are its record's.
  const companyList =
    objectType === 'companies'
      ? []
      : await readAll(connection, { portalId, objectType: 'companies', ...(ids ? { objectId: { $in: [...new Set(records.flatMap((r) => r.linked('companies')))] } } : {}) }, only.companies);
  const dealsByRecord = objectType === 'companies' ? await dealsOfCompanies(connection, portalId, records, ids !== undefined, only.deals) : await dealsOfContacts(connection, portalId, records, ids !== undefined, only.deals);
  let earliest = Number.POSITIVE_INFINITY;
  for (const record of records) if (record.createdAt < earliest) earliest = record.createdAt;
  return { records, companies: new Map(companyList.map((c) => [c.objectId, c])), companyList, dealsByRecord, earliest };
}

/** A contact's deals, found from the deals' side (deal → contacts is stored on the deal). */
async function dealsOfContacts(connection: Connection, portalId: number, contacts: RecordHistory[], some: boolean, only?: string[]): Promise<Map<string, RecordHistory[]>> {
  const deals = await readAll(connection, { portalId, objectType: 'deals', ...(some ? { 'associations.ids': { $in: contacts.map((r) => r.objectId) } } : {}) }, only);
  const byContact = new Map<string, RecordHistory[]>();
  for (const deal of deals) {
    for (const id of deal.linked('contacts')) {
      let list = byContact.get(id);
      if (!list) byContact.set(id, (list = []));
      list.push(deal);
    }
  }
  return byContact;
}

/** A company's deals, found from its own side (company → deals is stored on the company). */
async function dealsOfCompanies(connection: Connection, portalId: number, companies: RecordHistory[], some: boolean, only?: string[]): Promise<Map<string, RecordHistory[]>> {
  const deals = await readAll(connection, { portalId, objectType: 'deals', ...(some ? { objectId: { $in: [...new Set(companies.flatMap((c) => c.linked('deals')))] } } : {}) }, only);
  const dealById = new Map(deals.map((d) => [d.objectId, d]));
  return new Map(companies.map((c) => [c.objectId, c.linked('deals').flatMap((id) => dealById.get(id) ?? [])]));
}
