/**
 * Acts on a portal's claimed webhook events, coalesced per object: changes re-read the object from
 * HubSpot (never trusting `propertyValue`) and store it; deletions remove the local copy; privacy
 * deletions remove every trace; merges fold the merged records into the survivor. Events caused by
 * this app's own writes are recorded and dropped, so write-back never loops.
 */
import type { Connection } from 'mongoose';
import type { WebhookEventDocument } from '../db/models/webhook-event.ts';
import { webhookEventModel } from '../db/models/webhook-event.ts';
import type { PortalHubSpot } from '../hubspot/get-hubspot-client.ts';
import type { CrmObjectType } from '../sync/crm-record.ts';
import { deleteRecords } from '../sync/store-records.ts';
import { syncObjects } from '../sync/sync-objects.ts';

const objectTypes: Record<string, CrmObjectType> = { contact: 'contacts', company: 'companies', deal: 'deals' };

export interface EventPlan {
  /** Objects to re-read from HubSpot, per type. */
  refresh: Map<CrmObjectType, Set<string>>;
  /** Objects deleted in HubSpot, per type. */
  remove: Map<CrmObjectType, Set<string>>;
  /** Contacts whose every trace must go (privacy deletion). */
  forget: Set<string>;
  ownWrites: string[];
  unsupported: string[];
  acted: string[];
}

/** Pure: which objects to refresh or delete for a set of events, last event per object winning. */
export function planEvents(events: WebhookEventDocument[], appId: string): EventPlan {
  const plan: EventPlan = { refresh: new Map(), remove: new Map(), forget: new Set(), ownWrites: [], unsupported: [], acted: [] };
  const add = (map: Map<CrmObjectType, Set<string>>, type: CrmObjectType, id: string) => {
    if (!map.has(type)) map.set(type, new Set());
    map.get(type)!.add(id);
  };
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const event of ordered) {
    if (event.changeSource === 'INTEGRATION' && event.sourceId === appId) {
      plan.ownWrites.push(event._id);
      continue;
    }
    const type = objectTypes[event.objectType];
    const [, kind] = event.subscriptionType.split('.');
    if (!type || event.objectId === undefined || event.objectId === null) {
      plan.unsupported.push(event._id);
      continue;
    }
    const id = String(event.objectId);
    plan.acted.push(event._id);
    if (kind === 'deletion' || kind === 'privacyDeletion') {
      plan.refresh.get(type)?.delete(id);
      add(plan.remove, type, id);
      if (kind === 'privacyDeletion') plan.forget.add(id);
    } else if (kind === 'merge') {
      const details = (event.details ?? {}) as { mergedObjectIds?: number[]; primaryObjectId?: number; newObjectId?: number };
      for (const merged of details.mergedObjectIds ?? []) {
        const mergedId = String(merged);
        const survivor = String(details.newObjectId ?? details.primaryObjectId ?? id);
        if (mergedId !== survivor) add(plan.remove, type, mergedId);
      }
      add(plan.refresh, type, String(details.newObjectId ?? details.primaryObjectId ?? id));
    } else {
      // creation, propertyChange, restore, associationChange: the object as it is now wins.
      plan.remove.get(type)?.delete(id);
      add(plan.refresh, type, id);
    }
  }
  return plan;
}

export async function applyEventPlan(
  connection: Connection,
  hubspot: PortalHubSpot,
  plan: EventPlan,
): Promise<{ refreshed: number; removed: number; changed: Map<CrmObjectType, string[]> }> {
  let refreshed = 0;
  const changed = new Map<CrmObjectType, string[]>();
  let removed = 0;
  for (const [type, ids] of plan.remove) removed += await deleteRecords(connection, hubspot.portalId, type, [...ids]);
  if (plan.forget.size > 0) {
    // Privacy deletion: no trace of the contact's values stays in the inbox either.
    await webhookEventModel(connection).updateMany(
      { portalId: hubspot.portalId, objectType: 'contact', objectId: { $in: [...plan.forget].map(Number) } },
      { $unset: { propertyValue: 1, propertyName: 1 } },
    );
  }
  for (const [type, ids] of plan.refresh) {
    const list = [...ids];
    for (let i = 0; i < list.length; i += 100) {
      const { stored } = await syncObjects(connection, hubspot, type, list.slice(i, i + 100));
      refreshed += stored.length;
      changed.set(type, [...(changed.get(type) ?? []), ...stored]);
    }
  }
  return { refreshed, removed, changed };
}
