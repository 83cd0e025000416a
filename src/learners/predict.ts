/** Scores for any model: raw log-odds of the learner, and probabilities (calibrated when the model is). */
import { applyCalibration } from './calibration/choose-calibration.ts';
import { predictGbdtRaw } from './gbdt/predict-gbdt.ts';
import { predictLogisticRaw } from './logistic/predict-logistic.ts';
import type { BaseModel, Model } from './model.ts';
import type { Table } from './table.ts';

/** The learner's raw score (log-odds, before any calibration) for every row. */
export function predictRaw(model: Model, table: Table): Float64Array {
  const base: BaseModel = model.kind === 'calibrated' ? model.model : model;
  return base.kind === 'gbdt' ? predictGbdtRaw(base, table) : predictLogisticRaw(base, table);
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
