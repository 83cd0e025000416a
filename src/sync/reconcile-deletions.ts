/**
 * Catches deletions the webhooks missed (a delivery HubSpot gave up on, a deploy at the wrong
 * moment): lists every id HubSpot has for the type, ids only, and deletes the local records it no
 * longer has, as a deletion webhook would (src/webhooks/process-events.ts). A record stored after
 * the listing began is kept: it was created or restored meanwhile, and its webhook is the newer word.
 */
import type { Connection } from 'mongoose';
import { crmObjectModel } from '../db/models/crm-object.ts';
import { syncStateModel } from '../db/models/sync-state.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import type { CrmObjectType } from './crm-record.ts';
import { readAhead } from './read-ahead.ts';
import { readIdPage } from './read-crm.ts';
import { deleteRecords } from './store-records.ts';

const DELETE_BATCH = 1_000;

export async function reconcileDeletions(
  connection: Connection,
  hubspot: PortalHubSpot,
  objectType: CrmObjectType,
): Promise<{ listed: number; deleted: number; skipped?: 'initial sync not finished' }> {
  const { portalId } = hubspot;
  const states = syncStateModel(connection);
  const state = await states.findOne({ portalId, objectType }, { initial: 1 }).lean();
  if (state?.initial?.status !== 'done') return { listed: 0, deleted: 0, skipped: 'initial sync not finished' };
  const startedAt = new Date();
  // Ids only: about 60 bytes each, a few MB for the largest portals.
  const inHubSpot = new Set<string>();
  for await (const page of readAhead((after) => readIdPage(hubspot, objectType, after), undefined)) {
    for (const id of page.ids) inHubSpot.add(id);
  }
  let deleted = 0;
  let gone: string[] = [];
  const local = crmObjectModel(connection).find({ portalId, objectType, syncedAt: { $lt: startedAt } }, { objectId: 1 }).lean().cursor();
  for await (const record of local) {
    if (!inHubSpot.has(record.objectId)) gone.push(record.objectId);
    if (gone.length >= DELETE_BATCH) {
      deleted += await deleteRecords(connection, portalId, objectType, gone);
      gone = [];
    }
  }
  if (gone.length > 0) deleted += await deleteRecords(connection, portalId, objectType, gone);
  await states.updateOne(
    { portalId, objectType },
    { $set: { lastReconciliation: { at: startedAt, listed: inHubSpot.size, deleted, ms: Date.now() - startedAt.getTime() } } },
  );
  return { listed: inHubSpot.size, deleted };
}
