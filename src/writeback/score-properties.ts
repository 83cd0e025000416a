/**
 * A record's conclusion as the HubSpot property values Propensity writes, exactly as HubSpot stores
 * them (strings). Values are rounded to what a person reads (a whole score, a probability to two
 * decimals) so that a rescore that changes nothing visible writes nothing. A record scored for one
 * target has the other target's fields cleared. Pure.
 */
import type { EnrolmentDecision } from '../decisions/enrolment-decision.ts';
import type { Target } from '../features/label-settings.ts';

export type Tier = 'A' | 'B' | 'C' | 'D';

export interface RecordConclusion {
  target: Target;
  probability: number;
  tier: Tier;
  reasons: string;
  modelVersion: string;
  enrolment: EnrolmentDecision;
}

export function scoreProperties(c: RecordConclusion): Record<string, string> {
  const score = String(Math.round(c.probability * 100));
  const lead = c.target === 'lead';
  return {
    propensity_lead_score: lead ? score : '',
    propensity_lead_tier: lead ? c.tier : '',
    propensity_conversion_probability: lead ? c.probability.toFixed(2) : '',
    propensity_lead_reasons: lead ? c.reasons : '',
    propensity_churn_risk: lead ? '' : score,
    propensity_churn_tier: lead ? '' : c.tier,
    propensity_churn_reasons: lead ? '' : c.reasons,
    propensity_enrolment: c.enrolment.enrolment,
    propensity_enrolment_reason: c.enrolment.reason,
    propensity_model_version: c.modelVersion,
  };
}

/** The properties whose wanted value differs from the one written last (absent counts as empty). */
export function changedProperties(wanted: Record<string, string>, written: Record<string, string>): Record<string, string> {
  const changed: Record<string, string> = {};
  for (const [name, value] of Object.entries(wanted)) if ((written[name] ?? '') !== value) changed[name] = value;
  return changed;
}

/** `[{ name, value }]` as stored in MongoDB (names are data, never field paths) to a record, and back. */
export function fromPairs(pairs: ArrayLike<{ name: string; value?: string | null }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < (pairs?.length ?? 0); i++) out[pairs![i].name] = pairs![i].value ?? '';
  return out;
}

export function toPairs(values: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}
