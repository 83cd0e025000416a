/**
 * What changing a threshold would do before it is saved: for each decision threshold that moves,
 * the probability range whose records would change decision, and from which decision to which.
 * The records are counted by the caller (the range is all it needs); hysteresis and the control
 * group are left out, so the count is the records whose probability crosses the threshold. Pure.
 *
 * @example
 * thresholdMoves({ ...defaults, salesFastTrack: 0.5 }, { ...defaults, salesFastTrack: 0.4 })
 * // => [{ threshold: 'salesFastTrack', target: 'lead', from: 0.5, to: 0.4, range: [0.4, 0.5], moves: 'marketing_nurture → sales_fast_track' }]
 */
import type { Target } from '../features/label-settings.ts';
import type { DecisionSettings } from './decision-settings.ts';

export type Threshold = 'salesFastTrack' | 'marketingNurture' | 'retentionPlaybook';

export interface ThresholdMove {
  threshold: Threshold;
  target: Target;
  from: number;
  to: number;
  /** Records of `target` with a probability in [low, high) change decision. */
  range: [low: number, high: number];
  /** `below → above` when the threshold drops, the reverse when it rises. */
  moves: string;
}

/** Per threshold: the target it applies to, the decision above it and the one below it. */
const thresholds: { threshold: Threshold; target: Target; above: string; below: string }[] = [
  { threshold: 'salesFastTrack', target: 'lead', above: 'sales_fast_track', below: 'marketing_nurture' },
  { threshold: 'marketingNurture', target: 'lead', above: 'marketing_nurture', below: 'none' },
  { threshold: 'retentionPlaybook', target: 'churn', above: 'retention_playbook', below: 'none' },
];

export function thresholdMoves(current: DecisionSettings, proposed: DecisionSettings): ThresholdMove[] {
  return thresholds
    .filter(({ threshold }) => current[threshold] !== proposed[threshold])
    .map(({ threshold, target, above, below }) => {
      const from = current[threshold];
      const to = proposed[threshold];
      return { threshold, target, from, to, range: [Math.min(from, to), Math.max(from, to)], moves: to < from ? `${below} → ${above}` : `${above} → ${below}` };
    });
}
