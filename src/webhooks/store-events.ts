/**
 * Puts a verified batch into the inbox: one document per event, keyed by `eventId`, so a batch
 * HubSpot delivers twice stores each event once. Events of portals that are not installed are
 * counted, not stored.
 */
import type { Connection, mongo } from 'mongoose';
import { portalModel } from '../db/models/portal.ts';
import { unknownPortalModel, webhookEventModel } from '../db/models/webhook-event.ts';
import { objectTypeOf, storedPropertyValue, type WebhookEvent } from './webhook-event.ts';

export interface StoreResult {
  stored: number;
  duplicates: number;
  unknownPortals: number[];
}

export async function storeEvents(connection: Connection, events: WebhookEvent[], now = new Date()): Promise<StoreResult> {
  const portalIds = [...new Set(events.map((e) => e.portalId))];
  const installed = new Set(
    (await portalModel(connection).find({ portalId: { $in: portalIds }, status: 'installed' }, { portalId: 1 }).lean()).map((p) => p.portalId),
  );
  const unknownPortals = portalIds.filter((id) => !installed.has(id));
  for (const portalId of unknownPortals) {
    const count = events.filter((e) => e.portalId === portalId).length;
    await unknownPortalModel(connection).updateOne(
      { portalId },
      { $inc: { events: count }, $set: { lastAt: now }, $setOnInsert: { firstAt: now } },
      { upsert: true },
    );
  }
  const documents = events
    .filter((e) => installed.has(e.portalId))
    .map((e) => withoutUndefined({
      _id: String(e.eventId),
      portalId: e.portalId,
      subscriptionType: e.subscriptionType,
      objectType: objectTypeOf(e),
      objectId: e.objectId,
      occurredAt: new Date(e.occurredAt),
      attemptNumber: e.attemptNumber,
      changeSource: e.changeSource,
      sourceId: e.sourceId,
      propertyName: e.propertyName,
      propertyValue: storedPropertyValue(e.propertyValue),
      details: detailsOf(e),
      receivedAt: now,
      status: 'pending' as const,
      runAt: now,
    }));
  if (documents.length === 0) return { stored: 0, duplicates: 0, unknownPortals };
  let stored = documents.length;
  try {
    // Straight to the driver: the documents are built above from a validated batch, and mongoose's
    // per-document casting would double the request's time under load.
    await webhookEventModel(connection).collection.insertMany(documents as unknown as mongo.OptionalId<mongo.Document>[], { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
    if (!writeErrors || writeErrors.some((w) => (w.code ?? w.err?.code) !== 11000)) throw error;
    stored -= writeErrors.length;
  }
  return { stored, duplicates: documents.length - stored, unknownPortals };
}

function detailsOf(e: WebhookEvent): Record<string, unknown> | undefined {
  const details = {
    mergedObjectIds: e.mergedObjectIds,
    primaryObjectId: e.primaryObjectId,
    newObjectId: e.newObjectId,
    fromObjectId: e.fromObjectId,
    toObjectId: e.toObjectId,
    associationType: e.associationType,
    associationRemoved: e.associationRemoved,
  };
  const present = Object.entries(details).filter(([, v]) => v !== undefined);
  return present.length > 0 ? Object.fromEntries(present) : undefined;
}

/** The driver would store an undefined field as null; the inbox leaves it out, as mongoose does. */
function withoutUndefined<T extends Record<string, unknown>>(document: T): T {
  for (const key of Object.keys(document)) if (document[key] === undefined) delete document[key];
  return document;
}
