/**
 * Which properties the sync asks for: the standard ones the models use, plus every custom property
 * of the portal (a portal's own fields often carry its best signals), never the app's own outputs,
 * and no more than fits in a request URL (HubSpot answers 414 to very long property lists).
 */
import { isOutputProperty } from '../writeback/output-properties.ts';
import type { CrmObjectType } from './crm-record.ts';

export const standardProperties: Record<CrmObjectType, string[]> = {
  contacts: [
    'createdate', 'lastmodifieddate', 'lifecyclestage', 'hs_lead_status', 'hs_analytics_source',
    'hs_analytics_num_page_views', 'hs_analytics_num_visits', 'hs_analytics_num_event_completions',
    'hs_analytics_first_visit_timestamp', 'hs_analytics_last_visit_timestamp', 'num_conversion_events',
    'num_unique_conversion_events', 'recent_conversion_date', 'first_conversion_date',
    'hs_email_open', 'hs_email_click', 'hs_email_bounce', 'hs_email_delivered', 'hs_email_optout',
    'hs_email_last_open_date', 'hs_email_last_click_date', 'hs_email_last_send_date',
    'hs_sales_email_last_replied', 'num_contacted_notes', 'notes_last_contacted', 'hs_last_sales_activity_timestamp',
    'jobtitle', 'country', 'industry', 'associatedcompanyid', 'num_associated_deals',
    'hs_lifecyclestage_customer_date', 'hs_lifecyclestage_lead_date', 'hs_lifecyclestage_marketingqualifiedlead_date',
    'hs_lifecyclestage_salesqualifiedlead_date', 'hs_lifecyclestage_opportunity_date', 'hs_do_not_contact',
    'hs_object_id',
  ],
  companies: [
    'createdate', 'hs_lastmodifieddate', 'lifecyclestage', 'industry', 'numberofemployees', 'annualrevenue',
    'country', 'type', 'num_associated_contacts', 'num_associated_deals', 'hs_num_open_deals', 'total_revenue',
    'recent_deal_amount', 'recent_deal_close_date', 'hs_analytics_num_page_views', 'hs_lifecyclestage_customer_date',
    'hs_object_id',
  ],
  deals: [
    'createdate', 'hs_lastmodifieddate', 'dealstage', 'pipeline', 'amount', 'closedate', 'dealtype',
    'hs_is_closed', 'hs_is_closed_won', 'hs_deal_stage_probability', 'hs_object_id',
  ],
};

export interface PropertyDefinition {
  name: string;
  hubspotDefined?: boolean;
  hidden?: boolean;
  calculated?: boolean;
}

/** Characters of comma-joined names per list: `properties` and `propertiesWithHistory` both carry it. */
export const PROPERTY_LIST_BUDGET = 3_000;

export function chooseSyncedProperties(objectType: CrmObjectType, portalProperties: PropertyDefinition[], budget = PROPERTY_LIST_BUDGET): { names: string[]; left: string[] } {
  const existing = new Set(portalProperties.map((p) => p.name));
  const standard = standardProperties[objectType].filter((name) => existing.has(name));
  const custom = portalProperties
    .filter((p) => p.hubspotDefined !== true && !p.hidden)
    .map((p) => p.name)
    .sort();
  const wanted = [...new Set([...standard, ...custom])].filter((name) => !isOutputProperty(name));
  const names: string[] = [];
  let length = 0;
  for (const name of wanted) {
    if (length + name.length + 1 > budget) break;
    names.push(name);
    length += name.length + 1;
  }
  return { names, left: wanted.slice(names.length) };
}
