/**
 * The first copy of a portal's CRM history: every object of a type with its property history, page
 * by page (50 with history), the cursor checkpointed after each page so a restart continues where it
 * stopped. The next page is read while the last one is stored; the checkpoint only ever names a
 * stored page. Associations are linked in the background as records are stored
 * (link-associations.ts); after a restart, a catch-up pass links the records an interruption left.
 */
import type { Connection } from 'mongoose';
import { syncStateModel } from '../db/models/sync-state.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import type { CrmObjectType } from './crm-record.ts';
import { backgroundLinker, linkUnlinkedRecords } from './link-associations.ts';
import { readAhead } from './read-ahead.ts';
import { countObjects, readPage, readPropertyDefinitions } from './read-crm.ts';
import { storeRecords } from './store-records.ts';
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
    const linker = backgroundLinker(connection, hubspot, objectType);
    for await (const page of readAhead((after) => readPage(hubspot, objectType, after, properties), state!.initial!.after ?? undefined)) {
      await storeRecords(connection, portalId, page.records);
      done += page.records.length;
      pages += 1;
      await states.updateOne(
        { portalId, objectType },
        page.next ? { $set: { 'initial.after': page.next, 'initial.done': done } } : { $set: { 'initial.status': 'associations', 'initial.done': done }, $unset: { 'initial.after': 1 } },
      );
      options.onProgress?.({ objectType, done, total, resumedAt, doneAtResume, finished: !page.next });
      await linker.add(page.records.map((r) => r.objectId));
      if (page.next && options.maxPages !== undefined && pages >= options.maxPages) {
        await linker.abandon();
        return 'paused';
      }
    }
    await linker.finish();
  }
  // Records stored before an interruption may be without their associations.
  if (resumed) await linkUnlinkedRecords(connection, hubspot, objectType, state!.initial!.associationsAfterId ?? undefined);
  await states.updateOne(
    { portalId, objectType },
    { $set: { 'initial.status': 'done', 'initial.finishedAt': new Date(), watermark: state!.initial!.startedAt } },
  );
  return 'done';
}
