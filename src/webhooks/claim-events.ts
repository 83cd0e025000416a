/**
 * Takes a portal's pending webhook events from the inbox for one worker: each event is moved to
 * `processing` under this claim's token by an atomic per-document update, so two workers never hold
 * the same event; a crashed worker's claim expires and the events become claimable again.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { webhookEventModel, type WebhookEventDocument } from '../db/models/webhook-event.ts';

export const CLAIM_SIZE = 500;
export const MAX_EVENT_ATTEMPTS = 8;

export async function claimEvents(connection: Connection, portalId: number, leaseMs: number, now = new Date()): Promise<{ token: string; events: WebhookEventDocument[] }> {
  const inbox = webhookEventModel(connection);
  // Two plain queries rather than one $or: the embedded engine cannot plan an $or with a sort.
  const due = [
    { portalId, status: 'pending' as const, runAt: { $lte: now } },
    { portalId, status: 'processing' as const, leaseUntil: { $lte: now } },
  ];
  const token = randomUUID();
  let claimed = 0;
  for (const filter of due) {
    if (claimed >= CLAIM_SIZE) break;
    const candidates = (await inbox.find(filter, { _id: 1 }).sort({ occurredAt: 1 }).limit(CLAIM_SIZE - claimed).lean()).map((e) => e._id);
    if (candidates.length === 0) continue;
    const result = await inbox.updateMany(
      { _id: { $in: candidates }, ...filter },
      { $set: { status: 'processing', leaseHolder: token, leaseUntil: new Date(now.getTime() + leaseMs) }, $inc: { attempts: 1 } },
    );
    claimed += result.modifiedCount;
  }
  if (claimed === 0) return { token: '', events: [] };
  const events = await inbox.find({ portalId, leaseHolder: token, status: 'processing' }).sort({ occurredAt: 1 }).lean();
  return { token, events };
}

export async function settleEvents(connection: Connection, portalId: number, token: string, ids: string[], status: 'done' | 'dropped', outcome: string): Promise<void> {
  if (ids.length === 0) return;
  await webhookEventModel(connection).updateMany(
    { portalId, _id: { $in: ids }, leaseHolder: token },
    { $set: { status, outcome }, $unset: { leaseHolder: 1, leaseUntil: 1 } },
  );
}

/** A failed event waits (exponential backoff), and after its last attempt is dead-lettered with the error. */
export async function failEvents(connection: Connection, token: string, events: WebhookEventDocument[], error: unknown, now = new Date()): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  const inbox = webhookEventModel(connection);
  for (const event of events) {
    const dead = event.attempts >= MAX_EVENT_ATTEMPTS;
    await inbox.updateOne(
      { portalId: event.portalId, _id: event._id, leaseHolder: token },
      dead
        ? { $set: { status: 'dead', lastError: message }, $unset: { leaseHolder: 1, leaseUntil: 1 } }
        : { $set: { status: 'pending', lastError: message, runAt: new Date(now.getTime() + Math.min(3_600_000, 1_000 * 2 ** event.attempts)) }, $unset: { leaseHolder: 1, leaseUntil: 1 } },
    );
  }
}
