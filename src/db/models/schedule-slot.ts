/**
 * `schedule_slots`: one document per (scheduled task, time slot). The scheduler that inserts it runs
 * the task; every other scheduler in the cluster gets a duplicate-key error and skips it.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const scheduleSlotSchema = new Schema(
  {
    task: { type: String, required: true },
    slot: { type: String, required: true },
    holder: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'schedule_slots', strict: 'throw', versionKey: false },
);

export type ScheduleSlotDocument = InferSchemaType<typeof scheduleSlotSchema>;

export function scheduleSlotModel(connection: Connection): Model<ScheduleSlotDocument> {
  return (connection.models.ScheduleSlot as Model<ScheduleSlotDocument>) ?? connection.model('ScheduleSlot', scheduleSlotSchema);
}
