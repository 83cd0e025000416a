/**
 * Which CRM properties may be model inputs. Leaky inputs are excluded by rule: the label's own
 * property, stage fields that encode the outcome, record bookkeeping, and every property the app
 * writes. (Values timestamped after the snapshot never reach a feature at all: see crm-history.ts.)
 */
import { isOutputProperty } from '../writeback/output-properties.ts';
import type { LabelSettings, Target } from './label-settings.ts';

const bookkeeping = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate', 'associatedcompanyid', 'hs_all_owner_ids', 'hubspot_owner_id']);
/** Written by sales or HubSpot when, or because, the outcome happens. */
const outcomeFields = [/^lifecyclestage$/, /^hs_lifecyclestage_/, /^hs_lead_status$/, /became_a_customer/, /closed_?won/i, /^hs_is_closed/, /^dealstage$/, /^hs_date_entered_/, /^hs_date_exited_/, /^hs_time_in_/];

export function isAllowedInput(name: string, _target: Target, _settings: LabelSettings): boolean {
  if (isOutputProperty(name) || bookkeeping.has(name)) return false;
  return !outcomeFields.some((pattern) => pattern.test(name));
}
