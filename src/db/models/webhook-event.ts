/**
 * `webhook_inbox`: every webhook event HubSpot delivered, keyed by its `eventId` so a redelivery is a
 * no-op. Workers take events from here with a lease and record what they did.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { portalScopePlugin } from '../portal-scope.ts';

const webhookEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    portalId: { type: Number, required: true },
    subscriptionType: { type: String, required: true },
    objectType: { type: String, required: true },
    objectId: { type: Number },
    occurredAt: { type: Date, required: true },
    attemptNumber: { type: Number },
    changeSource: { type: String },
    sourceId: { type: String },
    propertyName: { type: String },
    /** Kept short: the worker re-reads the object from HubSpot and never trusts this value. */
    propertyValue: { type: String },
    /** merge / associationChange details, as HubSpot sent them (numbers and booleans only). */
    details: { type: Schema.Types.Mixed },
    receivedAt: { type: Date, required: true },
    status: { type: String, enum: ['pending', 'processing', 'done', 'dropped', 'dead'], required: true },
    attempts: { type: Number, default: 0 },
    runAt: { type: Date, required: true },
    leaseHolder: { type: String },
    leaseUntil: { type: Date },
    outcome: { type: String },
    lastError: { type: String },
  },
  { collection: 'webhook_inbox', strict: 'throw', versionKey: false },
);

webhookEventSchema.plugin(portalScopePlugin);

export type WebhookEventDocument = InferSchemaType<typeof webhookEventSchema>;

export function webhookEventModel(connection: Connection): Model<WebhookEventDocument> {
  return (connection.models.WebhookEvent as Model<WebhookEventDocument>) ?? connection.model('WebhookEvent', webhookEventSchema);
}

const unknownPortalSchema = new Schema(
  {
    portalId: { type: Number, required: true },
    events: { type: Number, default: 0 },
    firstAt: { type: Date },
    lastAt: { type: Date },
  },
  { collection: 'webhook_unknown_portals', strict: 'throw', versionKey: false },
);

export type UnknownPortalDocument = InferSchemaType<typeof unknownPortalSchema>;

/** Events for portals that are not installed: acknowledged (or HubSpot retries for a day) and counted here. */
export function unknownPortalModel(connection: Connection): Model<UnknownPortalDocument> {
  return (connection.models.UnknownPortal as Model<UnknownPortalDocument>) ?? connection.model('UnknownPortal', unknownPortalSchema);
}
