/** A portal's status as its page shows it: install, sync progress, webhook backlog, jobs. */
import type { Connection } from 'mongoose';
import { jobModel } from '../db/models/job.ts';
import { portalModel } from '../db/models/portal.ts';
import { webhookEventModel } from '../db/models/webhook-event.ts';
import { portalSyncStatus, type PortalSyncStatus } from '../sync/sync-portal.ts';
import { progressFigures } from '../sync/sync-progress.ts';
import { scoresStatus, type ScoresStatus } from './portal-scores-status.ts';

export interface PortalStatus {
  portalId: number;
  status: string;
  /** HubSpot refused the portal's tokens (revoked, or the app uninstalled): an admin must install again to re-authorise. */
  needsReauthorisation: boolean;
  /** Why and since when HubSpot refuses the tokens (data is kept; see src/install/portal-access.ts). */
  reauthorisation: { reason: string; since: Date } | null;
  uninstallReason: string | null;
  hubDomain: string | null;
  installedAt: Date | null;
  sync: (PortalSyncStatus & { percent: number; ratePerSecond: number | null; etaSeconds: number | null; finished: boolean })[];
  /** The initial sync over all object types, 0–100 (100 only when every step is done). */
  syncPercent: number;
  webhooks: { pending: number; dead: number; done: number; dropped: number };
  jobs: { queued: number; running: number; dead: number };
  scoring: ScoresStatus;
  propertyProblems: { objectType: string; name: string; problem: string }[];
}


export async function portalStatus(connection: Connection, portalId: number, now = Date.now()): Promise<PortalStatus | null> {
  const portal = await portalModel(connection).findOne({ portalId }).lean();
  if (!portal) return null;
  const sync = (await portalSyncStatus(connection, portalId)).map((s) => {
    const progress = {
      objectType: s.objectType,
      done: s.done,
      total: s.total ?? undefined,
      resumedAt: s.resumedAt ?? new Date(now),
      doneAtResume: s.doneAtResume,
      finished: s.status === 'done',
    };
    const { percent, ratePerSecond, etaSeconds, finished } = progressFigures(progress, new Date(now));
    // Rate and time left are those of reading records: shown while that runs.
    const reading = s.status === 'running';
    return { ...s, percent, ratePerSecond: reading ? ratePerSecond : null, etaSeconds: reading ? etaSeconds : null, finished };
  });
  const count = async (status: 'pending' | 'processing' | 'done' | 'dropped' | 'dead') => webhookEventModel(connection).countDocuments({ portalId, status });
  const jobs = async (status: 'queued' | 'running' | 'dead') => jobModel(connection).countDocuments({ portalId, status });
  return {
    portalId,
    syncPercent: overallPercent(sync),
    status: portal.status,
    needsReauthorisation: portal.status === 'needs-reauthorisation',
    reauthorisation: portal.reauthorisation ? { reason: portal.reauthorisation.reason, since: portal.reauthorisation.since } : null,
    uninstallReason: portal.uninstallReason ?? null,
    hubDomain: portal.hubDomain ?? null,
    installedAt: portal.installedAt ?? null,
    sync,
    webhooks: { pending: (await count('pending')) + (await count('processing')), dead: await count('dead'), done: await count('done'), dropped: await count('dropped') },
    jobs: { queued: await jobs('queued'), running: await jobs('running'), dead: await jobs('dead') },
    scoring: await scoresStatus(connection, portalId),
    propertyProblems: (portal.outputPropertyProblems ?? []).map((p) => ({ objectType: p.objectType ?? '', name: p.name ?? '', problem: p.problem ?? '' })),
  };
}

/** The initial sync's progress over all object types (the step after reading counted as not yet done). */
export function overallPercent(sync: Pick<PortalSyncStatus, 'status' | 'done' | 'total'>[]): number {
  if (sync.every((s) => s.status === 'done')) return 100;
  const total = sync.reduce((a, s) => a + (s.total ?? 0), 0);
  const done = sync.reduce((a, s) => a + Math.min(s.done, s.total ?? s.done), 0);
  return total === 0 ? 0 : Math.min(99, Math.floor((done / total) * 100));
}
