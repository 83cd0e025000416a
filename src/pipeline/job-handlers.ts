/**
 * What each queued job does: the pipeline's stages as job handlers. Install queues onboarding
 * (properties, initial sync); the scheduler queues incremental syncs and the daily check for
 * deletions the webhooks missed; the inbox sweeper queues webhook processing. A job for a portal
 * that uninstalled meanwhile simply ends.
 */
import type { Connection } from 'mongoose';
import type { JobDocument } from '../db/models/job.ts';
import { portalModel } from '../db/models/portal.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { trainInWorker } from '../learners/index.ts';
import { currentModel, scoredObjectTypes, targets, trainPortalModels } from '../models/model-registry.ts';
import { affectedRecords } from '../scoring/affected-records.ts';
import { earlyRetrainReason } from '../scoring/early-retrain.ts';
import { requestRescore, scorePortal, type ScoreMode, type ScoreResult } from '../scoring/score-portal.ts';
import { loadTrainingHistory } from '../features/load-training-history.ts';
import type { ScoredObjectType } from '../features/load-portal-history.ts';
import { loadPortalSettings } from '../settings/portal-settings.ts';
import { writePendingScores } from '../writeback/write-scores.ts';
import { PortalAccessLostError, PortalNotInstalledError } from '../hubspot/errors.ts';
import { markNeedsReauthorisation } from '../install/portal-access.ts';
import type { JobHandler } from '../jobs/run-worker.ts';
import type { Services } from '../services.ts';
import { crmObjectTypes } from '../sync/crm-record.ts';
import { incrementalSync } from '../sync/incremental-sync.ts';
import { logSyncProgress } from '../sync/log-sync-progress.ts';
import { reconcileDeletions } from '../sync/reconcile-deletions.ts';
import { syncPortal } from '../sync/sync-portal.ts';
import { PROCESS_WEBHOOKS, processPortalWebhooks } from '../webhooks/process-portal-webhooks.ts';
import { ensureOutputProperties } from '../writeback/ensure-output-properties.ts';

export const jobTypes = {
  createProperties: 'portal.create-properties',
  initialSync: 'portal.initial-sync',
  incrementalSync: 'portal.incremental-sync',
  reconcileDeletions: 'portal.reconcile-deletions',
  processWebhooks: PROCESS_WEBHOOKS,
  train: 'portal.train',
  score: 'portal.score',
  writeScores: 'portal.write-scores',
} as const;

/** Queues the next stage once; a copy already queued or running makes this a no-op. */
export function queueTraining(connection: Connection, portalId: number, reason: string, runAt?: Date) {
  return enqueueJob(connection, { portalId, type: jobTypes.train, payload: { reason }, dedupeKey: `${jobTypes.train}:${portalId}`, runAt });
}

export function queueScoring(connection: Connection, portalId: number, mode: ScoreMode) {
  return enqueueJob(connection, { portalId, type: jobTypes.score, payload: { mode }, dedupeKey: `${jobTypes.score}:${mode}:${portalId}` });
}

export function queueWriteBack(connection: Connection, portalId: number, runAt?: Date) {
  return enqueueJob(connection, { portalId, type: jobTypes.writeScores, dedupeKey: `${jobTypes.writeScores}:${portalId}`, runAt });
}

/**
 * Retrains a portal early when a full scoring run shows a current model drifting: its scores (PSI)
 * or its ranking of the outcomes that became known in the last 30 days (AUC). Returns the reason queued.
 */
export async function queueEarlyRetraining(connection: Connection, portalId: number, result: ScoreResult, objectType: ScoredObjectType = 'contacts', now = new Date()): Promise<string | undefined> {
  for (const target of targets) {
    if (result.drift[target] === undefined && result.outcomes[target] === undefined) continue;
    const model = await currentModel(connection, portalId, target, objectType);
    if (!model) continue;
    const reason = earlyRetrainReason({ target: objectType === 'contacts' ? target : `${objectType} ${target}`, trainedAt: model.trainedAt.getTime(), now: now.getTime(), psi: result.drift[target], outcomes: result.outcomes[target] });
    if (!reason) continue;
    await queueTraining(connection, portalId, reason);
    return reason;
  }
  return undefined;
}

/**
 * A job of a portal that is not installed (any more) ends quietly. When HubSpot refuses the
 * portal's tokens, the install module marks it as needing re-authorisation (its data is kept).
 */
function portalGuard(services: Services): (handler: (job: JobDocument) => Promise<void>) => JobHandler {
  return (handler) => async (job) => {
    try {
      await handler(job);
    } catch (error) {
      if (error instanceof PortalAccessLostError) {
        if (await markNeedsReauthorisation(services.connection, error.portalId, error.reason)) {
          services.logger.warn({ portalId: error.portalId, reason: error.reason }, 'HubSpot refuses the portal\'s tokens: marked as needing re-authorisation, data kept');
        }
        return;
      }
      if (error instanceof PortalNotInstalledError) return;
      throw error;
    }
  };
}

