/**
 * Simulated users: contacts visiting pages, opening and clicking marketing emails, submitting
 * forms, and HubSpot users editing records (lifecycle stage, any property, delete, restore, merge,
 * GDPR delete). Each produces the property history and webhooks the real action would, with the
 * source HubSpot would record (ANALYTICS, EMAIL, FORM, CRM_UI) — never INTEGRATION.
 */
import { objectNotFound, validationError } from '../errors.ts';
import { mulberry32 } from '../random.ts';
import { currentValue, type ChangeSource, type SandboxObject, type SandboxObjectType, type SandboxPortal } from '../sandbox-store.ts';
import { lifecycleStages, type LifecycleStage } from '../standard-properties.ts';

export type UserAction =
  | { type: 'pageView'; contactId: number; count?: number }
  | { type: 'emailOpen'; contactId: number; count?: number }
  | { type: 'emailClick'; contactId: number; count?: number }
  | { type: 'formSubmission'; contactId: number; formName?: string }
  | { type: 'lifecycleChange'; contactId: number; stage: LifecycleStage }
  | { type: 'propertyEdit'; objectType: SandboxObjectType; objectId: number; properties: Record<string, string> }
  | { type: 'archive' | 'restore'; objectType: SandboxObjectType; objectId: number }
  | { type: 'merge'; objectType: SandboxObjectType; primaryId: number; mergedId: number }
  | { type: 'privacyDeletion'; contactId: number };

export const USER_ID = 101;
const analytics: ChangeSource = { sourceType: 'ANALYTICS', changeSource: 'ANALYTICS' };
const email: ChangeSource = { sourceType: 'EMAIL', changeSource: 'EMAIL' };
const form: ChangeSource = { sourceType: 'FORM', changeSource: 'FORM' };
const user: ChangeSource = { sourceType: 'CRM_UI', sourceId: `userId:${USER_ID}`, changeSource: 'CRM_UI', userId: USER_ID };

function find(portal: SandboxPortal, type: SandboxObjectType, id: number, archived = false): SandboxObject {
  const object = portal.get(type, id, archived);
  if (!object) throw objectNotFound(`No ${type} ${id} in portal ${portal.id}${archived ? ' (archived)' : ''}`);
  return object;
}

const plus = (object: SandboxObject, name: string, by: number) => String(Number(currentValue('contacts', object, name) ?? '0') + by);
const count = (n: number | undefined) => {
  const value = n ?? 1;
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw validationError('count must be a whole number from 1 to 1000');
  return value;
};

/** Performs one user action at `at`; returns the names of the properties it changed. */
export function simulateUserAction(portal: SandboxPortal, action: UserAction, at = Date.now()): string[] {
  const iso = new Date(at).toISOString();
  switch (action.type) {
    case 'pageView': {
      const contact = find(portal, 'contacts', action.contactId);
      const views = count(action.count);
      return portal.write('contacts', contact, {
        ...(contact.props.has('hs_analytics_first_visit_timestamp') ? {} : { hs_analytics_first_visit_timestamp: iso }),
        hs_analytics_num_page_views: plus(contact, 'hs_analytics_num_page_views', views),
        hs_analytics_num_visits: plus(contact, 'hs_analytics_num_visits', 1),
        hs_analytics_last_visit_timestamp: iso,
      }, analytics, at);
    }
    case 'emailOpen': {
      const contact = find(portal, 'contacts', action.contactId);
      return portal.write('contacts', contact, { hs_email_open: plus(contact, 'hs_email_open', count(action.count)), hs_email_last_open_date: iso }, email, at);
    }
    case 'emailClick': {
      const contact = find(portal, 'contacts', action.contactId);
      const clicks = count(action.count);
      return portal.write('contacts', contact, {
        hs_email_open: plus(contact, 'hs_email_open', clicks), hs_email_click: plus(contact, 'hs_email_click', clicks), hs_email_last_click_date: iso,
      }, email, at);
    }
    case 'formSubmission': {
      const contact = find(portal, 'contacts', action.contactId);
      return portal.write('contacts', contact, {
        ...(contact.props.has('first_conversion_date') ? {} : { first_conversion_date: iso }),
        num_conversion_events: plus(contact, 'num_conversion_events', 1),
        recent_conversion_date: iso,
        recent_conversion_event_name: action.formName ?? 'Contact us',
      }, form, at);
    }
    case 'lifecycleChange': {
      if (!lifecycleStages.includes(action.stage)) throw validationError(`stage must be one of ${lifecycleStages.join(', ')}`);
      const contact = find(portal, 'contacts', action.contactId);
      return portal.write('contacts', contact, { lifecyclestage: action.stage, [`hs_lifecyclestage_${action.stage}_date`]: iso }, user, at);
    }
    case 'propertyEdit': {
      const object = find(portal, action.objectType, action.objectId);
      const unknown = Object.keys(action.properties).filter((name) => !portal.properties[action.objectType].has(name));
      if (unknown.length > 0) throw validationError(`No such ${action.objectType} properties: ${unknown.join(', ')}`);
      return portal.write(action.objectType, object, Object.fromEntries(Object.entries(action.properties).map(([k, v]) => [k, String(v)])), user, at);
    }
    case 'archive':
      portal.archive(action.objectType, find(portal, action.objectType, action.objectId), user, at);
      return [];
    case 'restore':
      portal.restore(action.objectType, find(portal, action.objectType, action.objectId, true), user, at);
      return [];
    case 'merge': {
      const primary = find(portal, action.objectType, action.primaryId);
      const merged = find(portal, action.objectType, action.mergedId);
      if (primary.id === merged.id) throw validationError('An object cannot be merged with itself');
      portal.merge(action.objectType, primary, merged, user, at);
      return [];
    }
    case 'privacyDeletion':
      portal.privacyDelete(find(portal, 'contacts', action.contactId), user, at);
      return [];
    default:
      throw validationError(`Unknown action type ${String((action as { type?: unknown }).type)}`);
  }
}

/**
 * A burst of ordinary activity on `contacts` random contacts (or the ones named): every one views
 * pages; most open an email, some click, a few submit a form. Seeded. Returns the contacts' ids.
 */
export function simulateActivity(portal: SandboxPortal, options: { contacts?: number; contactIds?: number[]; seed?: number } = {}, at = Date.now()): number[] {
  const random = mulberry32(options.seed ?? at);
  let chosen: number[];
  if (options.contactIds) {
    chosen = options.contactIds.filter((id) => portal.get('contacts', id));
  } else {
    const live = portal.ids('contacts').filter((id) => portal.get('contacts', id));
    chosen = Array.from({ length: Math.min(options.contacts ?? 5, live.length) }, () => live[Math.floor(random() * live.length)]);
  }
  for (const contactId of chosen) {
    simulateUserAction(portal, { type: 'pageView', contactId, count: 3 + Math.floor(random() * 8) }, at);
    if (random() < 0.7) simulateUserAction(portal, { type: random() < 0.4 ? 'emailClick' : 'emailOpen', contactId }, at);
    if (random() < 0.3) simulateUserAction(portal, { type: 'formSubmission', contactId }, at);
  }
  return chosen;
}
