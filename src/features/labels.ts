/**
 * Who is in a snapshot's population and what happened to them in (T, T + horizon]: the training
 * labels. Pure: histories and settings in, a yes / no / not-in-population answer out.
 */
import type { RecordHistory } from './crm-history.ts';
import { renewalLostBetween, wonBetween } from './deal-outcomes.ts';
import { DAY_MS, type LabelSettings, type Target } from './label-settings.ts';
import { atOrBeyond, leftStage, reachedStage } from './lifecycle.ts';

export interface Subject {
  record: RecordHistory;
  /** The deals associated with the record. */
  deals: RecordHistory[];
}

/** Is the record someone the target's model should score at time T? */
export function inPopulation(target: Target, subject: Subject, settings: LabelSettings, time: number): boolean {
  const { record } = subject;
  if (!(record.createdAt <= time)) return false;
  const stage = record.valueAt('lifecyclestage', time);
  if (target === 'churn') {
    if (settings.churn.kind === 'no-new-won-deal') return subject.deals.some((d) => wonBetween(d, Number.NEGATIVE_INFINITY, time).length > 0);
    return atOrBeyond(stage, 'customer');
  }
  if (atOrBeyond(stage, 'customer')) return false;
  if (settings.lead.kind === 'lifecycle') return !atOrBeyond(stage, settings.lead.stage);
  return !subject.deals.some((d) => wonBetween(d, Number.NEGATIVE_INFINITY, time).length > 0);
}

/** 1 if the outcome happened in (T, T + horizon], else 0. Only meaningful once T + horizon has passed. */
export function outcome(target: Target, subject: Subject, settings: LabelSettings, time: number): 0 | 1 {
  const end = time + settings.horizonDays * DAY_MS;
  const { record, deals } = subject;
  if (target === 'lead') {
    if (settings.lead.kind === 'lifecycle') return reachedStage(record, settings.lead.stage, time, end) ? 1 : 0;
    return deals.some((d) => wonBetween(d, time, end).length > 0) ? 1 : 0;
  }
  if (settings.churn.kind === 'no-new-won-deal') return deals.some((d) => wonBetween(d, time, end).length > 0) ? 0 : 1;
  return leftStage(record, 'customer', time, end) || deals.some((d) => renewalLostBetween(d, time, end)) ? 1 : 0;
}
