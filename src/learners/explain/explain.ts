/**
 * Why one row scored what it did, in log-odds: a baseline (the score with nothing known about the
 * row) plus one contribution per feature, adding up exactly to the learner's raw score. Trees:
 * exact TreeSHAP summed over the trees. Linear model: coefficient x (value - training mean).
 * For a calibrated model the contributions explain its learner's raw score; calibration is an
 * increasing map of that score, so the order and sign of the reasons are the same. A blend's
 * contributions are the weighted sum of its learners' (by feature name), as its raw score is.
 */
import { featureColumns } from '../feature-columns.ts';
import { logisticContributions } from '../logistic/predict-logistic.ts';
import { learnerParts, modelFeatures } from '../learner-parts.ts';
import type { BaseModel, GbdtModel, Model } from '../model.ts';
import { predict, predictRaw } from '../predict.ts';
import { takeRows, type Table } from '../table.ts';
import { expectedValue, treeShap } from './tree-shap.ts';

export interface FeatureContribution {
  feature: string;
  /** The row's value of the feature (number, level, or null when missing). */
  value: number | string | null;
  /** Its contribution to the raw score (log-odds); positive raises the score. */
  effect: number;
}

export interface Explanation {
  /** The raw score with no feature known (log-odds). */
  baseline: number;
  contributions: FeatureContribution[];
  /** baseline + the sum of the effects. */
  raw: number;
  probability: number;
}

export function explain(model: Model, table: Table, row = 0): Explanation {
  const one = takeRows(table, [row]);
  const features = modelFeatures(model);
  const index = new Map(features.map((f, i) => [f.name, i]));
  const effects = new Float64Array(features.length);
  let baseline = 0;
  for (const { model: base, weight } of learnerParts(model)) {
    const part = learnerEffects(base, one);
    baseline += weight * part.baseline;
    base.features.forEach((f, k) => (effects[index.get(f.name)!] += weight * part.effects[k]));
  }
  const contributions = features.map((feature, f) => ({ feature: feature.name, value: valueOf(one, feature.name), effect: effects[f] }));
  return { baseline, contributions, raw: predictRaw(model, one)[0], probability: predict(model, one)[0] };
}

function learnerEffects(base: BaseModel, one: Table): { baseline: number; effects: Float64Array } {
  return base.kind === 'gbdt' ? gbdtEffects(base, one) : linearEffects(base, one);
}

function gbdtEffects(model: GbdtModel, one: Table): { baseline: number; effects: Float64Array } {
  const columns = featureColumns(model.features, one);
  const x = columns.map((column) => column[0]);
  const effects = new Float64Array(model.features.length);
  let baseline = model.baseScore;
  for (const tree of model.trees) {
    baseline += expectedValue(tree);
    treeShap(tree, x, effects);
  }
  return { baseline, effects };
}

function linearEffects(model: BaseModel & { kind: 'logistic' }, one: Table): { baseline: number; effects: Float64Array } {
  const { baseline, contributions } = logisticContributions(model, one, 0);
  const byName = new Map(contributions.map((c) => [c.feature, c.value]));
  return { baseline, effects: Float64Array.from(model.features, (f) => byName.get(f.name) ?? 0) };
}

function valueOf(table: Table, name: string): number | string | null {
  const j = table.numericNames.indexOf(name);
  if (j >= 0) {
    const x = table.numeric[j][0];
    return Number.isNaN(x) ? null : x;
  }
  const k = table.categoricalNames.indexOf(name);
  return k >= 0 ? table.categorical[k][0] : null;
}
