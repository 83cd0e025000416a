/**
 * Keeps the copy fresh between webhooks: searches for objects modified since the watermark (past the
 * 10,000-result cap by id restarts), re-reads them with history, moves the watermark. The watermark
 * trails the run's start by HubSpot's search indexing delay, so nothing written meanwhile is missed;
 * re-reading an object twice is harmless.
 */
import type { Connection } from 'mongoose';
import { syncStateModel } from '../db/models/sync-state.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import type { CrmObjectType } from './crm-record.ts';
import { BATCH_READ_SIZE, modifiedIds } from './read-crm.ts';
import { syncObjects } from './sync-objects.ts';

export const SEARCH_INDEX_DELAY_MS = 60_000;

export async function incrementalSync(
  connection: Connection,
  hubspot: PortalHubSpot,
  objectType: CrmObjectType,
  now = new Date(),
): Promise<{ changed: number; skipped?: 'initial sync not finished' }> {
  const states = syncStateModel(connection);
  const state = await states.findOne({ portalId: hubspot.portalId, objectType }).lean();
  if (state?.initial?.status !== 'done' || !state.watermark) return { changed: 0, skipped: 'initial sync not finished' };
  const started = Date.now();
  let changed = 0;
  let pending: string[] = [];
  for await (const ids of modifiedIds(hubspot, objectType, state.watermark)) {
    pending.push(...ids);
    while (pending.length >= BATCH_READ_SIZE) {
      changed += (await syncObjects(connection, hubspot, objectType, pending.splice(0, BATCH_READ_SIZE))).stored.length;
    }
  }
  if (pending.length > 0) changed += (await syncObjects(connection, hubspot, objectType, pending)).stored.length;
  pending = [];
  await states.updateOne(
    { portalId: hubspot.portalId, objectType },
    {
      $set: {
        watermark: new Date(Math.max(state.watermark.getTime(), now.getTime() - SEARCH_INDEX_DELAY_MS)),
        lastIncremental: { at: now, changed, ms: Date.now() - started },
      },
    },
  );
  return { changed };
}
