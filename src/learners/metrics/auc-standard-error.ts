/**
 * The standard error of an AUC measured on n1 positives and n0 negatives (Hanley & McNeil, 1982,
 * Radiology 143:29–36): how far a second sample of the same size would typically move it. Two
 * models whose held-out AUCs differ by less than this are not told apart by those rows.
 *
 * @example
 * aucStandardError(0.8, 100, 100); // => 0.0314 (to 4 places)
 */
export function aucStandardError(auc: number, positives: number, negatives: number): number {
  if (!(positives > 0 && negatives > 0) || !Number.isFinite(auc)) return Number.NaN;
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives);
  return Math.sqrt(Math.max(0, variance));
}
