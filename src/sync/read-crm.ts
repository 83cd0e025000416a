/**
 * The sync's reads from HubSpot, each one call through the portal's client (token, rate budget and
 * retries live there). One code path for contacts, companies and deals. The `…WithHttpInfo` forms
 * hand the client HubSpot's rate-limit headers.
 */
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import { toCrmRecord, type CrmObjectType, type CrmRecord, type HubSpotObject } from './crm-record.ts';
import type { AssociationLinks } from './store-records.ts';
import type { PropertyDefinition } from './synced-properties.ts';

/** HubSpot's page size with `propertiesWithHistory`. */
export const HISTORY_PAGE_SIZE = 50;
/** HubSpot's batch read takes 100 inputs, but only 50 with `propertiesWithHistory` (its 400 says so). */
export const BATCH_READ_SIZE = 100;
export const HISTORY_BATCH_READ_SIZE = 50;
/** Associations v4 batch read: 100 inputs since 2025-01-06 (HubSpot changelog). */
export const ASSOCIATION_BATCH_SIZE = 100;
export const SEARCH_PAGE_SIZE = 200;
/** A search query stops at 10,000 results; restart from the last id seen. */
export const SEARCH_RESULT_CAP = 10_000;

export const lastModifiedProperty: Record<CrmObjectType, string> = {
  contacts: 'lastmodifieddate',
  companies: 'hs_lastmodifieddate',
  deals: 'hs_lastmodifieddate',
};

export async function readPropertyDefinitions(hubspot: PortalHubSpot, objectType: CrmObjectType): Promise<PropertyDefinition[]> {
  const { data: answer } = await hubspot.call((c) => c.crm.properties.coreApi.getAllWithHttpInfo(objectType, false));
  return answer.results.map((p) => ({ name: p.name, hubspotDefined: p.hubspotDefined, hidden: p.hidden, calculated: p.calculated }));
}

/**
 * One page of the type's objects with history and, inline, their ids of each of `associateWith`
 * (no extra request). A record whose inline list is paged (more than HubSpot puts inline) has its
 * links of that type read in full through the v4 batch read.
 */
export async function readPage(
  hubspot: PortalHubSpot,
  objectType: CrmObjectType,
  after: string | undefined,
  properties: string[],
  associateWith: CrmObjectType[] = [],
): Promise<{ records: CrmRecord[]; links: AssociationLinks; next: string | undefined }> {
  const associations = associateWith.length > 0 ? associateWith : undefined;
  const { data: page } = await hubspot.call((c) => c.crm.objects.basicApi.getPageWithHttpInfo(objectType, HISTORY_PAGE_SIZE, after, properties, properties, associations, false));
  const links: AssociationLinks = new Map();
  for (const toType of associateWith) {
    const byRecord = new Map<string, string[]>();
    const cutShort: string[] = [];
    for (const o of page.results) {
      const inline = o.associations?.[toType];
      byRecord.set(String(o.id), [...new Set((inline?.results ?? []).map((a) => String(a.id)))]);
      if (inline?.paging?.next?.after) cutShort.push(String(o.id));
    }
    if (cutShort.length > 0) for (const [id, ids] of await readAssociations(hubspot, objectType, toType, cutShort)) byRecord.set(id, ids);
    links.set(toType, byRecord);
  }
  return {
    records: page.results.map((o) => toCrmRecord(objectType, o as HubSpotObject)),
    links,
    next: page.paging?.next?.after,
  };
}

export async function readBatch(hubspot: PortalHubSpot, objectType: CrmObjectType, ids: string[], properties: string[]): Promise<CrmRecord[]> {
  const records: CrmRecord[] = [];
  for (let i = 0; i < ids.length; i += HISTORY_BATCH_READ_SIZE) {
    const inputs = ids.slice(i, i + HISTORY_BATCH_READ_SIZE).map((id) => ({ id }));
    const { data: answer } = await hubspot.call((c) => c.crm.objects.batchApi.readWithHttpInfo(objectType, { inputs, properties, propertiesWithHistory: properties }, false));
    records.push(...answer.results.map((o) => toCrmRecord(objectType, o as HubSpotObject)));
  }
  return records;
}

