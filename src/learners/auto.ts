/**
 * `auto`: train both learners, keep the one that ranks held-out rows better (ROC AUC), calibrate it
 * on those rows, and refit it on all rows. When the held-out rows cannot tell the learners apart (AUCs
 * within one standard error of the best), the simpler one is kept — the one-standard-error rule
 * (Hastie, Tibshirani & Friedman, ESL 7.10): in a portal's drifting history the linear model carries
 * over to the next months better than trees that are no better on the rows at hand.
 *
 * The held-out rows are the most recent `holdoutFraction` of the table by default ('tail'): rows
 * are taken to be in time order, oldest first, as CRM snapshots are, and the model must do well on
 * what comes next, not on a shuffled past (drift is the rule in a portal's history). 'stratified'
 * holds out a random share of each class instead. The calibration learned on the held-out scores
 * of the first fit is applied to the refitted model's raw scores. A caller that knows more about the
 * rows than their order (the app knows each row's snapshot time) can name the rows the learners are
 * fitted and compared on (`choice`); the chosen one is then calibrated on the held-out rows as above.
 */
import { fitCalibration, type CalibrationMethod } from './calibration/choose-calibration.ts';
import { gbdtDefaults, trainGbdt, type GbdtOptions } from './gbdt/train-gbdt.ts';
import { checkLabels, stratifiedHoldout, tailHoldout } from './labels.ts';
import { logisticDefaults, trainLogistic, type LogisticOptions } from './logistic/train-logistic.ts';
import { aucStandardError } from './metrics/auc-standard-error.ts';
import { rocAuc } from './metrics/roc-auc.ts';
import { modelFormat, modelVersion, type BaseModel, type CalibratedModel } from './model.ts';
import { predictRaw } from './predict.ts';
import { seededRandom } from './random.ts';
import { checkTable, takeRows, type Table } from './table.ts';
import { TrainingDataError } from './training-data-error.ts';

export type LearnerKind = BaseModel['kind'];

export interface AutoOptions {
  holdout: 'tail' | 'stratified';
  holdoutFraction: number;
  calibration: CalibrationMethod;
  /** Refit the chosen learner on every row (true) or keep the fit without the held-out rows. */
  refit: boolean;
  learners: LearnerKind[];
  gbdt: Partial<GbdtOptions>;
  logistic: Partial<LogisticOptions>;
  seed: number;
  /**
   * The rows the candidates are fitted on and the rows they are compared on, when the caller names
   * them (used when each holds both classes, else the held-out rows choose). The chosen learner is
   * still calibrated on the held-out rows, fitted on the rest.
   */
  choice?: { fit: ArrayLike<number>; holdout: ArrayLike<number> };
}

export const autoDefaults: AutoOptions = {
  holdout: 'tail',
  holdoutFraction: 0.2,
  calibration: 'auto',
  refit: true,
  learners: ['gbdt', 'logistic'],
  gbdt: {},
  logistic: {},
  seed: 0,
};

/** Lower is simpler. */
const simplicity: Record<LearnerKind, number> = { logistic: 0, gbdt: 1 };

export function trainLearner(kind: LearnerKind, table: Table, labels: ArrayLike<number>, options: { gbdt?: Partial<GbdtOptions>; logistic?: Partial<LogisticOptions>; seed?: number }): BaseModel {
  return kind === 'gbdt'
    ? trainGbdt(table, labels, { ...gbdtDefaults, seed: options.seed ?? 0, ...options.gbdt })
    : trainLogistic(table, labels, { ...logisticDefaults, ...options.logistic });
}

export function trainAuto(table: Table, labels: ArrayLike<number>, options: Partial<AutoOptions> = {}): CalibratedModel {
  const o: AutoOptions = { ...autoDefaults, ...options };
  checkTable(table);
  checkLabels(labels, table.rowCount);
  const named = namedRows(labels, o);
  const held = heldOutRows(labels, o);
  const choice = split(table, labels, named ?? held);
  const candidates = o.learners.map((kind) => {
    const model = trainLearner(kind, choice.fitTable, choice.fitLabels, o);
    const raw = predictRaw(model, choice.heldTable);
    return { kind, model, raw, auc: rocAuc(raw, choice.heldLabels) };
  });
  const best = candidates.reduce((a, c) => (c.auc > a.auc ? c : a));
  let positives = 0;
  for (const label of choice.heldLabels) positives += label;
  const noise = aucStandardError(best.auc, positives, choice.heldLabels.length - positives);
  const tied = candidates.filter((c) => c === best || c.auc >= best.auc - noise);
  // Among the tied, the simplest; the first listed among equally simple ones.
  const chosen = tied.reduce((a, c) => (simplicity[c.kind] < simplicity[a.kind] ? c : a));
  // Calibrated on the learners' own held-out rows: with named rows, the chosen learner is fitted again for it.
  let calibrationFit = chosen;
  let calibrationLabels = choice.heldLabels;
  if (named) {
    const c = split(table, labels, held);
    const model = trainLearner(chosen.kind, c.fitTable, c.fitLabels, o);
    calibrationFit = { ...chosen, model, raw: predictRaw(model, c.heldTable) };
    calibrationLabels = c.heldLabels;
  }
  const calibration = fitCalibration(calibrationFit.raw, calibrationLabels, o.calibration);
  const model = o.refit ? trainLearner(chosen.kind, table, labels, o) : calibrationFit.model;
  return {
    format: modelFormat,
    version: modelVersion,
    kind: 'calibrated',
    model,
    calibration,
    selection: { holdoutRows: choice.heldLabels.length, candidates: candidates.map(({ kind, auc }) => ({ kind, auc })) },
  };
}

function split(table: Table, labels: ArrayLike<number>, rows: { fit: Uint32Array; holdout: Uint32Array }) {
  return {
    fitTable: takeRows(table, rows.fit),
    fitLabels: Uint8Array.from(rows.fit, (i) => labels[i]),
    heldTable: takeRows(table, rows.holdout),
    heldLabels: Uint8Array.from(rows.holdout, (i) => labels[i]),
  };
}

/** The caller's rows to choose on, when it names some that hold both classes. */
function namedRows(labels: ArrayLike<number>, o: AutoOptions): { fit: Uint32Array; holdout: Uint32Array } | undefined {
  if (!o.choice) return undefined;
  const n = labels.length;
  const rows = { fit: Uint32Array.from(o.choice.fit), holdout: Uint32Array.from(o.choice.holdout) };
  const usable = (r: Uint32Array) => r.every((i) => i < n) && hasBothClasses(labels, r);
  return usable(rows.fit) && usable(rows.holdout) ? rows : undefined;
}

/** The held-out rows; a tail without both classes (or too few rows) falls back to a stratified draw. */
function heldOutRows(labels: ArrayLike<number>, o: AutoOptions): { fit: Uint32Array; holdout: Uint32Array } {
  const n = labels.length;
  if (o.holdout === 'tail') {
    const split = tailHoldout(n, o.holdoutFraction);
    if (hasBothClasses(labels, split.holdout) && hasBothClasses(labels, split.fit)) return split;
  }
  const split = stratifiedHoldout(labels, o.holdoutFraction, seededRandom(o.seed + 1));
  if (!hasBothClasses(labels, split.holdout) || !hasBothClasses(labels, split.fit)) {
    throw new TrainingDataError(`too few rows of one class to hold some out for choosing a model (${n} rows)`);
  }
  return split;
}

function hasBothClasses(labels: ArrayLike<number>, rows: Uint32Array): boolean {
  let positives = 0;
  for (const i of rows) positives += labels[i];
  return positives > 0 && positives < rows.length;
}