export function jobHandlers(services: Services): Record<string, JobHandler> {
  const { connection, hubspot, logger, app, leaseMs } = services;
  const forInstalledPortal = portalGuard(services);
  /** Logs a scoring run, retrains early on drift, and queues the write-back. */
  const afterScoring = async (portalId: number, mode: ScoreMode, results: { objectType: ScoredObjectType; result: ScoreResult }[]) => {
    for (const { objectType, result } of results) {
      logger.info({ portalId, objectType, mode, ...result }, 'scored');
      const reason = await queueEarlyRetraining(connection, portalId, result, objectType);
      if (reason) {
        logger.info({ portalId, reason }, 'early retraining queued');
        break;
      }
    }
    if (results.some(({ result }) => result.changed > 0) || mode === 'all') await queueWriteBack(connection, portalId);
  };
  return {
    [jobTypes.createProperties]: forInstalledPortal(async (job) => {
      const result = await ensureOutputProperties(hubspot.forPortal(job.portalId));
      if (result.problems.length > 0) logger.warn({ portalId: job.portalId, problems: result.problems }, 'some Propensity properties exist with the wrong type');
      // Kept for the portal's page, which tells the admin which property to fix.
      await portalModel(connection).updateOne({ portalId: job.portalId }, { $set: { outputPropertyProblems: result.problems } });
    }),
    [jobTypes.initialSync]: forInstalledPortal(async (job) => {
      await syncPortal(connection, hubspot.forPortal(job.portalId), { onProgress: logSyncProgress(logger, job.portalId) });
      logger.info({ portalId: job.portalId }, 'initial sync done');
      await queueTraining(connection, job.portalId, 'initial sync done');
    }),
    [jobTypes.train]: forInstalledPortal(async (job) => {
      const settings = await loadPortalSettings(connection, job.portalId);
      const results = [];
      // Contacts, then companies: one object type's history in memory at a time, each read once
      // for its training and the scoring after it.
      for (const objectType of scoredObjectTypes) {
        const history = await loadTrainingHistory(connection, job.portalId, settings.labels, objectType);
        const runs = await trainPortalModels(connection, job.portalId, { settings: settings.labels, trainer: trainInWorker, history, objectType });
        for (const run of runs) logger.info({ portalId: job.portalId, reason: job.payload?.reason, ...run }, `model ${run.version} ${run.decision.promoted ? 'promoted' : 'not promoted'}: ${run.decision.reason}`);
        results.push({ objectType, result: await scorePortal(connection, job.portalId, 'all', new Date(), history, objectType) });
      }
      await afterScoring(job.portalId, 'all', results);
    }),
    [jobTypes.score]: forInstalledPortal(async (job) => {
      const mode: ScoreMode = job.payload?.mode === 'requested' ? 'requested' : 'all';
      const results = [];
      for (const objectType of scoredObjectTypes) results.push({ objectType, result: await scorePortal(connection, job.portalId, mode, new Date(), undefined, objectType) });
      await afterScoring(job.portalId, mode, results);
    }),
    [jobTypes.writeScores]: forInstalledPortal(async (job) => {
      const result = await writePendingScores(connection, hubspot.forPortal(job.portalId));
      logger.info({ portalId: job.portalId, ...result }, 'scores written back');
      if (result.retryLater > 0) await queueWriteBack(connection, job.portalId, new Date(Date.now() + 60_000));
    }),
    [jobTypes.incrementalSync]: forInstalledPortal(async (job) => {
      for (const objectType of crmObjectTypes) await incrementalSync(connection, hubspot.forPortal(job.portalId), objectType);
    }),
    [jobTypes.reconcileDeletions]: forInstalledPortal(async (job) => {
      for (const objectType of crmObjectTypes) {
        const result = await reconcileDeletions(connection, hubspot.forPortal(job.portalId), objectType);
        logger.info({ portalId: job.portalId, objectType, ...result }, 'deletions reconciled');
      }
    }),
    [jobTypes.processWebhooks]: forInstalledPortal(async (job) => {
      const result = await processPortalWebhooks(connection, hubspot.forPortal(job.portalId), app.appId, leaseMs, async (changed) => {
        const affected = await affectedRecords(connection, job.portalId, changed);
        if (affected.contacts.length + affected.companies.length === 0) return;
        for (const objectType of scoredObjectTypes) await requestRescore(connection, job.portalId, affected[objectType], new Date(), objectType);
        await queueScoring(connection, job.portalId, 'requested');
      });
      logger.debug({ portalId: job.portalId, ...result }, 'webhook events processed');
    }),
  };
}
