/**
 * Meta-learners that turn our outcome learners into models of what an action changes (the
 * conditional average treatment effect, "uplift"), from records of a randomised experiment: some
 * had the action (treated = 1), a random control group did not. Pure: plain tables in, plain JSON
 * models out.
 *
 * - `single-model` (S-learner): one outcome model on every record with "had the action" as a
 *   feature; the uplift is its probability with that feature set to 1 minus set to 0. With logistic
 *   regression that is a constant shift of the log-odds: the most constrained model, ranking
 *   records by their outcome probability, which often wins where the effect is small and noisy.
 * - `two-model` (T-learner): one outcome model on the treated, one on the control records; the
 *   uplift is the difference of their probabilities.
 * - `class-transformation` (the transformed outcome of Jaskowski & Jaroszewicz 2012): one model of
 *   z = 1 when (treated and the outcome happened) or (control and it did not); with as many treated
 *   as control records, uplift = 2 P(z = 1) − 1. The larger group is subsampled (seeded) to the
 *   smaller one's size so that identity holds whatever the control share.
 *
 * Each runs on either base learner (trees or logistic regression); which pair wins is chosen by
 * Qini on held-out training records (`choose-uplift-learner.ts`). The X-learner is not offered: its
 * second stage regresses imputed effects, and our learners are classifiers.
 */
import { predict, takeRows, train, TrainingDataError, type Model, type Table } from '../learners/index.ts';
import { seededRandom } from '../learners/random.ts';

export type MetaLearner = 'single-model' | 'two-model' | 'class-transformation';
export type BaseLearner = 'gbdt' | 'logistic';
export interface UpliftLearner {
  meta: MetaLearner;
  base: BaseLearner;
}

export const upliftLearners: readonly UpliftLearner[] = [
  { meta: 'single-model', base: 'gbdt' },
  { meta: 'single-model', base: 'logistic' },
  { meta: 'two-model', base: 'gbdt' },
  { meta: 'two-model', base: 'logistic' },
  { meta: 'class-transformation', base: 'gbdt' },
  { meta: 'class-transformation', base: 'logistic' },
];

export type UpliftModel =
  | { kind: 'uplift'; meta: 'single-model'; base: BaseLearner; outcome: Model }
  | { kind: 'uplift'; meta: 'two-model'; base: BaseLearner; treated: Model; control: Model }
  | { kind: 'uplift'; meta: 'class-transformation'; base: BaseLearner; transformed: Model };

export interface UpliftTrainingData {
  table: Table;
  treated: ArrayLike<number>;
  outcome: ArrayLike<number>;
}

export function learnerName(learner: UpliftLearner): string {
  return `${learner.meta}:${learner.base}`;
}

/** The rows of each group, checking both are there with both outcomes (else a `TrainingDataError`). */
function groups(data: UpliftTrainingData): { treated: number[]; control: number[] } {
  const treated: number[] = [];
  const control: number[] = [];
  for (let i = 0; i < data.table.rowCount; i++) (data.treated[i] === 1 ? treated : control).push(i);
  for (const [name, rows] of [['treated', treated], ['control', control]] as const) {
    let hits = 0;
    for (const i of rows) hits += data.outcome[i];
    if (hits === 0 || hits === rows.length) throw new TrainingDataError(`the ${name} records hold ${rows.length === 0 ? 'no rows' : `one outcome only (${hits} of ${rows.length})`}: an uplift model needs both outcomes in both groups`);
  }
  return { treated, control };
}

function fit(base: BaseLearner, table: Table, rows: ArrayLike<number>, labels: ArrayLike<number>, seed: number): Model {
  return train({ table: takeRows(table, rows), labels: Uint8Array.from(rows as ArrayLike<number>, (i) => labels[i]), options: { model: base, seed } });
}

export function trainUplift(data: UpliftTrainingData, learner: UpliftLearner, seed = 0): UpliftModel {
  const { treated, control } = groups(data);
  if (learner.meta === 'single-model') {
    const all = Uint32Array.from({ length: data.table.rowCount }, (_, i) => i);
    return { kind: 'uplift', meta: 'single-model', base: learner.base, outcome: fit(learner.base, withTreatment(data.table, data.treated), all, data.outcome, seed) };
  }
  if (learner.meta === 'two-model') {
    return { kind: 'uplift', meta: 'two-model', base: learner.base, treated: fit(learner.base, data.table, treated, data.outcome, seed), control: fit(learner.base, data.table, control, data.outcome, seed) };
  }
  const random = seededRandom(seed + 7);
  const size = Math.min(treated.length, control.length);
  const rows = [...subsample(treated, size, random), ...subsample(control, size, random)].sort((a, b) => a - b);
  const z = new Uint8Array(data.table.rowCount);
  for (let i = 0; i < z.length; i++) z[i] = data.treated[i] === 1 ? data.outcome[i] : 1 - data.outcome[i];
  return { kind: 'uplift', meta: 'class-transformation', base: learner.base, transformed: fit(learner.base, data.table, rows, z, seed) };
}

/** `size` of `rows`, each subset equally likely (a partial Fisher–Yates shuffle of a copy). */
function subsample(rows: number[], size: number, random: () => number): number[] {
  if (size >= rows.length) return rows;
  const copy = rows.slice();
  for (let k = 0; k < size; k++) {
    const j = k + Math.floor(random() * (copy.length - k));
    [copy[k], copy[j]] = [copy[j], copy[k]];
  }
  return copy.slice(0, size);
}

/** The predicted change in the outcome's probability from the action, per row (−1 … 1). */
export function predictUplift(model: UpliftModel, table: Table): Float64Array {
  if (model.meta === 'single-model') {
    const t = predict(model.outcome, withTreatment(table, new Uint8Array(table.rowCount).fill(1)));
    const c = predict(model.outcome, withTreatment(table, new Uint8Array(table.rowCount)));
    for (let i = 0; i < t.length; i++) t[i] -= c[i];
    return t;
  }
  if (model.meta === 'two-model') {
    const t = predict(model.treated, table);
    const c = predict(model.control, table);
    for (let i = 0; i < t.length; i++) t[i] -= c[i];
    return t;
  }
  const p = predict(model.transformed, table);
  for (let i = 0; i < p.length; i++) p[i] = 2 * p[i] - 1;
  return p;
}

/** The feature the single model learns the action from; a table that has a column of that name is refused. */
export const treatmentFeature = 'had the action (uplift)';

function withTreatment(table: Table, treated: ArrayLike<number>): Table {
  if (table.numericNames.includes(treatmentFeature) || table.categoricalNames.includes(treatmentFeature)) throw new TrainingDataError(`a feature is named "${treatmentFeature}", the name the uplift model gives the action`);
  return { ...table, numericNames: [...table.numericNames, treatmentFeature], numeric: [...table.numeric, Float64Array.from(treated)] };
}
