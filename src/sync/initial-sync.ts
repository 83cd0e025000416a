/**
 * The first copy of a portal's CRM history: every object of a type with its property history, page
 * by page (50 with history), the cursor checkpointed after each page so a restart continues where it
 * stopped; then its associations through the v4 batch read, 1,000 objects a call, also checkpointed.
 * The next page is read while the last one is stored; the checkpoint only ever names a stored page.
 */
import type { Connection } from 'mongoose';
import { crmObjectModel } from '../db/models/crm-object.ts';
import { syncStateModel } from '../db/models/sync-state.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import { associatedTypes } from './associated-types.ts';
import type { CrmObjectType } from './crm-record.ts';
import { readAhead } from './read-ahead.ts';
import { ASSOCIATION_BATCH_SIZE, countObjects, readAssociations, readPage, readPropertyDefinitions } from './read-crm.ts';
import { storeAssociations, storeRecords } from './store-records.ts';
import type { SyncProgress } from './sync-progress.ts';
import { chooseSyncedProperties } from './synced-properties.ts';

export interface InitialSyncOptions {
  onProgress?: (progress: SyncProgress) => void;
  /** Stop after this many pages, at least one (tests simulate a crash with it). */
  maxPages?: number;
}

export async function initialSync(connection: Connection, hubspot: PortalHubSpot, objectType: CrmObjectType, options: InitialSyncOptions = {}): Promise<'done' | 'paused'> {
  const states = syncStateModel(connection);
  const { portalId } = hubspot;
  let state = await states.findOne({ portalId, objectType }).lean();
  if (state?.initial?.status === 'done') return 'done';
  if (!state?.initial) {
    const definitions = await readPropertyDefinitions(hubspot, objectType);
    const { names } = chooseSyncedProperties(objectType, definitions);
    const total = await countObjects(hubspot, objectType);
    const startedAt = new Date();
    state = await states.findOneAndUpdate(
      { portalId, objectType },
      { $set: { properties: names, initial: { status: 'running', done: 0, total, startedAt } }, $setOnInsert: { portalId, objectType } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
  }
  const { properties } = state!;
  if (state!.initial!.status === 'running') {
    const doneAtResume = state!.initial!.done ?? 0;
    const resumedAt = new Date();
    await states.updateOne({ portalId, objectType }, { $set: { 'initial.resumedAt': resumedAt, 'initial.doneAtResume': doneAtResume } });
    const total = state!.initial!.total ?? undefined;
    let done = doneAtResume;
    let pages = 0;
    for await (const page of readAhead((after) => readPage(hubspot, objectType, after, properties), state!.initial!.after ?? undefined)) {
      await storeRecords(connection, portalId, page.records);
      done += page.records.length;
      pages += 1;
      await states.updateOne(
        { portalId, objectType },
        page.next ? { $set: { 'initial.after': page.next, 'initial.done': done } } : { $set: { 'initial.status': 'associations', 'initial.done': done }, $unset: { 'initial.after': 1 } },
      );
      options.onProgress?.({ objectType, done, total, resumedAt, doneAtResume, finished: !page.next });
      if (page.next && options.maxPages !== undefined && pages >= options.maxPages) return 'paused';
    }
  }
  await syncAllAssociations(connection, hubspot, objectType, state!.initial!.associationsAfterId ?? undefined);
  await states.updateOne(
    { portalId, objectType },
    { $set: { 'initial.status': 'done', 'initial.finishedAt': new Date(), watermark: state!.initial!.startedAt } },
  );
  return 'done';
}

async function syncAllAssociations(connection: Connection, hubspot: PortalHubSpot, objectType: CrmObjectType, afterId: string | undefined): Promise<void> {
  const toTypes = associatedTypes[objectType];
  if (toTypes.length === 0) return;
  const { portalId } = hubspot;
  let lastId = afterId;
  for (;;) {
    const ids = (
      await crmObjectModel(connection)
        .find({ portalId, objectType, ...(lastId ? { objectId: { $gt: lastId } } : {}) }, { objectId: 1 })
        .sort({ objectId: 1 })
        .limit(ASSOCIATION_BATCH_SIZE)
        .lean()
    ).map((o) => o.objectId);
    if (ids.length === 0) return;
    for (const toType of toTypes) {
      await storeAssociations(connection, portalId, objectType, toType, await readAssociations(hubspot, objectType, toType, ids));
    }
    lastId = ids[ids.length - 1];
    await syncStateModel(connection).updateOne({ portalId, objectType }, { $set: { 'initial.associationsAfterId': lastId } });
  }
}
