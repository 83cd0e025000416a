/**
 * What the scheduler queues, and when. Each tick is claimed once per cluster; the jobs it queues
 * carry dedupe keys, so a slow portal never piles up copies of the same work.
 *
 * - incremental sync of every installed portal (default every 5 minutes);
 * - the check for deletions the webhooks missed (default daily);
 * - with it, the deletion of portals whose refresh token HubSpot refused longer ago than the retention
 *   period (REFUSED_TOKEN_RETENTION_DAYS, default 30) and that nobody installed again;
 * - nightly retraining, staggered over an hour by portal so portals do not all train at once;
 * - a sweep (every minute) that queues scoring and write-back for portals with rescore requests or
 *   pending writes a finished job did not pick up;
 * - the removal of expired OAuth states and sessions (every 15 minutes; src/pipeline/clean-up.ts).
 */
import type { Connection } from 'mongoose';
import { portalModel } from '../db/models/portal.ts';
import { recordScoreModel } from '../db/models/record-score.ts';
import { deleteRefusedPortalsPastRetention } from '../install/portal-access.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { ScheduledTask } from '../jobs/run-scheduler.ts';
import { MAX_WRITE_ATTEMPTS } from '../writeback/write-scores.ts';
import { removeExpiredStatesAndSessions } from './clean-up.ts';
import { jobTypes, queueScoring, queueTraining, queueWriteBack } from './job-handlers.ts';

/** node-cron expressions (INCREMENTAL_SYNC_CRON, DELETION_RECONCILIATION_CRON in src/config.ts). */
export interface ScheduleSettings {
  /** Incremental syncs (default every 5 minutes). */
  incrementalSync: string;
  /** The check for deletions the webhooks missed (default daily, 03:30). */
  deletionReconciliation: string;
  /** The nightly retraining (default 02:00; each portal then waits 0–59 minutes). */
  retrain?: string;
  /** The scoring and write-back sweep (default every minute). */
  sweep?: string;
  /** Days a refused install keeps its data (default 30); checked on the deletion-reconciliation schedule. */
  refusedTokenRetentionDays?: number;
  /** The removal of expired OAuth states and sessions (default every 15 minutes). */
  cleanUp?: string;
}

export const defaultSchedule: Required<ScheduleSettings> = { incrementalSync: '*/5 * * * *', deletionReconciliation: '30 3 * * *', retrain: '0 2 * * *', sweep: '* * * * *', refusedTokenRetentionDays: 30, cleanUp: '*/15 * * * *' };

/** A portal's fixed place in the retraining hour. */
export function retrainOffsetMinutes(portalId: number): number {
  return ((portalId * 2_654_435_761) >>> 0) % 60;
}

export function scheduledTasks(connection: Connection, settings: ScheduleSettings = defaultSchedule): ScheduledTask[] {
  const schedule = { ...defaultSchedule, ...settings };
  const installed = async () => (await portalModel(connection).find({ status: 'installed' }, { portalId: 1 }).lean()).map((p) => p.portalId);
  const forEveryPortal = (type: string) => async () => {
    for (const portalId of await installed()) await enqueueJob(connection, { portalId, type, dedupeKey: `${type}:${portalId}` });
  };
  return [
    { name: 'incremental-sync', cron: schedule.incrementalSync, run: forEveryPortal(jobTypes.incrementalSync) },
    { name: 'deletion-reconciliation', cron: schedule.deletionReconciliation, run: forEveryPortal(jobTypes.reconcileDeletions) },
    {
      name: 'refused-token-retention',
      cron: schedule.deletionReconciliation,
      async run() {
        await deleteRefusedPortalsPastRetention(connection, schedule.refusedTokenRetentionDays);
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
    {
      name: 'expired-states-and-sessions',
      cron: schedule.cleanUp,
      async run() {
        await removeExpiredStatesAndSessions(connection);
      },
    },
  ];
}
