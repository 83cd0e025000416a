/**
 * What the scheduler queues, and when. Each tick is claimed once per cluster; the jobs it queues
 * carry dedupe keys, so a slow portal never piles up copies of the same work.
 *
 * - incremental sync of every installed portal (default every 5 minutes);
 * - nightly retraining, staggered over an hour by portal so portals do not all train at once;
 * - a sweep (every minute) that queues scoring and write-back for portals with rescore requests or
 *   pending writes a finished job did not pick up.
 */
import type { Connection } from 'mongoose';
import { portalModel } from '../db/models/portal.ts';
import { recordScoreModel } from '../db/models/record-score.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { ScheduledTask } from '../jobs/run-scheduler.ts';
import { MAX_WRITE_ATTEMPTS } from '../writeback/write-scores.ts';
import { jobTypes, queueScoring, queueTraining, queueWriteBack } from './job-handlers.ts';

export interface ScheduleSettings {
  /** node-cron expression for incremental syncs (default every 5 minutes). */
  incrementalSync: string;
  /** node-cron expression for the nightly retraining (default 02:00; each portal then waits 0–59 minutes). */
  retrain: string;
  /** node-cron expression for the scoring and write-back sweep (default every minute). */
  sweep: string;
}

export const defaultSchedule: ScheduleSettings = { incrementalSync: '*/5 * * * *', retrain: '0 2 * * *', sweep: '* * * * *' };

/** A portal's fixed place in the retraining hour. */
export function retrainOffsetMinutes(portalId: number): number {
  return ((portalId * 2_654_435_761) >>> 0) % 60;
}

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
    {
      name: 'nightly-retrain',
      cron: schedule.retrain,
      async run() {
        for (const portalId of await installed()) {
          await queueTraining(connection, portalId, 'nightly retraining', new Date(Date.now() + retrainOffsetMinutes(portalId) * 60_000));
        }
      },
    },
    {
      name: 'score-sweep',
      cron: schedule.sweep,
      async run() {
        const scores = recordScoreModel(connection);
        for (const portalId of await installed()) {
          if (await scores.exists({ portalId, rescoreRequested: true })) await queueScoring(connection, portalId, 'requested');
          if (await scores.exists({ portalId, writePending: true, writeAttempts: { $lt: MAX_WRITE_ATTEMPTS } })) await queueWriteBack(connection, portalId);
        }
      },
    },
  ];
}
