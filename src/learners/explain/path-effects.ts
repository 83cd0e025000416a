/**
 * Fast per-row explanations for scoring a whole portal, where exact TreeSHAP (explain.ts) would cost
 * milliseconds a row. Trees: path attribution (Saabas): walking a row down a tree, each split moves
 * the expected value from the node's (cover-weighted mean of its leaves) to its child's, and that
 * move is credited to the split's feature. Baseline + effects add up exactly to the raw score, like
 * TreeSHAP, and on the features that matter most the two agree in sign and order in practice; the
 * tests check both properties. Linear models: the same effects as `explain` (coefficient × (value −
 * training mean)). Pure.
 *
 *   const effectsOf = pathEffects(model, table);
 *   const { baseline, effects } = effectsOf(row);   // effects[f] for modelFeatures(model)[f]
 *
 * A blend's effects are the weighted sum of its learners' (its raw score is their weighted sum).
 */
import { featureColumns } from '../feature-columns.ts';
import { goesLeft } from '../gbdt/predict-gbdt.ts';
import { logisticContributions } from '../logistic/predict-logistic.ts';
import { learnerParts, modelFeatures } from '../learner-parts.ts';
import type { BaseModel, GbdtTree, Model } from '../model.ts';
import type { Table } from '../table.ts';

export interface RowEffects {
  baseline: number;
  /** One per model feature, in `modelFeatures(model)`'s order; reused between calls (copy to keep). */
  effects: Float64Array;
}

/** Each node's expected value: the cover-weighted mean of the leaves below it. */
function nodeMeans(tree: GbdtTree): Float64Array {
  const means = new Float64Array(tree.feature.length);
  const visit = (node: number): number => {
    if (tree.feature[node] < 0) return (means[node] = tree.value[node]);
    const l = tree.left[node];
    const r = tree.right[node];
    const lv = visit(l);
    const rv = visit(r);
    const cover = tree.cover[l] + tree.cover[r];
    return (means[node] = cover > 0 ? (lv * tree.cover[l] + rv * tree.cover[r]) / cover : (lv + rv) / 2);
  };
  visit(0);
  return means;
}

export function pathEffects(model: Model, table: Table): (row: number) => RowEffects {
  const parts = learnerParts(model);
  if (parts.length === 1) return learnerPathEffects(parts[0].model, table);
  const features = modelFeatures(model);
  const index = new Map(features.map((f, i) => [f.name, i]));
  const effects = new Float64Array(features.length);
  const each = parts.map(({ model: base, weight }) => ({ weight, effectsOf: learnerPathEffects(base, table), at: base.features.map((f) => index.get(f.name)!) }));
  return (row) => {
    effects.fill(0);
    let baseline = 0;
    for (const { weight, effectsOf, at } of each) {
      const part = effectsOf(row);
      baseline += weight * part.baseline;
      for (let f = 0; f < at.length; f++) effects[at[f]] += weight * part.effects[f];
    }
    return { baseline, effects };
  };
}

function learnerPathEffects(base: BaseModel, table: Table): (row: number) => RowEffects {
  const effects = new Float64Array(base.features.length);
  if (base.kind === 'logistic') {
    const index = new Map(base.features.map((f, i) => [f.name, i]));
    return (row) => {
      effects.fill(0);
      const { baseline, contributions } = logisticContributions(base, table, row);
      for (const c of contributions) effects[index.get(c.feature)!] = c.value;
      return { baseline, effects };
    };
  }
  const columns = featureColumns(base.features, table);
  const means = base.trees.map(nodeMeans);
  const baseline = base.baseScore + means.reduce((sum, m) => sum + m[0], 0);
  return (row) => {
    effects.fill(0);
    for (let t = 0; t < base.trees.length; t++) {
      const tree = base.trees[t];
      const mean = means[t];
      let node = 0;
      while (tree.feature[node] >= 0) {
        const f = tree.feature[node];
        const next = goesLeft(tree, node, columns[f][row]) ? tree.left[node] : tree.right[node];
        effects[f] += mean[next] - mean[node];
        node = next;
      }
    }
    return { baseline, effects };
  };
}
