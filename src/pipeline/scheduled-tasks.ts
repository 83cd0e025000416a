/**
 * What the scheduler queues, and when. Each tick is claimed once per cluster; the jobs it queues
 * carry dedupe keys, so a slow portal never piles up copies of the same work.
 */
import type { Connection } from 'mongoose';
import { portalModel } from '../db/models/portal.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { ScheduledTask } from '../jobs/run-scheduler.ts';
import { jobTypes } from './job-handlers.ts';

export interface ScheduleSettings {
  /** node-cron expression for incremental syncs (default every 5 minutes). */
  incrementalSync: string;
}

export const defaultSchedule: ScheduleSettings = { incrementalSync: '*/5 * * * *' };

export function scheduledTasks(connection: Connection, schedule: ScheduleSettings = defaultSchedule): ScheduledTask[] {
  const installed = async () => (await portalModel(connection).find({ status: 'installed' }, { portalId: 1 }).lean()).map((p) => p.portalId);
  return [
    {
      name: 'incremental-sync',
      cron: schedule.incrementalSync,
      async run() {
        for (const portalId of await installed()) {
          await enqueueJob(connection, { portalId, type: jobTypes.incrementalSync, dedupeKey: `${jobTypes.incrementalSync}:${portalId}` });
        }
      },
    },
  ];
}
