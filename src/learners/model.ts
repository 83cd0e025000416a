/**
 * Models are plain JSON: what `train` returns, what is stored, what `predict` and `explain` read.
 * `version` changes whenever the meaning of a field changes; `parseModel` refuses other versions.
 */
export const modelFormat = 'propensity-model';
export const modelVersion = 1;

export type ModelFeature =
  | { name: string; type: 'numeric' }
  | { name: string; type: 'categorical'; levels: string[] };

/** One tree as arrays over its nodes; node 0 is the root, a leaf has feature -1. */
export interface GbdtTree {
  feature: number[];
  /** Numeric split: x <= threshold goes left; null sends every non-missing value left. */
  threshold: (number | null)[];
  /** Categorical split: the codes (indexes into the feature's levels) that go left. */
  leftLevels: (number[] | null)[];
  /** Where missing values, and levels unseen in training, go. */
  missingLeft: boolean[];
  left: number[];
  right: number[];
  /** Leaf values (log-odds, learning rate included); 0 on split nodes. */
  value: number[];
  /** Training rows that reached the node (the weights TreeSHAP uses). */
  cover: number[];
}

export interface GbdtModel {
  format: typeof modelFormat;
  version: typeof modelVersion;
  kind: 'gbdt';
  features: ModelFeature[];
  /** Log-odds before any tree. */
  baseScore: number;
  trees: GbdtTree[];
  training: {
    rows: number;
    validationRows: number;
    /** Validation log-loss after the kept trees (null without early stopping). */
    validationLogLoss: number | null;
    options: Record<string, number | string | boolean>;
  };
}

export interface LogisticNumeric {
  name: string;
  /** Fills missing values (the training median). */
  fill: number;
  mean: number;
  scale: number;
  coefficient: number;
}

export interface LogisticCategorical {
  name: string;
  /** Levels with a coefficient of their own; missing is the level "NA". */
  levels: string[];
  coefficients: number[];
  /** Coefficient of levels too rare to have their own (null when there were none); unseen levels get 0. */
  rareCoefficient: number | null;
  /** Training share of each level, then of the rare levels: the means used by explanations. */
  shares: number[];
  rareShare: number;
}

export interface LogisticModel {
  format: typeof modelFormat;
  version: typeof modelVersion;
  kind: 'logistic';
  features: ModelFeature[];
  intercept: number;
  numeric: LogisticNumeric[];
  categorical: LogisticCategorical[];
  training: { rows: number; iterations: number; options: Record<string, number | string | boolean> };
}

export type PlattCalibration = { method: 'platt'; slope: number; intercept: number };
/** Piecewise-linear, increasing map from raw score to probability through these points. */
export type IsotonicCalibration = { method: 'isotonic'; scores: number[]; probabilities: number[] };
export type Calibration = PlattCalibration | IsotonicCalibration;

export type BaseModel = GbdtModel | LogisticModel;

export interface CalibratedModel {
  format: typeof modelFormat;
  version: typeof modelVersion;
  kind: 'calibrated';
  /** The learner that scores; its raw log-odds go through `calibration`. */
  model: BaseModel;
  calibration: Calibration;
  /**
   * A second learner blended in (absent: none): the raw score is (1 - weight) x the learner's +
   * weight x this one's, both log-odds, before calibration. `weight` is at most 0.5.
   */
  blend?: { model: BaseModel; weight: number };
  /** How `auto` chose: each candidate's AUC on the rows it was compared on (the caller's `choice`, or the held-out rows). */
  selection: Selection | null;
}

/**
 * How `auto` chose: each learner's AUC (the mean over the folds it was judged on), and the blend's
 * when one was kept. `holdoutRows` counts the rows judged, over all folds.
 */
export interface Selection {
  holdoutRows: number;
  candidates: { kind: BaseModel['kind']; auc: number }[];
  /** How many fits judged the learners (cross-validation folds or time-ordered snapshots). */
  folds?: number;
  blend?: { weight: number; auc: number } | null;
}

export type Model = BaseModel | CalibratedModel;
