/**
 * What a new install sets in motion: the app's properties in the portal, then the initial sync of its
 * CRM history. Queued, never run in the OAuth callback; queueing twice is a no-op.
 */
import type { Connection } from 'mongoose';
import { enqueueJob } from '../jobs/job-queue.ts';

export const onboardingJobTypes = ['portal.create-properties', 'portal.initial-sync'] as const;

export async function queueOnboarding(connection: Connection, portalId: number): Promise<void> {
  for (const type of onboardingJobTypes) {
    await enqueueJob(connection, { portalId, type, dedupeKey: `${type}:${portalId}` });
  }
}
