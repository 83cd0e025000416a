/** Scores for any model: raw log-odds of the learner(s), and probabilities (calibrated when the model is). */
import { applyCalibration } from './calibration/choose-calibration.ts';
import { predictGbdtRaw } from './gbdt/predict-gbdt.ts';
import { learnerParts } from './learner-parts.ts';
import { predictLogisticRaw } from './logistic/predict-logistic.ts';
import type { BaseModel, Model } from './model.ts';
import type { Table } from './table.ts';

/** One learner's raw score (log-odds) for every row. */
export function predictLearnerRaw(base: BaseModel, table: Table): Float64Array {
  return base.kind === 'gbdt' ? predictGbdtRaw(base, table) : predictLogisticRaw(base, table);
}

/** The model's raw score (log-odds, before any calibration; a blend's weighted sum) for every row. */
export function predictRaw(model: Model, table: Table): Float64Array {
  const parts = learnerParts(model);
  if (parts.length === 1) return predictLearnerRaw(parts[0].model, table);
  const raw = new Float64Array(table.rowCount);
  for (const { model: base, weight } of parts) {
    const part = predictLearnerRaw(base, table);
    for (let i = 0; i < raw.length; i++) raw[i] += weight * part[i];
  }
  return raw;
}

/** The probability of the positive class for every row. */
export function predict(model: Model, table: Table): Float64Array {
  const raw = predictRaw(model, table);
  if (model.kind === 'calibrated') {
    for (let i = 0; i < raw.length; i++) raw[i] = applyCalibration(model.calibration, raw[i]);
  } else {
    for (let i = 0; i < raw.length; i++) raw[i] = 1 / (1 + Math.exp(-raw[i]));
  }
  return raw;
}
