/**
 * ROC points for plotting: (false positive rate, true positive rate) at each distinct score
 * threshold, from (0, 0) to (1, 1), thinned to at most `maxPoints` (the ends always kept).
 *
 * @example
 * rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
 * // => [{ threshold: Infinity, fpr: 0, tpr: 0 }, { threshold: 0.8, fpr: 0, tpr: 0.5 },
 * //     { threshold: 0.4, fpr: 0.5, tpr: 0.5 }, { threshold: 0.35, fpr: 0.5, tpr: 1 },
 * //     { threshold: 0.1, fpr: 1, tpr: 1 }]
 */
import { checkScored } from './check-scored.ts';

export interface RocPoint {
  /** Rows scoring at least this are called positive. */
  threshold: number;
  fpr: number;
  tpr: number;
}

export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 201): RocPoint[] {
  checkScored(scores, labels, { bothClasses: true });
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const negatives = labels.length - positives;
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (labels[i] === 1) tp++;
    else fp++;
    if (k + 1 === order.length || scores[order[k + 1]] !== scores[i]) points.push({ threshold: scores[i], fpr: fp / negatives, tpr: tp / positives });
  }
  if (points.length <= maxPoints) return points;
  const thinned: RocPoint[] = [];
  const step = (points.length - 1) / (maxPoints - 1);
  for (let k = 0; k < maxPoints; k++) thinned.push(points[Math.round(k * step)]);
  return thinned;
}
