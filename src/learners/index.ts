/**
 * The learners: gradient-boosted trees and logistic regression on a `Table` of named numeric and
 * categorical columns, with `auto` choosing and calibrating. Pure: typed arrays in, plain JSON
 * models out; no database, no clock, no network.
 *
 *   const model = train({ table, labels });             // or trainInWorker(...) off the event loop
 *   const probabilities = predict(model, table);
 *   const why = explain(model, table, row);              // baseline + effects = raw log-odds
 *   const text = modelToJson(model); parseModel(text);   // round-trips bit for bit
 */
export type { Table } from './table.ts';
export { checkTable, featureNames, isMissingCategory, takeRows } from './table.ts';
export type { Model, BaseModel, GbdtModel, LogisticModel, CalibratedModel, Calibration, ModelFeature, Selection } from './model.ts';
export { modelVersion } from './model.ts';
export { TrainingDataError } from './training-data-error.ts';
export { train, type TrainInput, type TrainOptions, type LearnerChoice } from './train.ts';
export { trainInWorker } from './train-in-worker.ts';
export { predict, predictRaw } from './predict.ts';
export { learnerParts, modelFeatures, type LearnerPart } from './learner-parts.ts';
export { explain, type Explanation, type FeatureContribution } from './explain/explain.ts';
export { pathEffects, type RowEffects } from './explain/path-effects.ts';
export { modelToJson, parseModel } from './model-json.ts';
export { rocAuc } from './metrics/roc-auc.ts';
export { logLoss } from './metrics/log-loss.ts';
export { brierScore } from './metrics/brier-score.ts';
export { calibrationTable, type CalibrationBin } from './metrics/calibration-table.ts';
export { rocCurve, type RocPoint } from './metrics/roc-curve.ts';
export { gbdtDefaults, type GbdtOptions } from './gbdt/train-gbdt.ts';
export { logisticDefaults, type LogisticOptions } from './logistic/train-logistic.ts';
export { autoDefaults, type AutoOptions } from './auto.ts';
