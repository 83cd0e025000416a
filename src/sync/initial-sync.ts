/**
 * The first copy of a portal's CRM history: every object of a type with its property history, page
 * by page (50 with history), the cursor checkpointed after each page so a restart continues where it
 * stopped. The next page is read while the last one is stored; the checkpoint only ever names a
 * stored page. Each page brings its records' associated ids inline (`associations=`), so linking
 * costs no request of its own (HubSpot's v4 batch read takes only 100 ids); a record with more links
 * than HubSpot lists inline has them read in full. After a restart, a catch-up pass links the
 * records an interruption left unlinked (link-associations.ts).
 */
import type { Connection } from 'mongoose';
import { syncStateModel } from '../db/models/sync-state.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import type { CrmObjectType } from './crm-record.ts';
import { associatedTypes } from './associated-types.ts';
import { linkUnlinkedRecords } from './link-associations.ts';
import { readAhead } from './read-ahead.ts';
import { countObjects, readPage, readPropertyDefinitions } from './read-crm.ts';
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
  const resumed = Boolean(state?.initial);
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
    for await (const page of readAhead((after) => readPage(hubspot, objectType, after, properties, associatedTypes[objectType]), state!.initial!.after ?? undefined)) {
      await storeRecords(connection, portalId, page.records);
      await storeAssociations(connection, portalId, objectType, page.links);
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
  // Records stored before an interruption may be without their associations.
  if (resumed) await linkUnlinkedRecords(connection, hubspot, objectType, state!.initial!.associationsAfterId ?? undefined);
  await states.updateOne(
    { portalId, objectType },
    { $set: { 'initial.status': 'done', 'initial.finishedAt': new Date(), watermark: state!.initial!.startedAt } },
  );
  return 'done';
}
