/**
 * From a model's probabilities to what Propensity concludes about each record: the tier, the
 * reasons in words, the enrolment decision (hysteresis against the previous one, opt-outs, the
 * control group) and the property values to write. Pure: plain data in, plain data out.
 */
import { decideEnrolment, type Enrolment } from '../decisions/enrolment-decision.ts';
import type { DecisionSettings } from '../decisions/decision-settings.ts';
import type { Target } from '../features/label-settings.ts';
import { reasonsText, type Contribution } from '../models/reasons.ts';
import { scoreProperties, type Tier } from '../writeback/score-properties.ts';

/** The lowest probability of tiers A, B and C: they line up with the decision thresholds. */
export function tierBounds(target: Target, s: DecisionSettings): [a: number, b: number, c: number] {
  return target === 'lead'
    ? [s.salesFastTrack, s.marketingNurture, s.marketingNurture / 2]
    : [s.retentionPlaybook, s.retentionPlaybook / 2, s.retentionPlaybook / 4];
}

/** Tiers line up with the decision thresholds, so "A" is what goes to sales (or gets the retention playbook). */
export function tierOf(target: Target, probability: number, s: DecisionSettings): Tier {
  const [a, b, c] = tierBounds(target, s);
  return probability >= a ? 'A' : probability >= b ? 'B' : probability >= c ? 'C' : 'D';
}

/** HubSpot properties that mean "do not enrol this record in anything" ("true", or any hard-bounce reason). */
export const doNotContactProperties = ['hs_do_not_contact', 'hs_email_optout', 'hs_email_quarantined', 'hs_email_bad_address', 'hs_email_hard_bounce_reason_enum'];

export function isDoNotContact(current: (name: string) => string | undefined): boolean {
  if (doNotContactProperties.slice(0, 4).some((name) => current(name)?.toLowerCase() === 'true')) return true;
  const bounce = current('hs_email_hard_bounce_reason_enum');
  return bounce !== undefined && bounce !== '' && bounce !== 'NONE';
}

export interface ConcludeInput {
  portalId: number;
  objectType: string;
  objectId: string;
  target: Target;
  probability: number;
  contributions: Contribution[];
  modelVersion: string;
  doNotContact: boolean;
  previous: Enrolment | undefined;
  settings: DecisionSettings;
}

export function conclude(input: ConcludeInput) {
  const { target, probability, settings } = input;
  const enrolment = decideEnrolment(
    {
      recordKey: `${input.portalId}:${input.objectType}:${input.objectId}`,
      isCustomer: target === 'churn',
      doNotContact: input.doNotContact,
      leadProbability: target === 'lead' ? probability : undefined,
      churnProbability: target === 'churn' ? probability : undefined,
      previous: input.previous,
    },
    settings,
  );
  const conclusion = { target, probability, tier: tierOf(target, probability, settings), reasons: reasonsText(input.contributions), modelVersion: input.modelVersion, enrolment };
  return { ...conclusion, values: scoreProperties(conclusion) };
}
