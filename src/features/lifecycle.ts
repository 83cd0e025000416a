/** HubSpot's lifecycle stages in funnel order, and questions about a record's path through them. */
import type { RecordHistory } from './crm-history.ts';

export const lifecycleStages = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist'] as const;

const rank = new Map<string, number>(lifecycleStages.map((stage, i) => [stage, i]));

/** True when `stage` is `target` or further down the funnel (an evangelist has been a customer). */
export function atOrBeyond(stage: string | undefined, target: string): boolean {
  if (stage === undefined) return false;
  const r = rank.get(stage);
  const t = rank.get(target);
  if (r === undefined || t === undefined) return stage === target;
  return r >= t;
}

/** Whether the record's lifecycle reached `target` (or beyond) at some moment in (from, to]. */
export function reachedStage(record: RecordHistory, target: string, from: number, to: number): boolean {
  return record.changesBetween('lifecyclestage', from, to).some((change) => atOrBeyond(change.value, target));
}

/** Whether the record's lifecycle moved from `stage` to anything else in (from, to]. */
export function leftStage(record: RecordHistory, stage: string, from: number, to: number): boolean {
  return record.changesBetween('lifecyclestage', from, to).some((change) => change.value !== stage && !(stage === 'customer' && change.value === 'evangelist'));
}
