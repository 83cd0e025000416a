/** How well probabilities rank and fit known outcomes; AUC is NaN when the rows hold only one class. */
import { brierScore, logLoss, rocAuc } from '../learners/index.ts';

export interface HoldoutMetrics {
  auc: number;
  logLoss: number;
  brier: number;
  rows: number;
  positives: number;
}

export function holdoutMetrics(probabilities: ArrayLike<number>, labels: ArrayLike<number>): HoldoutMetrics {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const rows = labels.length;
  if (rows === 0) return { auc: Number.NaN, logLoss: Number.NaN, brier: Number.NaN, rows, positives };
  const bothClasses = positives > 0 && positives < rows;
  return { auc: bothClasses ? rocAuc(probabilities, labels) : Number.NaN, logLoss: logLoss(probabilities, labels), brier: brierScore(probabilities, labels), rows, positives };
}
