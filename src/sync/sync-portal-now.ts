/**
 * A portal's copy brought up to date now, in the foreground (what `propensity sync` runs): the
 * initial sync where it has not finished (resuming from its checkpoint), then an incremental sync of
 * every type. With `full`, the initial sync starts over (new property choice, every record read
 * again) and ends with the check for deletions, so the copy equals HubSpot afterwards.
 */
import type { Connection } from 'mongoose';
import { syncStateModel } from '../db/models/sync-state.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import type { CrmObjectType } from './crm-record.ts';
import { incrementalSync } from './incremental-sync.ts';
import { initialSync } from './initial-sync.ts';
import { reconcileDeletions } from './reconcile-deletions.ts';
import { syncOrder } from './sync-portal.ts';
import type { SyncProgress } from './sync-progress.ts';

export interface SyncNowOptions {
  full?: boolean;
  /** After every page of the initial sync, and once per type already synced. */
  onProgress?: (progress: SyncProgress) => void;
}

export interface SyncNowResult {
  objectType: CrmObjectType;
  /** Records in the copy by the initial sync. */
  records: number;
  /** Changed since, picked up by the incremental sync. */
  changed: number;
  /** Deleted in HubSpot and so from the copy (with `full`). */
  deleted: number;
}

export async function syncPortalNow(connection: Connection, hubspot: PortalHubSpot, options: SyncNowOptions = {}): Promise<SyncNowResult[]> {
  const states = syncStateModel(connection);
  const { portalId } = hubspot;
  // Forgetting the checkpoints is what makes the next initial sync start over; records stay until replaced.
  if (options.full) await states.deleteMany({ portalId });
  const results: SyncNowResult[] = [];
  for (const objectType of syncOrder) {
    const before = await states.findOne({ portalId, objectType }, { initial: 1 }).lean();
    if (before?.initial?.status === 'done') {
      const done = before.initial.done ?? 0;
      options.onProgress?.({ objectType, done, total: before.initial.total ?? done, resumedAt: new Date(), doneAtResume: done, finished: true });
    }
    await initialSync(connection, hubspot, objectType, { onProgress: options.onProgress });
    const after = await states.findOne({ portalId, objectType }, { initial: 1 }).lean();
    const { changed } = await incrementalSync(connection, hubspot, objectType);
    const { deleted } = options.full ? await reconcileDeletions(connection, hubspot, objectType) : { deleted: 0 };
    results.push({ objectType, records: after?.initial?.done ?? 0, changed, deleted });
  }
  return results;
}
