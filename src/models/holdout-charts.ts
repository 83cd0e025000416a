/**
 * What the portal's page draws for a model, computed once when it is trained, on its holdout rows:
 * the ROC curve, the calibration table (mean predicted vs observed rate per probability bin) and the
 * features that moved its scores most (mean absolute effect in log-odds over the holdout). Pure.
 *
 * @example
 * holdoutCharts(model, holdoutTable, probabilities, labels)
 * // => { roc: [{ fpr: 0, tpr: 0 }, …, { fpr: 1, tpr: 1 }], calibration: [{ predicted: 0.05, observed: 0.04, count: 812 }, …],
 * //      importance: [{ feature: 'num_form_submissions_90d', weight: 0.41 }, …] }
 */
import type { FeatureTable } from '../features/feature-table.ts';
import { calibrationTable, rocCurve } from '../learners/index.ts';
import { contributionsForRows, type ScoringModel } from './scoring-model.ts';

export interface HoldoutCharts {
  /** Empty when the holdout holds one outcome class only. */
  roc: { fpr: number; tpr: number }[];
  calibration: { predicted: number; observed: number; count: number }[];
  importance: { feature: string; weight: number }[];
}

const ROC_POINTS = 101;
const CALIBRATION_BINS = 10;
const IMPORTANCE_ROWS = 2000;

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export function holdoutCharts(model: ScoringModel, table: FeatureTable, probabilities: Float64Array, labels: Uint8Array, topFeatures = 10): HoldoutCharts {
  if (table.rowCount === 0) return { roc: [], calibration: [], importance: [] };
  let positives = 0;
  for (const label of labels) positives += label;
  const roc = positives > 0 && positives < labels.length ? rocCurve(probabilities, labels, ROC_POINTS).map((p) => ({ fpr: round(p.fpr), tpr: round(p.tpr) })) : [];
  const calibration = calibrationTable(probabilities, labels, CALIBRATION_BINS).map((b) => ({ predicted: round(b.meanPredicted), observed: round(b.observedRate), count: b.count }));
  return { roc, calibration, importance: featureImportance(model, table, topFeatures) };
}

/** Mean |effect| per feature over (a spread sample of) the rows, largest first. */
function featureImportance(model: ScoringModel, table: FeatureTable, top: number): HoldoutCharts['importance'] {
  const contributionsOf = contributionsForRows(model, table, Number.MAX_SAFE_INTEGER);
  const step = Math.max(1, Math.floor(table.rowCount / IMPORTANCE_ROWS));
  const total = new Map<string, number>();
  let rows = 0;
  for (let row = 0; row < table.rowCount; row += step, rows++) {
    for (const c of contributionsOf(row)) total.set(c.feature, (total.get(c.feature) ?? 0) + Math.abs(c.effect));
  }
  return [...total]
    .map(([feature, sum]) => ({ feature, weight: round(sum / rows) }))
    .filter((f) => f.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, top);
}
