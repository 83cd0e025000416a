/**
 * When a portal's model is retrained before its nightly run: when its scores drift (population
 * stability above 0.2, score-drift.ts), or when it ranks the outcomes that became known in the last
 * 30 days worse than it ranked its validation holdout by more than 0.05 AUC. A model younger than a
 * day is left alone (it was just trained on what is there). Pure.
 *
 * @example earlyRetrainReason({ target: 'churn', trainedAt: 0, now: 2 * 86_400_000, outcomes: { auc: 0.70, validationAuc: 0.80, rows: 500 } })
 * // => "churn AUC on the last 30 days' outcomes 0.700 is 0.100 below its validation AUC 0.800 (500 outcomes)"
 */
import { DAY_MS } from '../features/label-settings.ts';
import { DRIFT_THRESHOLD } from './score-drift.ts';

export const AUC_DROP_THRESHOLD = 0.05;
export const RECENT_OUTCOME_DAYS = 30;
/** A model younger than this is not retrained early. */
export const MIN_MODEL_AGE_MS = DAY_MS;

export interface OutcomeCheck {
  /** The model's AUC on the outcomes that became known in the last 30 days. */
  auc: number;
  /** The AUC it was validated with when it was promoted. */
  validationAuc: number;
  rows: number;
}

export interface RetrainSignals {
  target: string;
  trainedAt: number;
  now: number;
  psi?: number;
  outcomes?: OutcomeCheck;
}

/**
 * Snapshot times whose horizon closed in the last 30 days, a week apart: rows at these times have
 * outcomes that became known in (now − 30 days, now].
 */
export function recentOutcomeSnapshots(now: number, horizonDays: number): number[] {
  const times: number[] = [];
  for (let back = 0; back < RECENT_OUTCOME_DAYS; back += 7) times.push(now - (horizonDays + back) * DAY_MS);
  return times.reverse();
}

/** Whether the recent AUC is more than 0.05 below the validation AUC (never when either is unknown). */
export function aucDropped(validationAuc: number, recentAuc: number): boolean {
  // The epsilon keeps a drop of exactly 0.05 (0.80 → 0.75 in floating point) from counting.
  return Number.isFinite(validationAuc) && Number.isFinite(recentAuc) && validationAuc - recentAuc > AUC_DROP_THRESHOLD + 1e-12;
}

export function earlyRetrainReason({ target, trainedAt, now, psi, outcomes }: RetrainSignals): string | undefined {
  if (now - trainedAt <= MIN_MODEL_AGE_MS) return undefined;
  if (psi !== undefined && psi > DRIFT_THRESHOLD) return `${target} score drift: PSI ${psi.toFixed(3)}`;
  if (outcomes && aucDropped(outcomes.validationAuc, outcomes.auc)) {
    const { auc, validationAuc, rows } = outcomes;
    return `${target} AUC on the last ${RECENT_OUTCOME_DAYS} days' outcomes ${auc.toFixed(3)} is ${(validationAuc - auc).toFixed(3)} below its validation AUC ${validationAuc.toFixed(3)} (${rows} outcomes)`;
  }
  return undefined;
}
