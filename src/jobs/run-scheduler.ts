/**
 * The scheduler: node-cron ticks, and each tick of a task is claimed once in MongoDB (a unique
 * (task, slot) document), so several scheduler processes never run the same tick twice. Tasks only
 * queue jobs; workers do the work.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import cron from 'node-cron';
import { scheduleSlotModel } from '../db/models/schedule-slot.ts';
import type { Logger } from '../log.ts';

export interface ScheduledTask {
  name: string;
  /** A cron expression (node-cron syntax, seconds optional). */
  cron: string;
  run(slot: string): Promise<void>;
}

/** Claims one tick of a task; true for exactly one caller per (task, slot). */
export async function claimSlot(connection: Connection, task: string, slot: string, holder: string): Promise<boolean> {
  try {
    await scheduleSlotModel(connection).create({ task, slot, holder, at: new Date() });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return false;
    throw error;
  }
}

export function startScheduler(connection: Connection, logger: Logger, tasks: ScheduledTask[]): { holder: string; stop(): Promise<void> } {
  const holder = `scheduler-${process.pid}-${randomUUID().slice(0, 8)}`;
  const running = new Set<Promise<void>>();
  const scheduled = tasks.map((task) =>
    cron.schedule(task.cron, async (context) => {
      // The tick's scheduled time, to the second: the same in every scheduler process.
      const slot = (context?.date ?? new Date()).toISOString().slice(0, 19);
      const work = (async () => {
        try {
          if (!(await claimSlot(connection, task.name, slot, holder))) return;
          await task.run(slot);
        } catch (error) {
          logger.warn({ err: error, task: task.name, slot }, 'scheduled task failed');
        }
      })();
      running.add(work);
      await work.finally(() => running.delete(work));
    }),
  );
  return {
    holder,
    async stop() {
      for (const s of scheduled) await s.stop();
      await Promise.all(running);
    },
  };
}
