import type { mongo } from 'mongoose';

type Db = mongo.Db;

/** One claim per (task, tick): the scheduler lock. */
export async function up(db: Db): Promise<void> {
  await db.collection('schedule_slots').createIndex({ task: 1, slot: 1 }, { name: 'task_slot_unique', unique: true });
}

export async function down(db: Db): Promise<void> {
  await db.collection('schedule_slots').dropIndex('task_slot_unique').catch(() => {});
}
