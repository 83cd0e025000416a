/**
 * Isotonic calibration: the increasing step function of raw score that best fits held-out outcomes
 * (pool-adjacent-violators), read as a piecewise-linear curve through each step's centre.
 *
 * The map is strictly increasing, so calibration never reorders or ties rows (the AUC stays the
 * model's): steps' rates strictly increase after pooling; they are clamped to
 * [1/(n+2), 1 - 1/(n+2)] (no probability of exactly 0 or 1, and no two steps made equal); and
 * beyond the outermost centres the curve keeps a gentle slope of `tailSlope` in log-odds per unit
 * of raw score instead of going flat.
 *
 * @example
 * const c = fitIsotonic([1, 2, 3, 4], [0, 1, 0, 1]);
 * // steps at scores 1, 2.5, 4 with rates 0, 0.5, 1 (clamped to 1/6 and 5/6)
 */
import type { IsotonicCalibration } from '../model.ts';

const tailSlope = 0.01;

export function fitIsotonic(raw: ArrayLike<number>, labels: ArrayLike<number>): IsotonicCalibration {
  const n = raw.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => raw[a] - raw[b]);
  // Blocks: sum of outcomes, sum of scores, rows. Equal scores start in one block.
  const ySum: number[] = [];
  const sSum: number[] = [];
  const count: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const top = count.length - 1;
    if (top >= 0 && raw[order[k - 1]] === raw[i]) {
      ySum[top] += labels[i];
      sSum[top] += raw[i];
      count[top]++;
    } else {
      ySum.push(labels[i]);
      sSum.push(raw[i]);
      count.push(1);
    }
    // Pool while the last block's rate is not above the one before it.
    while (ySum.length > 1) {
      const t = ySum.length - 1;
      if (ySum[t] / count[t] > ySum[t - 1] / count[t - 1]) break;
      ySum[t - 1] += ySum[t];
      sSum[t - 1] += sSum[t];
      count[t - 1] += count[t];
      ySum.pop();
      sSum.pop();
      count.pop();
    }
  }
  const floor = 1 / (n + 2);
  return {
    method: 'isotonic',
    scores: count.map((c, k) => sSum[k] / c),
    probabilities: count.map((c, k) => Math.min(Math.max(ySum[k] / c, floor), 1 - floor)),
  };
}

export function applyIsotonic(calibration: IsotonicCalibration, raw: number): number {
  const { scores, probabilities } = calibration;
  const last = scores.length - 1;
  if (raw <= scores[0]) return shifted(probabilities[0], tailSlope * (raw - scores[0]));
  if (raw >= scores[last]) return shifted(probabilities[last], tailSlope * (raw - scores[last]));
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (scores[mid] <= raw) lo = mid;
    else hi = mid;
  }
  const t = (raw - scores[lo]) / (scores[hi] - scores[lo]);
  return probabilities[lo] + t * (probabilities[hi] - probabilities[lo]);
}

/** p moved by `logOdds` on the log-odds scale. */
function shifted(p: number, logOdds: number): number {
  return 1 / (1 + ((1 - p) / p) * Math.exp(-logOdds));
}
