/**
 * Mean log-loss of probabilities, clipped to [1e-15, 1 - 1e-15] as scikit-learn does.
 *
 * @example
 * logLoss([0.9, 0.2], [1, 0]); // => 0.164252033486018 (= -(ln 0.9 + ln 0.8) / 2)
 */
import { checkScored } from './check-scored.ts';

export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkScored(probabilities, labels, { probabilities: true });
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(Math.max(probabilities[i], 1e-15), 1 - 1e-15);
    sum -= labels[i] === 1 ? Math.log(p) : Math.log1p(-p);
  }
  return sum / probabilities.length;
}
