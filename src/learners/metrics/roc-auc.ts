/**
 * Area under the ROC curve from simple-statistics' Wilcoxon rank sum (ties get average ranks, so a
 * tie between a positive and a negative counts one half): AUC = (W - n1(n1 + 1)/2) / (n1 n0), W the
 * rank sum of the positives.
 *
 * @example
 * rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // => 0.75
 */
import { wilcoxonRankSum } from 'simple-statistics';
import { checkScored } from './check-scored.ts';

export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkScored(scores, labels, { bothClasses: true });
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] === 1 ? positives : negatives).push(scores[i]);
  const w = wilcoxonRankSum(positives, negatives);
  const n1 = positives.length;
  return (w - (n1 * (n1 + 1)) / 2) / (n1 * negatives.length);
}
