import assert from 'node:assert/strict';
import { test } from 'node:test';
import { featureColumns } from '../../src/learners/feature-columns.ts';
import { leafOf, predictGbdtRaw } from '../../src/learners/gbdt/predict-gbdt.ts';
import { trainGbdt } from '../../src/learners/gbdt/train-gbdt.ts';
import { modelToJson, predict, rocAuc, trainLogistic } from './learners.ts';
import { leads, numericTable, table } from './fixtures.ts';

const oneStump = { maxIterations: 1, maxLeaves: 2, minSamplesLeaf: 1, earlyStopping: false, learningRate: 0.1 } as const;

test('known answer: the best split of a tiny set, its threshold, gain-optimal leaves and values', () => {
  // y = 1 exactly when x > 4; the noise column cannot separate the classes.
  const t = numericTable({ noise: [5, 1, 4, 8, 2, 7, 3, 6], x: [1, 2, 3, 4, 5, 6, 7, 8] });
  const model = trainGbdt(t, [0, 0, 0, 0, 1, 1, 1, 1], oneStump);
  const tree = model.trees[0];
  assert.equal(model.baseScore, 0);
  assert.equal(model.features[tree.feature[0]].name, 'x');
  assert.equal(tree.threshold[0], 4.5, 'the midpoint between 4 and 5');
  // Each leaf: 4 rows of gradient +-0.5 and hessian 0.25: value = -0.1 * (+-2) / 1.
  assert.ok(Math.abs(tree.value[tree.left[0]] + 0.2) < 1e-12);
  assert.ok(Math.abs(tree.value[tree.right[0]] - 0.2) < 1e-12);
  assert.deepEqual([tree.cover[0], tree.cover[tree.left[0]], tree.cover[tree.right[0]]], [8, 4, 4]);
});

test('missing values: the default direction is learned, and follows the larger child when training had none', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, NaN, NaN, NaN];
  const right = trainGbdt(numericTable({ x }), [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1], oneStump).trees[0];
  assert.equal(right.threshold[0], 4.5);
  assert.equal(right.missingLeft[0], false, 'missing rows are positive, like the right side');
  const left = trainGbdt(numericTable({ x }), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0], oneStump).trees[0];
  assert.equal(left.missingLeft[0], true, 'missing rows are negative, like the left side');
  // No missing values in training: a missing value at scoring time goes where most rows went.
  const none = trainGbdt(numericTable({ x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }), [0, 0, 0, 0, 0, 0, 0, 1, 1, 1], oneStump);
  assert.equal(none.trees[0].missingLeft[0], true);
  const scored = predictGbdtRaw(none, numericTable({ x: [NaN, 1] }));
  assert.equal(scored[0], scored[1]);
});

test('categorical split: levels grouped by their gradients; unseen levels score as missing ones', () => {
  const levels = ['a', 'b', 'c', 'd'];
  const source: string[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 80; i++) {
    source.push(levels[i % 4]);
    labels.push(i % 4 < 2 ? 1 : 0);
  }
  const model = trainGbdt(table({}, { source }), labels, oneStump);
  const tree = model.trees[0];
  const feature = model.features[tree.feature[0]];
  assert.equal(feature.type, 'categorical');
  const leftNames = new Set(tree.leftLevels[0]!.map((code) => (feature.type === 'categorical' ? feature.levels[code] : '')));
  assert.ok(['a,b', 'c,d'].includes([...leftNames].sort().join(',')), [...leftNames].join(','));
  const scored = predictGbdtRaw(model, table({}, { source: ['zzz', null, 'NA', 'a', 'c'] }));
  assert.equal(scored[0], scored[1], 'an unseen level scores as missing');
  assert.equal(scored[1], scored[2], '"NA" is missing');
  assert.ok(scored[3] > scored[4]);
});

