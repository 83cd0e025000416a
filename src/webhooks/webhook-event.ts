/**
 * The shape of one HubSpot webhook event, validated before anything is stored. Values are data:
 * numbers stay numbers, strings are bounded, nothing else from the body reaches MongoDB.
 */
import { z } from 'zod';
import { jsonText, storableText } from '../db/storable-text.ts';

const MAX_DATE_MS = 8.64e15;

const id = z.number().int().nonnegative().or(z.string().regex(/^\d{1,20}$/).transform(Number));

export const webhookEventSchema = z.object({
  eventId: id,
  subscriptionId: id.optional(),
  portalId: id,
  appId: id.optional(),
  // At most the last millisecond a Date can hold: a later one would be stored as 1970.
  occurredAt: z.number().int().nonnegative().max(MAX_DATE_MS),
  subscriptionType: z.string().regex(/^(contact|company|deal|object)\.[A-Za-z]{1,40}$/),
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: id.optional(),
  objectTypeId: z.string().max(20).optional(),
  propertyName: z.string().max(200).optional(),
  propertyValue: z.unknown().optional(),
  changeSource: z.string().max(100).optional(),
  sourceId: z.union([z.string(), z.number()]).transform(String).optional(),
  mergedObjectIds: z.array(id).max(1000).optional(),
  primaryObjectId: id.optional(),
  newObjectId: id.optional(),
  fromObjectId: id.optional(),
  toObjectId: id.optional(),
  associationType: z.string().max(100).optional(),
  associationRemoved: z.boolean().optional(),
});

export const webhookBatchSchema = z.array(webhookEventSchema).min(1).max(1000);

export type WebhookEvent = z.infer<typeof webhookEventSchema>;

const objectTypeIds: Record<string, string> = { '0-1': 'contact', '0-2': 'company', '0-3': 'deal' };

/** contact | company | deal (or the generic object type) of an event. */
export function objectTypeOf(event: WebhookEvent): string {
  const [prefix] = event.subscriptionType.split('.');
  if (prefix !== 'object') return prefix;
  return objectTypeIds[event.objectTypeId ?? ''] ?? `object:${event.objectTypeId ?? 'unknown'}`;
}

/** The event's property value as stored: a short string, whatever HubSpot sent. */
export function storedPropertyValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : jsonText(value);
  return text.length > 500 ? `${storableText(text, 500)}…` : storableText(text);
}

