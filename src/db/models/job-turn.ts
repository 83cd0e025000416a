/**
 * `job_turns`: when each portal last had a job claimed. Claims go to the portal served longest ago,
 * so a portal with one job never waits behind another portal's whole backlog.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const jobTurnSchema = new Schema(
  {
    portalId: { type: Number, required: true },
    servedAt: { type: Date, required: true },
  },
  { collection: 'job_turns', strict: 'throw', versionKey: false },
);

export type JobTurnDocument = InferSchemaType<typeof jobTurnSchema>;

export function jobTurnModel(connection: Connection): Model<JobTurnDocument> {
  return (connection.models.JobTurn as Model<JobTurnDocument>) ?? connection.model('JobTurn', jobTurnSchema);
}
