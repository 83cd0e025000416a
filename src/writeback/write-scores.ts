/**
 * Writes pending scores to HubSpot: only the properties whose value changed since the last write
 * (an unchanged value costs rate limit and re-triggers workflows), 100 records per batch call,
 * through the portal's rate-limited client (which retries 429 and 5xx). A record counts as written
 * only when HubSpot returns it in the answer's `results`: items a 207 answer refuses, and items the
 * answer does not name at all, are retried in a later batch; after the last try they stay pending with their error, shown on the
 * portal's page. What was written, and when, is recorded per record.
 */
import type { Connection, Types } from 'mongoose';
import { recordScoreModel } from '../db/models/record-score.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import { outputObjectTypes, type OutputObjectType } from './output-properties.ts';
import { changedProperties, fromPairs, toPairs } from './score-properties.ts';

export const WRITE_BATCH_SIZE = 100;
export const MAX_WRITE_ATTEMPTS = 5;
/** The error kept for a record HubSpot's answer named neither in `results` nor in `errors`. */
export const NOT_RETURNED = 'NOT_RETURNED: HubSpot\'s answer did not list this record as updated';

export interface WriteResult {
  batches: number;
  written: number;
  /** Records HubSpot refused after every try in this run. */
  failed: number;
  /** Records still pending that a later run should retry. */
  retryLater: number;
}

interface Pending {
  _id: Types.ObjectId;
  objectId: string;
  revision: number;
  values: Record<string, string>;
  written: Record<string, string>;
  scoredAt?: Date | null;
  writeAttempts: number;
}

/** Contacts first, then companies, each in its own batches (a batch update names one object type). */
export async function writePendingScores(connection: Connection, hubspot: PortalHubSpot, options: { retryDelayMs?: number } = {}): Promise<WriteResult> {
  const result: WriteResult = { batches: 0, written: 0, failed: 0, retryLater: 0 };
  for (const objectType of outputObjectTypes) await writePendingOfType(connection, hubspot, objectType, result, options.retryDelayMs ?? 500);
  return result;
}

async function writePendingOfType(connection: Connection, hubspot: PortalHubSpot, objectType: OutputObjectType, result: WriteResult, retryDelayMs: number): Promise<void> {
  const scores = recordScoreModel(connection);
  const { portalId } = hubspot;
  let retry: Pending[] = [];
  const exhausted: Pending[] = [];
  let lastId: Types.ObjectId | undefined;
  for (;;) {
    const page = (
      await scores
        .find({ portalId, objectType, writePending: true, writeAttempts: { $lt: MAX_WRITE_ATTEMPTS }, ...(lastId ? { _id: { $gt: lastId } } : {}) })
        .sort({ _id: 1 })
        .limit(WRITE_BATCH_SIZE)
        .lean()
    ).map((doc) => ({ _id: doc._id, objectId: doc.objectId, revision: doc.revision ?? 0, values: fromPairs(doc.values), written: fromPairs(doc.written), scoredAt: doc.scoredAt, writeAttempts: doc.writeAttempts ?? 0 }));
    if (page.length === 0) break;
    lastId = page[page.length - 1]._id;
    retry.push(...(await writeBatch(connection, hubspot, objectType, page, result)));
    // Full batches of refused records go out again at once, until each has had its tries.
    while (retry.filter((p) => p.writeAttempts < MAX_WRITE_ATTEMPTS).length >= WRITE_BATCH_SIZE) {
      const again = retry.filter((p) => p.writeAttempts < MAX_WRITE_ATTEMPTS);
      exhausted.push(...retry.filter((p) => p.writeAttempts >= MAX_WRITE_ATTEMPTS));
      retry = [...(await writeBatch(connection, hubspot, objectType, again.splice(0, WRITE_BATCH_SIZE), result)), ...again];
    }
  }
  // What HubSpot refused item by item gets a few more tries in this run, then waits for the next one.
  for (let attempt = 1; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const again = retry.filter((p) => p.writeAttempts < MAX_WRITE_ATTEMPTS);
    exhausted.push(...retry.filter((p) => p.writeAttempts >= MAX_WRITE_ATTEMPTS));
    retry = [];
    if (again.length === 0) break;
    await new Promise((r) => setTimeout(r, retryDelayMs * attempt));
    for (let i = 0; i < again.length; i += WRITE_BATCH_SIZE) retry.push(...(await writeBatch(connection, hubspot, objectType, again.slice(i, i + WRITE_BATCH_SIZE), result)));
  }
  const left = [...retry, ...exhausted];
  result.failed += left.length;
  result.retryLater += left.filter((p) => p.writeAttempts < MAX_WRITE_ATTEMPTS).length;
}

/** One batch call; returns the records HubSpot refused. */
async function writeBatch(connection: Connection, hubspot: PortalHubSpot, objectType: OutputObjectType, page: Pending[], result: WriteResult): Promise<Pending[]> {
  const scores = recordScoreModel(connection);
  const inputs: { id: string; properties: Record<string, string> }[] = [];
  for (const record of page) {
    const changed = changedProperties(record.values, record.written);
    if (Object.keys(changed).length === 0) {
      // Already what HubSpot has (a rescore came back to the written values).
      await scores.updateOne({ portalId: hubspot.portalId, _id: record._id, revision: record.revision }, { $set: { writePending: false } });
      continue;
    }
    changed.propensity_scored_at = (record.scoredAt ?? new Date()).toISOString();
    inputs.push({ id: record.objectId, properties: changed });
  }
  if (inputs.length === 0) return [];
  const answer = await hubspot.call((c) => c.crm.objects.batchApi.update(objectType, { inputs }));
  result.batches += 1;
  const returned = new Set(answer.results.map((r) => String(r.id)));
  const refused = new Map<string, string>();
  for (const error of ('errors' in answer ? answer.errors : undefined) ?? []) {
    for (const id of error.context?.ids ?? []) refused.set(String(id), `${error.category}: ${error.message}`);
  }
  const now = new Date();
  const failed: Pending[] = [];
  const operations = [];
  for (const record of page) {
    if (!inputs.some((i) => i.id === record.objectId)) continue;
    const error = returned.has(record.objectId) ? undefined : (refused.get(record.objectId) ?? NOT_RETURNED);
    if (error !== undefined) {
      record.writeAttempts += 1;
      failed.push(record);
      operations.push({ updateOne: { filter: { portalId: hubspot.portalId, _id: record._id }, update: { $set: { lastWriteError: error }, $inc: { writeAttempts: 1 } } } });
      continue;
    }
    result.written += 1;
    const written = toPairs(record.values);
    // Done only if the values did not change meanwhile; otherwise the next run writes the difference.
    operations.push({ updateOne: { filter: { portalId: hubspot.portalId, _id: record._id, revision: record.revision }, update: { $set: { written, writtenAt: now, writePending: false, writeAttempts: 0 }, $unset: { lastWriteError: 1 } } } });
    operations.push({ updateOne: { filter: { portalId: hubspot.portalId, _id: record._id, revision: { $ne: record.revision } }, update: { $set: { written, writtenAt: now } } } });
  }
  if (operations.length > 0) await scores.bulkWrite(operations, { ordered: true });
  return failed;
}
