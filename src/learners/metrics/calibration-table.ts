/**
 * How honest probabilities are: rows grouped by predicted probability into `bins` equal-width bins
 * on [0, 1]; for each non-empty bin the mean prediction and the observed positive rate, which
 * should be close.
 *
 * @example
 * calibrationTable([0.1, 0.15, 0.8], [0, 0, 1], 2);
 * // => [{ from: 0, to: 0.5, count: 2, meanPredicted: 0.125, observedRate: 0 },
 * //     { from: 0.5, to: 1, count: 1, meanPredicted: 0.8, observedRate: 1 }]
 */
import { checkScored } from './check-scored.ts';

export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

export function calibrationTable(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): CalibrationBin[] {
  checkScored(probabilities, labels, { probabilities: true });
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  for (let i = 0; i < probabilities.length; i++) {
    const b = Math.min(bins - 1, Math.floor(probabilities[i] * bins));
    count[b]++;
    predicted[b] += probabilities[i];
    observed[b] += labels[i];
  }
  const table: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    table.push({ from: b / bins, to: (b + 1) / bins, count: count[b], meanPredicted: predicted[b] / count[b], observedRate: observed[b] / count[b] });
  }
  return table;
}
