/**
 * The app's own form of a CRM object, made from what HubSpot's API returns. Pure: HubSpot's answer
 * in, plain data out. Every value becomes a bounded string; names stay data. Text is made storable
 * (`storableText`) here, so what is stored reads back equal to the record.
 */
import { jsonText, storableText } from '../db/storable-text.ts';

export type CrmObjectType = 'contacts' | 'companies' | 'deals';
export const crmObjectTypes: CrmObjectType[] = ['contacts', 'companies', 'deals'];

export interface HistoryEntry {
  value: string | undefined;
  at: Date;
  sourceType: string | undefined;
  sourceId: string | undefined;
}

export interface CrmRecord {
  objectType: CrmObjectType;
  objectId: string;
  properties: { name: string; value: string | undefined }[];
  history: { name: string; entries: HistoryEntry[] }[];
  createdAt: Date | undefined;
  updatedAt: Date | undefined;
  archived: boolean;
}

/** What HubSpot's object endpoints return for one object (list, batch read, get). */
export interface HubSpotObject {
  id: string;
  properties?: Record<string, unknown>;
  propertiesWithHistory?: Record<string, { value?: unknown; timestamp?: unknown; sourceType?: unknown; sourceId?: unknown }[]>;
  createdAt?: unknown;
  updatedAt?: unknown;
  archived?: boolean;
}

export const HISTORY_LIMIT = 100;
export const VALUE_LIMIT = 16_384;
/**
 * Characters of text one record keeps in all: at most 3 bytes each in UTF-8, far below MongoDB's
 * 16 MB document limit, which a contact with many long, often edited text properties can pass
 * (12 properties × 100 versions × 16 kB) and which would fail the whole page it is synced in.
 */
export const RECORD_TEXT_LIMIT = 2_000_000;

/**
 * A HubSpot value as stored: a string of bounded length that MongoDB keeps as it is (HubSpot sends
 * strings; anything else is tolerated).
 */
export function storedValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : typeof value === 'object' ? jsonText(value) : String(value);
  return text.length > VALUE_LIMIT ? `${storableText(text, VALUE_LIMIT)}…[${text.length - VALUE_LIMIT} more characters]` : storableText(text);
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

export function toCrmRecord(objectType: CrmObjectType, object: HubSpotObject): CrmRecord {
  const properties = Object.entries(object.properties ?? {}).map(([name, value]) => ({ name: storableText(name), value: storedValue(value) }));
  const history = withinTextLimit(properties, Object.entries(object.propertiesWithHistory ?? {}).map(([name, entries]) => ({
    name: storableText(name),
    entries: (Array.isArray(entries) ? entries : [])
      .map((e) => ({ value: storedValue(e?.value), at: toDate(e?.timestamp), sourceType: storedValue(e?.sourceType), sourceId: storedValue(e?.sourceId) }))
      .filter((e): e is HistoryEntry => e.at !== undefined)
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, HISTORY_LIMIT),
  })));
  return {
    objectType,
    objectId: storableText(String(object.id)),
    properties,
    history,
    createdAt: toDate(object.createdAt),
    updatedAt: toDate(object.updatedAt),
    archived: object.archived === true,
  };
}

/** The history that fits in RECORD_TEXT_LIMIT beside the current values: the newest entries, whatever their property. */
function withinTextLimit(properties: CrmRecord['properties'], history: CrmRecord['history']): CrmRecord['history'] {
  const sizeOf = (e: HistoryEntry) => (e.value?.length ?? 0) + (e.sourceType?.length ?? 0) + (e.sourceId?.length ?? 0) + 16;
  let used = 0;
  for (const p of properties) used += p.name.length + (p.value?.length ?? 0);
  for (const h of history) used += h.name.length;
  const entries = history.flatMap((h) => h.entries);
  if (used + entries.reduce((sum, e) => sum + sizeOf(e), 0) <= RECORD_TEXT_LIMIT) return history;
  const kept = new Set<HistoryEntry>();
  for (const e of entries.sort((a, b) => b.at.getTime() - a.at.getTime())) {
    used += sizeOf(e);
    if (used > RECORD_TEXT_LIMIT) break;
    kept.add(e);
  }
  return history.map((h) => ({ name: h.name, entries: h.entries.filter((e) => kept.has(e)) }));
}

/** The value of one property on a stored record. */
export function propertyOf(record: { properties: ArrayLike<{ name: string; value?: string | null }> }, name: string): string | undefined {
  for (let i = 0; i < record.properties.length; i++) {
    if (record.properties[i].name === name) return record.properties[i].value ?? undefined;
  }
  return undefined;
}