/** Association ids from each of `ids` to each of `toTypes` (v4 batch read, 100 per call and type). */
export async function readAllAssociations(hubspot: PortalHubSpot, fromType: CrmObjectType, toTypes: CrmObjectType[], ids: string[]): Promise<AssociationLinks> {
  const links: AssociationLinks = new Map();
  for (const toType of toTypes) links.set(toType, await readAssociations(hubspot, fromType, toType, ids));
  return links;
}

/**
 * Association ids from each of `ids` to `toType` (v4 batch read, 100 inputs per call). HubSpot pages
 * each record's links on its own (`paging.next.after` in its result): a record with more goes back
 * into a later call with its cursor, until every record's last page is read.
 */
export async function readAssociations(hubspot: PortalHubSpot, fromType: CrmObjectType, toType: CrmObjectType, ids: string[]): Promise<Map<string, string[]>> {
  const links = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
  const pending: { id: string; after?: string }[] = [...links.keys()].map((id) => ({ id }));
  while (pending.length > 0) {
    const inputs = pending.splice(0, ASSOCIATION_BATCH_SIZE);
    const { data: answer } = await hubspot.call((c) => c.crm.associations.v4.batchApi.getPageWithHttpInfo(fromType, toType, { inputs }));
    for (const result of answer.results) {
      const id = String(result._from.id);
      const found = links.get(id);
      if (!found) continue;
      for (const t of result.to) found.add(String(t.toObjectId));
      const next = result.paging?.next?.after;
      if (next) pending.push({ id, after: next });
    }
  }
  return new Map([...links].map(([id, found]) => [id, [...found]]));
}

/** How many (unarchived) objects of the type the portal has. */
export async function countObjects(hubspot: PortalHubSpot, objectType: CrmObjectType): Promise<number> {
  const search = { filterGroups: [], sorts: [], properties: ['hs_object_id'], limit: 1, after: undefined as unknown as string };
  const { data: answer } = await hubspot.call((c) => c.crm.objects.searchApi.doSearchWithHttpInfo(objectType, search), { search: true });
  return answer.total;
}

/**
 * Ids of objects modified at or after `since`, in id order, past the 10,000-result cap by restarting
 * each query from the last id seen.
 */
export async function* modifiedIds(hubspot: PortalHubSpot, objectType: CrmObjectType, since: Date): AsyncGenerator<string[]> {
  let lastId = '0';
  for (;;) {
    const from = lastId;
    let after: string | undefined;
    let seenInQuery = 0;
    let exhausted = false;
    for (;;) {
      const { data: answer } = await hubspot.call((c) =>
        c.crm.objects.searchApi.doSearchWithHttpInfo(objectType, {
          filterGroups: [
            {
              filters: [
                { propertyName: lastModifiedProperty[objectType], operator: 'GTE' as never, value: String(since.getTime()) },
                { propertyName: 'hs_object_id', operator: 'GT' as never, value: from },
              ],
            },
          ],
          sorts: ['hs_object_id'],
          properties: ['hs_object_id'],
          limit: SEARCH_PAGE_SIZE,
          after: after as string,
        }),
        { search: true },
      );
      const ids = answer.results.map((o) => String(o.id));
      if (ids.length > 0) yield ids;
      seenInQuery += ids.length;
      after = answer.paging?.next?.after;
      if (ids.length > 0) lastId = ids[ids.length - 1];
      if (seenInQuery >= answer.total || ids.length === 0) {
        exhausted = true;
        break;
      }
      // The query stops at 10,000 results: start a new one from the last id seen.
      if (!after || seenInQuery + SEARCH_PAGE_SIZE > SEARCH_RESULT_CAP) break;
    }
    if (exhausted) return;
  }
}

/** HubSpot's page size for a listing without history. */
export const ID_PAGE_SIZE = 100;

/** One page of the ids of the type's (unarchived) objects: the cheapest listing, no property values. */
export async function readIdPage(hubspot: PortalHubSpot, objectType: CrmObjectType, after: string | undefined): Promise<{ ids: string[]; next: string | undefined }> {
  const { data: page } = await hubspot.call((c) => c.crm.objects.basicApi.getPageWithHttpInfo(objectType, ID_PAGE_SIZE, after, ['hs_object_id'], undefined, undefined, false));
  return { ids: page.results.map((o) => String(o.id)), next: page.paging?.next?.after };
}
