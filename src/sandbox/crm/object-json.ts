/**
 * CRM objects as HubSpot's v3 API returns them: `{ id, properties, propertiesWithHistory?,
 * associations?, createdAt, updatedAt, archived, archivedAt? }`, every value a string or null,
 * history newest first.
 */
import { pageOfLinks } from '../associations/association-paging.ts';
import { currentValue, historyOf, singular, type SandboxObject, type SandboxObjectType, type SandboxPortal } from '../sandbox-store.ts';

/** What HubSpot returns when no `properties` are asked for. */
export const defaultProperties: Record<SandboxObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
};

export interface ObjectView {
  properties?: string[];
  propertiesWithHistory?: string[];
  associations?: SandboxObjectType[];
  /** Inline associations per type and record before `paging` (HubSpot: 100). */
  associationPageSize?: number;
}

export function objectJson(portal: SandboxPortal, type: SandboxObjectType, object: SandboxObject, view: ObjectView = {}): Record<string, unknown> {
  const known = portal.properties[type];
  // Names the portal does not have are ignored, as HubSpot documents.
  const names = view.properties && view.properties.length > 0 ? view.properties.filter((n) => known.has(n)) : defaultProperties[type];
  const properties: Record<string, string | null> = {};
  for (const name of names) properties[name] = currentValue(type, object, name) ?? null;
  const json: Record<string, unknown> = { id: String(object.id), properties };
  if (view.propertiesWithHistory && view.propertiesWithHistory.length > 0) {
    const history: Record<string, unknown[]> = {};
    for (const name of view.propertiesWithHistory) {
      if (!known.has(name)) continue;
      const entries = historyOf(type, object, name);
      const out: unknown[] = new Array(entries.length);
      for (let i = 0; i < entries.length; i++) {
        const e = entries[entries.length - 1 - i];
        const entry: Record<string, unknown> = { value: e.value, timestamp: new Date(e.timestamp).toISOString(), sourceType: e.sourceType };
        if (e.sourceId !== undefined) entry.sourceId = e.sourceId;
        if (e.updatedByUserId !== undefined) entry.updatedByUserId = e.updatedByUserId;
        out[i] = entry;
      }
      history[name] = out;
    }
    json.propertiesWithHistory = history;
  }
  json.createdAt = new Date(object.createdAt).toISOString();
  json.updatedAt = new Date(object.updatedAt).toISOString();
  json.archived = object.archived;
  if (object.archivedAt !== undefined) json.archivedAt = new Date(object.archivedAt).toISOString();
  if (view.associations && view.associations.length > 0) {
    const associations: Record<string, unknown> = {};
    for (const toType of view.associations) {
      const ids = [...(object.assoc.get(toType) ?? [])].filter((id) => portal.get(toType, id));
      if (ids.length === 0) continue;
      const { page, next } = pageOfLinks(ids, undefined, view.associationPageSize ?? 100);
      associations[toType] = { results: page.map((id) => ({ id: String(id), type: `${singular[type]}_to_${singular[toType]}` })), ...(next ? { paging: { next: { after: next } } } : {}) };
    }
    if (Object.keys(associations).length > 0) json.associations = associations;
  }
  return json;
}

/** `properties=a,b&properties=c` (or a JSON array) → ['a', 'b', 'c'] */
export function listParam(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}
