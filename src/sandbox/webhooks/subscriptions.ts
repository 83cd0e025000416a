/**
 * Which webhook subscriptions of an app a CRM change matches, from its webhooks definition
 * (webhooks/webhooks.json): `legacyCrmObjects` (`contact.propertyChange` with a `propertyName`,
 * `deal.creation`, …), `crmObjects` (`object.propertyChange` with an `objectType`) and `hubEvents`
 * (`contact.privacyDeletion`). A `propertyChange` subscription names one property.
 */
import type { WebhooksDefinition, WebhookSubscription } from '../../install/app-definition.ts';
import { objectTypeIds, singular, type Change, type SandboxObjectType } from '../sandbox-store.ts';

export interface MatchedSubscription {
  subscriptionId: number;
  subscriptionType: string;
  /** Set for the `object.*` (crmObjects) form. */
  objectTypeId?: string;
}

const typeByName: Record<string, SandboxObjectType> = { contact: 'contacts', company: 'companies', deal: 'deals', '0-1': 'contacts', '0-2': 'companies', '0-3': 'deals' };

/** A lookup from `type|kind|propertyName` to the subscriptions it matches; subscription ids are stable per definition. */
export function compileSubscriptions(definition: WebhooksDefinition): Map<string, MatchedSubscription[]> {
  const lookup = new Map<string, MatchedSubscription[]>();
  const add = (key: string, match: MatchedSubscription) => lookup.set(key, [...(lookup.get(key) ?? []), match]);
  const all: WebhookSubscription[] = [...definition.subscriptions.legacyCrmObjects, ...definition.subscriptions.crmObjects, ...definition.subscriptions.hubEvents];
  all.forEach((subscription, index) => {
    if (!subscription.active) return;
    const [prefix, kind] = subscription.subscriptionType.split('.');
    const objectType = prefix === 'object' ? typeByName[String(subscription.objectType)] : typeByName[prefix];
    if (!objectType) return;
    const match: MatchedSubscription = { subscriptionId: 1000 + index, subscriptionType: subscription.subscriptionType };
    if (prefix === 'object') match.objectTypeId = objectTypeIds[objectType];
    add(`${objectType}|${kind}|${kind === 'propertyChange' ? subscription.propertyName ?? '' : ''}`, match);
  });
  return lookup;
}

export function matchingSubscriptions(lookup: Map<string, MatchedSubscription[]>, change: Change): MatchedSubscription[] {
  const property = change.kind === 'propertyChange' ? change.propertyName ?? '' : '';
  return lookup.get(`${change.objectType}|${change.kind}|${property}`) ?? [];
}

/** The event HubSpot sends for a change, with the fields of its kind. */
export function eventFields(change: Change): Record<string, unknown> {
  const fields: Record<string, unknown> = { objectId: change.objectId, changeSource: change.source.changeSource };
  if (change.source.sourceId !== undefined) fields.sourceId = change.source.sourceId;
  if (change.kind === 'propertyChange') {
    fields.propertyName = change.propertyName;
    fields.propertyValue = change.propertyValue;
  }
  return { ...fields, ...change.details };
}

export const subscriptionObjectName = (type: SandboxObjectType) => singular[type];
