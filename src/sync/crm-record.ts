/**
 * The app's own form of a CRM object, made from what HubSpot's API returns. Pure: HubSpot's answer
 * in, plain data out. Every value becomes a bounded string; names stay data.
 */
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

/** A HubSpot value as stored: a string of bounded length (HubSpot sends strings; anything else is tolerated). */
export function storedValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > VALUE_LIMIT ? `${text.slice(0, VALUE_LIMIT)}…[${text.length - VALUE_LIMIT} more characters]` : text;
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
  const properties = Object.entries(object.properties ?? {}).map(([name, value]) => ({ name, value: storedValue(value) }));
  const history = Object.entries(object.propertiesWithHistory ?? {}).map(([name, entries]) => ({
    name,
    entries: (Array.isArray(entries) ? entries : [])
      .map((e) => ({ value: storedValue(e?.value), at: toDate(e?.timestamp), sourceType: storedValue(e?.sourceType), sourceId: storedValue(e?.sourceId) }))
      .filter((e): e is HistoryEntry => e.at !== undefined)
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, HISTORY_LIMIT),
  }));
  return {
    objectType,
    objectId: String(object.id),
    properties,
    history,
    createdAt: toDate(object.createdAt),
    updatedAt: toDate(object.updatedAt),
    archived: object.archived === true,
  };
}

/** The value of one property on a stored record. */
export function propertyOf(record: { properties: ArrayLike<{ name: string; value?: string | null }> }, name: string): string | undefined {
  for (let i = 0; i < record.properties.length; i++) {
    if (record.properties[i].name === name) return record.properties[i].value ?? undefined;
  }
  return undefined;
}
