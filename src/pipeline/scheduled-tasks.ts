/**
 * What the scheduler queues, and when. Each tick is claimed once per cluster; the jobs it queues
 * carry dedupe keys, so a slow portal never piles up copies of the same work.
 */
import type { Connection } from 'mongoose';
import { portalModel } from '../db/models/portal.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { ScheduledTask } from '../jobs/run-scheduler.ts';
import { jobTypes } from './job-handlers.ts';

/** node-cron expressions (INCREMENTAL_SYNC_CRON, DELETION_RECONCILIATION_CRON in src/config.ts). */
export interface ScheduleSettings {
  /** Incremental syncs (default every 5 minutes). */
  incrementalSync: string;
  /** The check for deletions the webhooks missed (default daily, 03:30). */
  deletionReconciliation: string;
}

export const defaultSchedule: ScheduleSettings = { incrementalSync: '*/5 * * * *', deletionReconciliation: '30 3 * * *' };

export function scheduledTasks(connection: Connection, schedule: ScheduleSettings = defaultSchedule): ScheduledTask[] {
  const installed = async () => (await portalModel(connection).find({ status: 'installed' }, { portalId: 1 }).lean()).map((p) => p.portalId);
  const forEveryPortal = (type: string) => async () => {
    for (const portalId of await installed()) await enqueueJob(connection, { portalId, type, dedupeKey: `${type}:${portalId}` });
  };
  return [
    { name: 'incremental-sync', cron: schedule.incrementalSync, run: forEveryPortal(jobTypes.incrementalSync) },
    { name: 'deletion-reconciliation', cron: schedule.deletionReconciliation, run: forEveryPortal(jobTypes.reconcileDeletions) },
  ];
}
