/**
 * `auto`: both learners judged by cross-validation, and blended when the blend ranks better than
 * each alone. Each fold fits both learners on its fitting rows and scores its held-out rows; every
 * weight w in 0, 0.05, ..., 1 of the blend (1 - w) x trees + w x linear (raw log-odds) is scored by
 * its held-out AUC on each fold. Among the weights within one paired standard error of the best mean
 * (over the folds), the one nearest the equal blend wins (`chooseWeight`): w = 0 or 1, one learner
 * alone, only when every blend nearer the middle is clearly worse on the folds. The learners kept
 * are refitted on every row.
 *
 * The folds: for 'stratified', `round(1 / holdoutFraction)` folds, each holding out that share of
 * each class, seeded; for 'tail' (rows in time order, oldest first), three time-ordered snapshots:
 * each holds out the next `holdoutFraction` of the rows after everything before it, the last one the
 * most recent rows, so the learners are judged on what comes next, as they are used. A caller that
 * knows when its rows were observed names the rows the learners are fitted and compared on
 * (`choice`; the app compares them at the distance its scores are used); with named rows that hold
 * both classes they alone judge, and as they are one split, no blend weight is fitted on them and
 * learners within one standard error of the best are tied (the simpler wins).
 *
 * Calibration (Platt or isotonic, whichever predicts held-out rows better; both strictly increasing,
 * so the ranking is kept) is fitted on the chosen blend's held-out scores: all folds' for
 * 'stratified', the most recent snapshot's for 'tail' and named rows (drift makes older rates wrong).
 */
import { fitCalibration, type CalibrationMethod } from './calibration/choose-calibration.ts';
import { gbdtDefaults, trainGbdt, type GbdtOptions } from './gbdt/train-gbdt.ts';
import { checkLabels, stratifiedHoldout, tailHoldout } from './labels.ts';
import { aucStandardError } from './metrics/auc-standard-error.ts';
import { logisticDefaults, trainLogistic, type LogisticOptions } from './logistic/train-logistic.ts';
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
  if (o.learners.length < 1 || o.learners.length > 2) throw new Error(`auto blends one or two learners, not ${o.learners.length}`);
  const { judge, calibrate, named } = foldsOf(labels, o);
  const scored = new Map<Fold, FoldScores>();
  const scoresOf = (fold: Fold) => scored.get(fold) ?? scored.set(fold, scoreFold(table, labels, fold, o)).get(fold)!;
  const judged = judge.map(scoresOf);
  // Rows the caller names are one split: no blend weight is fitted on it, and learners within one
  // standard error of the best are tied (the simpler wins), as a single split cannot tell them apart.
  const weights = o.learners.length === 1 ? [0] : named ? [0, 1] : blendWeights;
  // foldAucs[k][j]: weight k's held-out AUC on fold j.
  const foldAucs = weights.map((w) => judged.map((f) => rocAuc(blendRaw(f.raw, w), f.labels)));
  const aucs = foldAucs.map(mean);
  const best = named ? chooseNamed(aucs, weights, judged[0].labels, o.learners) : chooseWeight(foldAucs, aucs, weights);
  const weight = weights[best];
  const single = (w: number) => w === 0 || w === 1;
  const calibrationScores = calibrate.map(scoresOf);
  const calibration = fitCalibration(
    concat(calibrationScores.map((f) => blendRaw(f.raw, weight))),
    concat(calibrationScores.map((f) => f.labels)),
    o.calibration,
  );
  // The learner with the larger weight scores; the other is blended in with weight <= 0.5.
  const [main, other] = weight <= 0.5 ? [0, 1] : [1, 0];
  const partWeight = weight <= 0.5 ? weight : blendWeights[weights.length - 1 - best];
  const fitted = calibrationScores[calibrationScores.length - 1];
  const learner = (k: number) => (o.refit ? trainLearner(o.learners[k], table, labels, o) : fitted.models[k]);
  const candidates = o.learners.map((kind, k) => ({ kind, auc: aucs[k === 0 ? 0 : weights.length - 1] }));
  return {
    format: modelFormat,
    version: modelVersion,
    kind: 'calibrated',
    model: learner(main),
    calibration,
    ...(single(weight) ? {} : { blend: { model: learner(other), weight: partWeight } }),
    selection: {
      holdoutRows: judged.reduce((sum, f) => sum + f.labels.length, 0),
      candidates,
      folds: judged.length,
      blend: single(weight) ? null : { weight: partWeight, auc: aucs[best] },
    },
  };
}

/**
 * The blend weight, from every weight's AUC on each fold: among the weights that rank as well as the
 * best one within one standard error of their paired difference from it over the folds (the folds'
 * spread of AUC(best) - AUC(w), as CV's one-standard-error rule measures it), the one closest to the
 * equal blend. The weight with the best mean is fitted to the folds' noise; estimated combination
 * weights are known to do worse on new rows than simple averages unless the data clearly says
 * otherwise (the "forecast combination puzzle"), so equal weighting is the prior that a clear
 * difference must overturn. A learner alone wins only when every blend nearer the middle is
 * clearly worse. With one fold there is no spread: the best mean wins. Ties: the better mean, then
 * the smaller weight.
 */