test('a constant column is never split on; only constant columns make a model of the base rate', () => {
  const { table: t, labels } = leads(2000);
  const model = trainGbdt(t, labels, { maxIterations: 20 });
  const constant = model.features.findIndex((f) => f.name === 'constant');
  assert.ok(model.trees.every((tree) => !tree.feature.includes(constant)));
  const flat = trainGbdt(numericTable({ c: [3, 3, 3, 3] }), [0, 1, 1, 1], { minSamplesLeaf: 1 });
  assert.equal(flat.trees.length, 0);
  assert.ok(Math.abs(predict(flat, numericTable({ c: [3] }))[0] - 0.75) < 1e-12);
});

test('a one-row leaf when min samples per leaf is 1', () => {
  const x = Array.from({ length: 30 }, (_, i) => i);
  x.push(100);
  const labels = x.map((v) => (v === 100 ? 1 : 0));
  const model = trainGbdt(numericTable({ x }), labels, { ...oneStump, maxLeaves: 4, maxIterations: 3 });
  const covers = model.trees.flatMap((tree) => tree.cover.filter((_, node) => tree.feature[node] < 0));
  assert.ok(covers.includes(1));
  const p = predict(model, numericTable({ x: [100, 5] }));
  assert.ok(p[0] > p[1]);
});

test('leaves respect min samples per leaf', () => {
  const { table: t, labels } = leads(3000);
  const model = trainGbdt(t, labels, { minSamplesLeaf: 37, maxIterations: 15 });
  for (const tree of model.trees) tree.feature.forEach((f, node) => f < 0 && assert.ok(tree.cover[node] >= 37));
});

test('the same seed gives the same model, byte for byte; another seed another model', () => {
  const { table: t, labels } = leads(3000);
  const options = { subsample: 0.7, maxIterations: 20, earlyStopping: true as const };
  const a = modelToJson(trainGbdt(t, labels, { ...options, seed: 5 }));
  const b = modelToJson(trainGbdt(t, labels, { ...options, seed: 5 }));
  const c = modelToJson(trainGbdt(t, labels, { ...options, seed: 6 }));
  assert.equal(a, b);
  assert.notEqual(a, c);
});

test('early stopping holds out a stratified tenth and keeps the trees up to the best validation loss', () => {
  const { table: t, labels } = leads(20_000);
  const model = trainGbdt(t, labels, { maxIterations: 300 });
  assert.equal(model.training.validationRows, 2000);
  assert.ok(model.trees.length < 300);
  assert.ok(model.training.validationLogLoss! < 0.6);
});

test('learns what a linear model cannot (exclusive or)', () => {
  const n = 4000;
  const a: number[] = [];
  const b: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    a.push((i * 7919) % 1000 / 1000);
    b.push((i * 104729) % 997 / 997);
    labels.push((a[i] > 0.5) !== (b[i] > 0.5) ? 1 : 0);
  }
  const t = numericTable({ a, b });
  const trees = rocAuc(predict(trainGbdt(t, labels), t), labels);
  const linear = rocAuc(predict(trainLogistic(t, labels), t), labels);
  assert.ok(trees > 0.99, `trees ${trees}`);
  assert.ok(linear < 0.6, `linear ${linear}`);
});

test('QuickScorer scores exactly as walking each tree, with missing values and unseen levels; big trees are walked', () => {
  const { table: t, labels } = leads(3000);
  const probe = leads(500, 9).table;
  probe.categorical[0] = probe.categorical[0].map((v, i) => (i % 7 === 0 ? 'never-seen' : v));
  for (const maxLeaves of [31, 48]) {
    const model = trainGbdt(t, labels, { maxLeaves, minSamplesLeaf: 5, maxIterations: 25 });
    const columns = featureColumns(model.features, probe);
    const scored = predictGbdtRaw(model, probe);
    for (let row = 0; row < probe.rowCount; row++) {
      let walked = model.baseScore;
      for (const tree of model.trees) walked += tree.value[leafOf(tree, columns, row)];
      assert.ok(Object.is(walked, scored[row]), `row ${row} with ${maxLeaves} leaves`);
    }
  }
});
