/**
 * The `portal.process-webhooks` job: drains a portal's inbox in claimed batches. The inbox sweeper
 * (in every worker) queues it whenever a portal has due events; the dedupe key keeps it to one
 * queued job per portal, which also keeps one portal's flood from starving the others.
 */
import type { Connection } from 'mongoose';
import { webhookEventModel } from '../db/models/webhook-event.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { claimEvents, failEvents, settleEvents } from './claim-events.ts';
import type { CrmObjectType } from '../sync/crm-record.ts';
import { applyEventPlan, planEvents } from './process-events.ts';

export const PROCESS_WEBHOOKS = 'portal.process-webhooks';

export async function processPortalWebhooks(
  connection: Connection,
  hubspot: PortalHubSpot,
  appId: string,
  leaseMs: number,
  onChanged?: (changed: Map<CrmObjectType, string[]>) => Promise<void>,
): Promise<{ events: number; refreshed: number; dropped: number }> {
  let events = 0;
  const changed = new Map<CrmObjectType, string[]>();
  let refreshed = 0;
  let dropped = 0;
  for (;;) {
    const claim = await claimEvents(connection, hubspot.portalId, leaseMs);
    if (claim.events.length === 0) break;
    events += claim.events.length;
    const plan = planEvents(claim.events, appId);
    await settleEvents(connection, hubspot.portalId, claim.token, plan.ownWrites, 'dropped', "the app's own write");
    await settleEvents(connection, hubspot.portalId, claim.token, plan.unsupported, 'dropped', 'not an object event this app uses');
    dropped += plan.ownWrites.length + plan.unsupported.length;
    const acted = claim.events.filter((e) => plan.acted.includes(e._id));
    try {
      const result = await applyEventPlan(connection, hubspot, plan);
      refreshed += result.refreshed;
      for (const [type, ids] of result.changed) changed.set(type, [...(changed.get(type) ?? []), ...ids]);
      await settleEvents(connection, hubspot.portalId, claim.token, plan.acted, 'done', `refreshed ${result.refreshed}, removed ${result.removed}`);
    } catch (error) {
      await failEvents(connection, claim.token, acted, error);
      throw error;
    }
  }
  if (changed.size > 0) await onChanged?.(changed);
  return { events, refreshed, dropped };
}

/** Queues the processing job for every portal with due events. */
export async function sweepInbox(connection: Connection, now = new Date()): Promise<number> {
  const inbox = webhookEventModel(connection);
  const portals = new Set([
    ...(await inbox.distinct('portalId', { status: 'pending', runAt: { $lte: now } }).setOptions({ allPortals: true })),
    ...(await inbox.distinct('portalId', { status: 'processing', leaseUntil: { $lte: now } }).setOptions({ allPortals: true })),
  ]);
  for (const portalId of portals) {
    await enqueueJob(connection, { portalId, type: PROCESS_WEBHOOKS, dedupeKey: `${PROCESS_WEBHOOKS}:${portalId}` });
  }
  return portals.size;
}