export function chooseWeight(foldAucs: number[][], aucs: number[], weights: number[]): number {
  const top = aucs.reduce((a, auc, k) => (auc > aucs[a] ? k : a), 0);
  const folds = foldAucs[top].length;
  const tied = weights.map((_, k) => k).filter((k) => {
    if (k === top) return true;
    if (folds < 2) return false;
    const gaps = foldAucs[k].map((auc, j) => foldAucs[top][j] - auc);
    const gap = mean(gaps);
    const spread = Math.sqrt(gaps.reduce((sum, g) => sum + (g - gap) ** 2, 0) / (folds - 1));
    return gap <= spread / Math.sqrt(folds);
  });
  const distance = (k: number) => Math.abs(weights[k] - 0.5);
  return tied.reduce((a, k) => (distance(k) < distance(a) - 1e-12 || (Math.abs(distance(k) - distance(a)) <= 1e-12 && aucs[k] > aucs[a]) ? k : a));
}

/**
 * One learner or the other on the caller's named rows (one split): learners within one standard
 * error (Hanley & McNeil) of the best are tied, and the simpler wins.
 */
function chooseNamed(aucs: number[], weights: number[], labels: Uint8Array, learners: LearnerKind[]): number {
  const top = Math.max(...aucs);
  const positives = labels.reduce((a, b) => a + b, 0);
  const noise = aucStandardError(top, positives, labels.length - positives);
  const tied = weights.map((_, k) => k).filter((k) => aucs[k] >= top - noise);
  const learnerAt = (k: number) => learners[weights[k] === 0 ? 0 : learners.length - 1];
  return tied.reduce((a, k) => (simplicity[learnerAt(k)] < simplicity[learnerAt(a)] ? k : a));
}

/** Weights of the second learner in the blend that are tried. */
const blendWeights = Array.from({ length: 21 }, (_, k) => k / 20);

type Fold = { fit: Uint32Array; holdout: Uint32Array };

interface FoldScores {
  /** Each learner's raw scores on the fold's held-out rows, in `learners` order. */
  raw: Float64Array[];
  labels: Uint8Array;
  models: BaseModel[];
}

function scoreFold(table: Table, labels: ArrayLike<number>, fold: Fold, o: AutoOptions): FoldScores {
  const c = split(table, labels, fold);
  const models = o.learners.map((kind) => trainLearner(kind, c.fitTable, c.fitLabels, o));
  return { raw: models.map((model) => predictRaw(model, c.heldTable)), labels: c.heldLabels, models };
}

/** (1 - w) x the first learner's raw score + w x the second's (the first alone with one learner). */
function blendRaw(raw: Float64Array[], w: number): Float64Array {
  if (raw.length === 1 || w === 0) return raw[0];
  if (w === 1) return raw[1];
  const out = new Float64Array(raw[0].length);
  for (let i = 0; i < out.length; i++) out[i] = (1 - w) * raw[0][i] + w * raw[1][i];
  return out;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function concat<T extends Float64Array | Uint8Array>(parts: T[]): T {
  if (parts.length === 1) return parts[0];
  const out = new (parts[0].constructor as new (n: number) => T)(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The folds that judge the learners, and those whose held-out scores calibrate the chosen blend. */
function foldsOf(labels: ArrayLike<number>, o: AutoOptions): { judge: Fold[]; calibrate: Fold[]; named: boolean } {
  const rows = namedRows(labels, o);
  if (rows) return { judge: [rows], calibrate: [heldOutRows(labels, o)], named: true };
  if (o.holdout === 'tail') {
    const snapshots = timeOrderedFolds(labels, o.holdoutFraction);
    if (snapshots.length > 0) return { judge: snapshots, calibrate: [snapshots[snapshots.length - 1]], named: false };
  }
  const folds = stratifiedFolds(labels, Math.max(2, Math.round(1 / o.holdoutFraction)), seededRandom(o.seed + 1));
  return { judge: folds, calibrate: folds, named: false };
}

/** Three snapshots, each fitted on every row before the next `fraction` of rows and judged on those; the last ends at the newest row. */
function timeOrderedFolds(labels: ArrayLike<number>, fraction: number): Fold[] {
  const n = labels.length;
  const size = Math.round(n * fraction);
  const folds: Fold[] = [];
  for (let k = 3; k >= 1; k--) {
    const start = n - k * size;
    if (start < size) continue;
    const fold = { fit: range(0, start), holdout: range(start, start + size) };
    if (hasBothClasses(labels, fold.fit) && hasBothClasses(labels, fold.holdout)) folds.push(fold);
  }
  // The newest snapshot must be among them: it is where the chosen blend is calibrated.
  return folds.length > 0 && folds[folds.length - 1].holdout[folds[folds.length - 1].holdout.length - 1] === n - 1 ? folds : [];
}

function range(from: number, to: number): Uint32Array {
  return Uint32Array.from({ length: to - from }, (_, i) => from + i);
}

/** `k` folds, each holding out about 1/k of each class (rows dealt in a seeded random order within each class). */
function stratifiedFolds(labels: ArrayLike<number>, k: number, random: () => number): Fold[] {
  const n = labels.length;
  const foldOf = new Uint8Array(n);
  for (const c of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i] === c) rows.push(i);
    // Fisher-Yates, then dealt round the folds.
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    rows.forEach((row, r) => (foldOf[row] = r % k));
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const fit: number[] = [];
    const holdout: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? holdout : fit).push(i);
    const fold = { fit: Uint32Array.from(fit), holdout: Uint32Array.from(holdout) };
    if (!hasBothClasses(labels, fold.fit) || !hasBothClasses(labels, fold.holdout)) {
      throw new TrainingDataError(`too few rows of one class to hold some out for choosing a model (${n} rows)`);
    }
    folds.push(fold);
  }
  return folds;
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
