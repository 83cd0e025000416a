import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goesLeft } from '../../src/learners/gbdt/predict-gbdt.ts';
import { trainGbdt } from '../../src/learners/gbdt/train-gbdt.ts';
import { expectedValue, treeShap } from '../../src/learners/explain/tree-shap.ts';
import type { GbdtModel, GbdtTree } from '../../src/learners/model.ts';
import { explain, predictRaw, train, trainLogistic } from './learners.ts';
import { leads, numericTable } from './fixtures.ts';

/** E[tree(x) | the features in `known` are x's]: unknown features follow both branches by cover. */
function conditional(tree: GbdtTree, x: number[], known: Set<number>, node = 0): number {
  const f = tree.feature[node];
  if (f < 0) return tree.value[node];
  if (known.has(f)) return conditional(tree, x, known, goesLeft(tree, node, x[f]) ? tree.left[node] : tree.right[node]);
  const l = tree.left[node];
  const r = tree.right[node];
  return (tree.cover[l] * conditional(tree, x, known, l) + tree.cover[r] * conditional(tree, x, known, r)) / tree.cover[node];
}

/** Shapley values by their definition: every subset of the other features, weighted. */
function bruteForceShapley(tree: GbdtTree, x: number[], featureCount: number): number[] {
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  const phi = new Array<number>(featureCount).fill(0);
  for (let i = 0; i < featureCount; i++) {
    const others = [...Array(featureCount).keys()].filter((j) => j !== i);
    for (let mask = 0; mask < 1 << others.length; mask++) {
      const subset = new Set(others.filter((_, k) => mask & (1 << k)));
      const weight = (factorial(subset.size) * factorial(featureCount - subset.size - 1)) / factorial(featureCount);
      phi[i] += weight * (conditional(tree, x, new Set([...subset, i])) - conditional(tree, x, subset));
    }
  }
  return phi;
}

// A hand-made tree: feature 0 split twice on one path, a categorical split (feature 2), a missing-left node.
const handMade: GbdtTree = {
  feature: [0, 1, 2, 0, -1, -1, -1, -1, -1],
  threshold: [5, 2, null, 8, null, null, null, null, null],
  leftLevels: [null, null, [0, 2], null, null, null, null, null, null],
  missingLeft: [false, true, true, false, false, false, false, false, false],
  left: [1, 3, 5, 7, -1, -1, -1, -1, -1],
  right: [2, 4, 6, 8, -1, -1, -1, -1, -1],
  value: [0, 0, 0, 0, 0.3, -1.2, 0.7, 2.5, -0.4],
  cover: [100, 60, 40, 45, 15, 25, 15, 30, 15],
};

test('TreeSHAP equals brute-force Shapley values (1e-9) on a hand-made tree: a repeated feature, a categorical split, missing values', () => {
  const rows = [[3, 1, 0], [3, 4, 1], [9, 1, 2], [NaN, NaN, NaN], [4, NaN, 1], [6, 0, NaN], [10, 10, 3]];
  for (const x of rows) {
    const phi = new Float64Array(3);
    treeShap(handMade, x, phi);
    const expected = bruteForceShapley(handMade, x, 3);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(phi[i] - expected[i]) < 1e-9, `x=${x} feature ${i}: ${phi[i]} vs ${expected[i]}`);
    assert.ok(Math.abs(expectedValue(handMade) + phi.reduce((a, b) => a + b, 0) - conditional(handMade, x, new Set([0, 1, 2]))) < 1e-12);
  }
});

test('TreeSHAP equals brute-force Shapley values (1e-9) on trained trees', () => {
  const { table, labels } = leads(600);
  const model = trainGbdt(table, labels, { maxLeaves: 8, minSamplesLeaf: 5, maxIterations: 6 }) as GbdtModel;
  const probe = leads(20, 3).table;
  const sourceLevels = (model.features.find((f) => f.name === 'source') as { levels: string[] }).levels;
  for (let row = 0; row < probe.rowCount; row++) {
    const x = model.features.map((f) => {
      if (f.type === 'numeric') return probe.numeric[probe.numericNames.indexOf(f.name)][row];
      const v = probe.categorical[0][row];
      return v === null ? NaN : sourceLevels.indexOf(v);
    });
    for (const tree of model.trees) {
      const phi = new Float64Array(x.length);
      treeShap(tree, x, phi);
      const expected = bruteForceShapley(tree, x, x.length);
      for (let i = 0; i < x.length; i++) assert.ok(Math.abs(phi[i] - expected[i]) < 1e-9);
    }
  }
});

test('contributions are named, carry the row value, and add up to the raw score for every kind of model', () => {
  const { table, labels } = leads(3000);
  const models = [
    trainGbdt(table, labels, { maxIterations: 30 }),
    trainLogistic(table, labels),
    train({ table, labels }),
  ];
  for (const model of models) {
    const raw = predictRaw(model, table);
    for (const row of [0, 1, 2, 17, 99]) {
      const why = explain(model, table, row);
      const sum = why.baseline + why.contributions.reduce((a, c) => a + c.effect, 0);
      assert.ok(Math.abs(sum - raw[row]) < 1e-9, `${model.kind} row ${row}`);
      assert.ok(Math.abs(why.raw - raw[row]) < 1e-12);
      assert.deepEqual(why.contributions.map((c) => c.feature).sort(), ['age', 'constant', 'noise', 'source', 'visits']);
      const visits = why.contributions.find((c) => c.feature === 'visits')!;
      assert.equal(visits.value, table.numeric[0][row]);
    }
  }
});

test('linear contributions are coefficient x (standardised value - mean): a feature at its mean contributes 0', () => {
  const t = numericTable({ x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], z: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3] });
  const model = trainLogistic(t, [0, 0, 1, 0, 1, 0, 1, 1, 1, 1]);
  const atMean = numericTable({ x: [5.5], z: [3.9] });
  const why = explain(model, atMean, 0);
  const x = why.contributions.find((c) => c.feature === 'x')!;
  assert.ok(Math.abs(x.effect) < 1e-12);
  const feature = model.numeric.find((f) => f.name === 'x')!;
  const far = explain(model, numericTable({ x: [10], z: [3.9] }), 0).contributions.find((c) => c.feature === 'x')!;
  assert.ok(Math.abs(far.effect - feature.coefficient * ((10 - feature.mean) / feature.scale)) < 1e-12);
});

test('path effects (fast, for whole portals) add up to the raw score and agree with TreeSHAP on the strongest factor', async () => {
  const { pathEffects } = await import('./learners.ts');
  const { table, labels } = leads(3_000, 5);
  for (const kind of ['gbdt', 'logistic', 'auto'] as const) {
    const model = train({ table, labels, options: { model: kind, seed: 3 } });
    const raw = predictRaw(model, table);
    const effectsOf = pathEffects(model, table);
    let agree = 0;
    const rows = 200;
    for (let row = 0; row < rows; row++) {
      const { baseline, effects } = effectsOf(row);
      const sum = effects.reduce((a, e) => a + e, baseline);
      assert.ok(Math.abs(sum - raw[row]) < 1e-9, `${kind} row ${row}: ${sum} vs ${raw[row]}`);
      const exact = explain(model, table, row).contributions;
      const strongest = exact.reduce((a, c) => (Math.abs(c.effect) > Math.abs(a.effect) ? c : a));
      const f = exact.indexOf(strongest);
      if (Math.sign(effects[f]) === Math.sign(strongest.effect)) agree += 1;
    }
    assert.ok(agree >= rows * 0.9, `${kind}: the strongest TreeSHAP factor has the same sign in ${agree} of ${rows} rows`);
  }
});
