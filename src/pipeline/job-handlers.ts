/**
 * What each queued job does: the pipeline's stages as job handlers. Install queues onboarding
 * (properties, initial sync); the scheduler queues incremental syncs and the daily check for
 * deletions the webhooks missed; the inbox sweeper queues webhook processing. A job for a portal
 * that uninstalled meanwhile simply ends.
 */
import type { JobDocument } from '../db/models/job.ts';
import { PortalNotInstalledError, PortalUninstalledError } from '../hubspot/errors.ts';
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
} as const;

function forInstalledPortal(handler: (job: JobDocument) => Promise<void>): JobHandler {
  return async (job) => {
    try {
      await handler(job);
    } catch (error) {
      if (error instanceof PortalUninstalledError || error instanceof PortalNotInstalledError) return;
      throw error;
    }
  };
}

export function jobHandlers(services: Services): Record<string, JobHandler> {
  const { connection, hubspot, logger, app, leaseMs } = services;
  return {
    [jobTypes.createProperties]: forInstalledPortal(async (job) => {
      const result = await ensureOutputProperties(hubspot.forPortal(job.portalId));
      if (result.problems.length > 0) logger.warn({ portalId: job.portalId, problems: result.problems }, 'some Propensity properties exist with the wrong type');
    }),
    [jobTypes.initialSync]: forInstalledPortal(async (job) => {
      await syncPortal(connection, hubspot.forPortal(job.portalId), { onProgress: logSyncProgress(logger, job.portalId) });
      logger.info({ portalId: job.portalId }, 'initial sync done');
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
      const result = await processPortalWebhooks(connection, hubspot.forPortal(job.portalId), app.appId, leaseMs);
      logger.debug({ portalId: job.portalId, ...result }, 'webhook events processed');
    }),
  };
}
