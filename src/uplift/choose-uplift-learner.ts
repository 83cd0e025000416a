/**
 * Which meta-learner and base learner to use, chosen by Qini on the training records alone:
 * `folds`-fold cross-validation (folds stratified by group and outcome, seeded), each candidate
 * fitted on the other folds and judged on its fold; the highest mean Qini wins and is fitted again
 * on every training record. The test records are never seen. Pure.
 */
import { takeRows } from '../learners/index.ts';
import { seededRandom } from '../learners/random.ts';
import { qiniCoefficient } from './qini.ts';
import { learnerName, predictUplift, trainUplift, upliftLearners, type UpliftLearner, type UpliftModel, type UpliftTrainingData } from './uplift-learners.ts';

export interface UpliftChoice {
  model: UpliftModel;
  learner: string;
  /** Mean out-of-fold Qini of every candidate. */
  candidates: { learner: string; qini: number }[];
}

export interface ChooseOptions {
  folds?: number;
  seed?: number;
  learners?: readonly UpliftLearner[];
}

/** A fold number per row: each (group, outcome) cell dealt round-robin after a seeded shuffle. */
export function upliftFolds(data: UpliftTrainingData, folds: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const fold = new Uint8Array(data.table.rowCount);
  const cells: number[][] = [[], [], [], []];
  for (let i = 0; i < fold.length; i++) cells[2 * (data.treated[i] === 1 ? 1 : 0) + (data.outcome[i] === 1 ? 1 : 0)].push(i);
  for (const rows of cells) {
    for (let k = rows.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [rows[k], rows[j]] = [rows[j], rows[k]];
    }
    rows.forEach((row, k) => (fold[row] = k % folds));
  }
  return fold;
}

function pick(data: UpliftTrainingData, rows: number[]): UpliftTrainingData {
  return { table: takeRows(data.table, rows), treated: rows.map((i) => data.treated[i]), outcome: rows.map((i) => data.outcome[i]) };
}

export function chooseUpliftLearner(data: UpliftTrainingData, options: ChooseOptions = {}): UpliftChoice {
  const folds = options.folds ?? 3;
  const seed = options.seed ?? 0;
  const learners = options.learners ?? upliftLearners;
  const fold = upliftFolds(data, folds, seed);
  const splits = Array.from({ length: folds }, (_, f) => {
    const fit: number[] = [];
    const held: number[] = [];
    for (let i = 0; i < fold.length; i++) (fold[i] === f ? held : fit).push(i);
    return { fit: pick(data, fit), held: pick(data, held) };
  });
  const candidates = learners.map((learner) => {
    let sum = 0;
    for (const { fit, held } of splits) {
      const score = predictUplift(trainUplift(fit, learner, seed), held.table);
      sum += qiniCoefficient({ score, treated: held.treated, outcome: held.outcome });
    }
    return { learner, qini: sum / folds };
  });
  const best = candidates.reduce((a, c) => (c.qini > a.qini ? c : a));
  return {
    model: trainUplift(data, best.learner, seed),
    learner: learnerName(best.learner),
    candidates: candidates.map((c) => ({ learner: learnerName(c.learner), qini: c.qini })),
  };
}
