/**
 * `sync_state`: per portal and object type, where the initial sync stands (its cursor, saved after
 * every page) and the incremental sync's watermark.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { portalScopePlugin } from '../portal-scope.ts';

const syncStateSchema = new Schema(
  {
    portalId: { type: Number, required: true },
    objectType: { type: String, enum: ['contacts', 'companies', 'deals'], required: true },
    properties: { type: [String], default: [] },
    initial: {
      type: new Schema(
        {
          status: { type: String, enum: ['running', 'associations', 'done'], required: true },
          after: { type: String },
          associationsAfterId: { type: String },
          done: { type: Number, default: 0 },
          total: { type: Number },
          startedAt: { type: Date, required: true },
          /** The current run: a restart after a crash starts a new one, which the rate is measured over. */
          resumedAt: { type: Date },
          doneAtResume: { type: Number },
          finishedAt: { type: Date },
        },
        { _id: false },
      ),
    },
    /** Objects modified at or after this are picked up by the next incremental sync. */
    watermark: { type: Date },
    lastIncremental: {
      type: new Schema({ at: Date, changed: Number, requests: Number, ms: Number }, { _id: false }),
    },
    /** The last check for deletions the webhooks missed. */
    lastReconciliation: {
      type: new Schema({ at: Date, listed: Number, deleted: Number, ms: Number }, { _id: false }),
    },
  },
  { collection: 'sync_state', strict: 'throw', versionKey: false, timestamps: true },
);

syncStateSchema.plugin(portalScopePlugin);

export type SyncStateDocument = InferSchemaType<typeof syncStateSchema>;

export function syncStateModel(connection: Connection): Model<SyncStateDocument> {
  return (connection.models.SyncState as Model<SyncStateDocument>) ?? connection.model('SyncState', syncStateSchema);
}
