/**
 * The enrolment decision for one record: existing customers get churn decisions, everyone else lead
 * decisions; never an enrolment for a record that opted out or must not be contacted; a held-out
 * control share; and hysteresis, so a record near a threshold keeps its decision on every rescore.
 * Pure: the record's state and the settings in, the decision out.
 */
import { isInControlGroup } from './control-group.ts';
import type { DecisionSettings } from './decision-settings.ts';

export const enrolments = ['sales_fast_track', 'marketing_nurture', 'retention_playbook', 'none'] as const;
export type Enrolment = (typeof enrolments)[number];

export interface RecordForDecision {
  /** `portal:type:id`, the control group's key. */
  recordKey: string;
  isCustomer: boolean;
  /** hs_email_optout, hs_do_not_contact and the like. */
  doNotContact: boolean;
  leadProbability: number | undefined;
  churnProbability: number | undefined;
  /** The decision written last time, if any. */
  previous: Enrolment | undefined;
  /**
   * The predicted change in the outcome's probability from each action, by the enrolment's uplift
   * model (for a lead, a rise in converting; for a customer, a fall in leaving, as a positive gain).
   * Present only for the actions that have one; used when the settings target by uplift.
   */
  expectedGain?: Partial<Record<Exclude<Enrolment, 'none'>, number>>;
}

export interface EnrolmentDecision {
  enrolment: Enrolment;
  reason: string;
  /** Qualified for `wouldBe` but held out as control. */
  control: boolean;
  wouldBe: Enrolment;
}

/** A threshold, lowered by the hysteresis for a record that already holds the decision. */
function passes(probability: number, threshold: number, holds: boolean, hysteresis: number): boolean {
  return probability >= (holds ? threshold - hysteresis : threshold);
}

/** Actions open to the record: the retention playbook for customers, the lead actions for everyone else. */
function actionsFor(record: RecordForDecision): Exclude<Enrolment, 'none'>[] {
  return record.isCustomer ? ['retention_playbook'] : ['sales_fast_track', 'marketing_nurture'];
}

const actionNames: Record<Exclude<Enrolment, 'none'>, string> = { sales_fast_track: 'the fast track', marketing_nurture: 'the nurture track', retention_playbook: 'the retention playbook' };

/**
 * Targeting by uplift: the action whose expected gain × value most exceeds its cost, or none. Null
 * when an action open to the record has no uplift model yet (then the thresholds decide).
 */
function qualifyByUplift(record: RecordForDecision, s: DecisionSettings): { enrolment: Enrolment; reason: string } | null {
  const actions = actionsFor(record);
  const gains = actions.map((action) => ({ action, gain: record.expectedGain?.[action] }));
  if (gains.some((g) => g.gain === undefined || !Number.isFinite(g.gain))) return null;
  const net = gains.map(({ action, gain }) => ({ action, gain: gain!, net: gain! * s.outcomeValue - s.actionCosts[action] }));
  const best = net.reduce((a, c) => (c.net > a.net ? c : a));
  const expected = `expected ${points(best.gain)} from ${actionNames[best.action]}`;
  if (best.net > 0) return { enrolment: best.action, reason: `${expected}, worth more than its cost (uplift targeting)` };
  return { enrolment: 'none', reason: `${expected} does not cover its cost (uplift targeting)` };
}

function qualify(record: RecordForDecision, s: DecisionSettings): { enrolment: Enrolment; reason: string } {
  if (s.targetByUplift) {
    const byUplift = qualifyByUplift(record, s);
    if (byUplift) return byUplift;
  }
  if (record.isCustomer) {
    const p = record.churnProbability;
    if (p !== undefined && passes(p, s.retentionPlaybook, record.previous === 'retention_playbook', s.hysteresis)) {
      return { enrolment: 'retention_playbook', reason: `churn risk ${pct(p)} is at or above the retention threshold ${pct(s.retentionPlaybook)}` };
    }
    return { enrolment: 'none', reason: p === undefined ? 'customer without a churn score yet' : `churn risk ${pct(p)} is below the retention threshold ${pct(s.retentionPlaybook)}` };
  }
  const p = record.leadProbability;
  if (p === undefined) return { enrolment: 'none', reason: 'no lead score yet' };
  if (passes(p, s.salesFastTrack, record.previous === 'sales_fast_track', s.hysteresis)) {
    return { enrolment: 'sales_fast_track', reason: `conversion probability ${pct(p)} is at or above the sales threshold ${pct(s.salesFastTrack)}` };
  }
  const heldNurture = record.previous === 'marketing_nurture' || record.previous === 'sales_fast_track';
  if (passes(p, s.marketingNurture, heldNurture, s.hysteresis)) {
    return { enrolment: 'marketing_nurture', reason: `conversion probability ${pct(p)} is at or above the nurture threshold ${pct(s.marketingNurture)}` };
  }
  return { enrolment: 'none', reason: `conversion probability ${pct(p)} is below the nurture threshold ${pct(s.marketingNurture)}` };
}

export function decideEnrolment(record: RecordForDecision, settings: DecisionSettings): EnrolmentDecision {
  const { enrolment, reason } = qualify(record, settings);
  if (enrolment === 'none') return { enrolment, reason, control: false, wouldBe: 'none' };
  if (record.doNotContact) {
    return { enrolment: 'none', reason: `would be ${enrolment}, but the record opted out or must not be contacted`, control: false, wouldBe: enrolment };
  }
  if (isInControlGroup(record.recordKey, settings.controlShare)) {
    return { enrolment: 'none', reason: `control group (would be ${enrolment})`, control: true, wouldBe: enrolment };
  }
  return { enrolment, reason, control: false, wouldBe: enrolment };
}

/** A change in probability in points: "+6 points", "−2 points", "+1 point". */
function points(gain: number): string {
  const n = Math.round(gain * 100);
  return `${n >= 0 ? '+' : '−'}${Math.abs(n)} point${Math.abs(n) === 1 ? '' : 's'}`;
}

function pct(p: number): string {
  return `${Math.round(p * 100)} %`;
}
