/**
 * `jobs`: work queued for a portal (onboarding, sync, training, scoring, write-back). A job is
 * claimed with a lease; a crashed worker's lease runs out and another worker takes the job over.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const jobSchema = new Schema(
  {
    portalId: { type: Number, required: true },
    type: { type: String, required: true },
    /** While the job is queued or running: the same key cannot be queued twice. */
    dedupeKey: { type: String },
    payload: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, enum: ['queued', 'running', 'done', 'dead'], required: true },
    runAt: { type: Date, required: true },
    attempts: { type: Number, default: 0 },
    maxAttempts: { type: Number, default: 8 },
    leaseHolder: { type: String },
    leaseUntil: { type: Date },
    lastError: { type: String },
    finishedAt: { type: Date },
  },
  { collection: 'jobs', timestamps: true, strict: 'throw', minimize: false },
);

export type JobDocument = InferSchemaType<typeof jobSchema> & { _id: import('mongoose').Types.ObjectId };

export function jobModel(connection: Connection): Model<JobDocument> {
  return (connection.models.Job as Model<JobDocument>) ?? connection.model('Job', jobSchema);
}
