/**
 * A contact's sends and engagements from what the app already syncs: each change in the history of
 * the "last send / open / click / visit / sales activity" properties is one event, at the time the
 * value names (HubSpot keeps each value's history, so the changes are the events). Pure.
 */
import { parseTime, type RecordHistory } from '../features/crm-history.ts';
import type { ContactEngagement, EngagementKind } from './engagement-times.ts';

export const sendTimeSourceProperties = {
  send: 'hs_email_last_send_date',
  open: 'hs_email_last_open_date',
  click: 'hs_email_last_click_date',
  visit: 'hs_analytics_last_visit_timestamp',
  activity: 'hs_last_sales_activity_timestamp',
} as const;

/** The distinct times the property's values name, up to `asOf`. */
function eventTimes(record: RecordHistory, property: string, asOf: number): number[] {
  const times = new Set<number>();
  for (const change of record.changesBetween(property, Number.NEGATIVE_INFINITY, asOf)) {
    const at = parseTime(change.value);
    if (at !== undefined && at <= asOf) times.add(at);
  }
  return [...times].sort((a, b) => a - b);
}

export function engagementFromHistory(record: RecordHistory, asOf: number, timeZone?: string): ContactEngagement {
  const engagements: ContactEngagement['engagements'] = [];
  for (const kind of ['open', 'click', 'visit', 'activity'] as EngagementKind[]) {
    for (const at of eventTimes(record, sendTimeSourceProperties[kind], asOf)) engagements.push({ at, kind });
  }
  engagements.sort((a, b) => a.at - b.at);
  return { contact: record.objectId, timeZone, sends: eventTimes(record, sendTimeSourceProperties.send, asOf), engagements };
}
