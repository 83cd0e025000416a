/**
 * `send_time_summaries`: one per portal, written by each whole-portal scoring run of its contacts:
 * the portal's engagement pattern over the 168 hours of the week (for the page's heat map) and the
 * measured lift of chosen send times over the random-time holdout (engagement within 24 h of a send).
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { portalScopePlugin } from '../portal-scope.ts';

const armSchema = new Schema({ sends: { type: Number, required: true }, engaged: { type: Number, required: true } }, { _id: false });

const sendTimeSummarySchema = new Schema(
  {
    portalId: { type: Number, required: true },
    /** The time zone the pattern's hours are in (the portal's, else UTC). */
    timeZone: { type: String, required: true },
    /** 168 shares summing to 1, hour 0 = Monday 00:00–00:59. */
    pattern: { type: [Number], required: true },
    contacts: { type: Number, required: true },
    holdoutShare: { type: Number, required: true },
    /** Sends since each contact's time was decided, and how many were engaged with within 24 h. */
    chosen: { type: armSchema, required: true },
    random: { type: armSchema, required: true },
    /** Chosen minus random engagement rate with its 95 % interval; absent until both arms have enough sends. */
    difference: { type: Number },
    low: { type: Number },
    high: { type: Number },
    /** In words: the lift, or what is still missing to measure it. */
    message: { type: String, required: true },
    computedAt: { type: Date, required: true },
  },
  { collection: 'send_time_summaries', strict: 'throw', versionKey: false },
);

sendTimeSummarySchema.plugin(portalScopePlugin);

export type SendTimeSummaryDocument = InferSchemaType<typeof sendTimeSummarySchema>;

export function sendTimeSummaryModel(connection: Connection): Model<SendTimeSummaryDocument> {
  return (connection.models.SendTimeSummary as Model<SendTimeSummaryDocument>) ?? connection.model('SendTimeSummary', sendTimeSummarySchema);
}
