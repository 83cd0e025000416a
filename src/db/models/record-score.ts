/**
 * `scores`: per record, what Propensity concluded (lead or churn probability, tier, reasons, the
 * enrolment decision) as the output property values to write, and what was last written to HubSpot.
 * `writePending` marks records whose values differ from the written ones; `rescoreRequested` marks
 * records a webhook changed since they were scored.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { portalScopePlugin } from '../portal-scope.ts';

const propertyValue = new Schema({ name: { type: String, required: true }, value: { type: String, default: '' } }, { _id: false });

const recordScoreSchema = new Schema(
  {
    portalId: { type: Number, required: true },
    objectType: { type: String, enum: ['contacts', 'companies'], required: true },
    objectId: { type: String, required: true },
    target: { type: String, enum: ['lead', 'churn'] },
    probability: { type: Number },
    modelVersion: { type: String },
    enrolment: { type: String },
    control: { type: Boolean },
    scoredAt: { type: Date },
    /** The output properties as they should be in HubSpot. */
    values: { type: [propertyValue], default: [] },
    /** The output properties as last written (only what was written successfully). */
    written: { type: [propertyValue], default: [] },
    writtenAt: { type: Date },
    writePending: { type: Boolean, default: false },
    /** Bumped whenever `values` change: a write only marks done the revision it wrote. */
    revision: { type: Number, default: 0 },
    writeAttempts: { type: Number, default: 0 },
    lastWriteError: { type: String },
    /** The first enrolment the record qualified for, when, and whether it was then held out as control. */
    qualifiedFor: { type: String },
    qualifiedAt: { type: Date },
    qualifiedControl: { type: Boolean },
    rescoreRequested: { type: Boolean, default: false },
    rescoreRequestedAt: { type: Date },
  },
  { collection: 'scores', strict: 'throw', versionKey: false },
);

recordScoreSchema.plugin(portalScopePlugin);

export type RecordScoreDocument = InferSchemaType<typeof recordScoreSchema>;

export function recordScoreModel(connection: Connection): Model<RecordScoreDocument> {
  return (connection.models.RecordScore as Model<RecordScoreDocument>) ?? connection.model('RecordScore', recordScoreSchema);
}
