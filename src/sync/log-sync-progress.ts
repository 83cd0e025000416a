/**
 * A sync's progress in the logs: done/total, rate and time left (the figures the portal page and
 * `propensity sync` show), at most once every `intervalMs` per object type, and when a type's
 * records are all stored.
 */
import type { Logger } from '../log.ts';
import type { CrmObjectType } from './crm-record.ts';
import { describeProgress, progressFigures, type SyncProgress } from './sync-progress.ts';

export function logSyncProgress(logger: Logger, portalId: number, intervalMs = 10_000, now = () => new Date()): (progress: SyncProgress) => void {
  const lastLogged = new Map<CrmObjectType, number>();
  return (progress) => {
    const at = now();
    const last = lastLogged.get(progress.objectType);
    if (!progress.finished && last !== undefined && at.getTime() - last < intervalMs) return;
    lastLogged.set(progress.objectType, at.getTime());
    const figures = progressFigures(progress, at);
    logger.info({ portalId, ...figures }, `initial sync: ${describeProgress(figures)}`);
  };
}
