import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brierScore, calibrationTable, logLoss, rocAuc, rocCurve } from '../../src/learners/index.ts';

test('AUC of hand-computed cases, ties counting one half', () => {
  assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75); // 3 of 4 pairs ordered right
  assert.equal(rocAuc([1, 2, 3], [0, 1, 1]), 1);
  assert.equal(rocAuc([3, 2, 1], [0, 1, 1]), 0);
  assert.equal(rocAuc([0.5, 0.5], [1, 0]), 0.5);
  // positives {2, 2}, negatives {1, 2}: pairs (2>1) twice = 2, (2=2) twice = 1 -> 3 of 4
  assert.equal(rocAuc([2, 2, 1, 2], [1, 1, 0, 0]), 0.75);
  assert.equal(rocAuc([5, 5, 5, 5], [1, 0, 1, 0]), 0.5);
});

test('AUC needs both classes and numbers', () => {
  assert.throws(() => rocAuc([0.1, 0.2], [1, 1]), /both positive and negative/);
  assert.throws(() => rocAuc([Number.NaN, 0.2], [1, 0]), /NaN/);
  assert.throws(() => rocAuc([0.1], [1, 0]), /1 scores for 2 labels/);
});

test('log-loss and Brier score', () => {
  assert.ok(Math.abs(logLoss([0.9, 0.2], [1, 0]) - -(Math.log(0.9) + Math.log(0.8)) / 2) < 1e-15);
  assert.ok(Number.isFinite(logLoss([0, 1], [1, 0])), 'clipped like scikit-learn');
  assert.ok(Math.abs(logLoss([0, 1], [1, 0]) - -Math.log(1e-15)) < 1e-3);
  assert.ok(Math.abs(brierScore([0.9, 0.2], [1, 0]) - 0.025) < 1e-15);
  assert.throws(() => brierScore([1.2], [1]), /not a probability/);
});

test('calibration table: mean prediction against observed rate per bin', () => {
  assert.deepEqual(calibrationTable([0.1, 0.15, 0.8], [0, 0, 1], 2), [
    { from: 0, to: 0.5, count: 2, meanPredicted: 0.125, observedRate: 0 },
    { from: 0.5, to: 1, count: 1, meanPredicted: 0.8, observedRate: 1 },
  ]);
  assert.equal(calibrationTable([1], [1], 10)[0].from, 0.9, 'a probability of 1 is in the top bin');
});

test('ROC points from (0, 0) to (1, 1), one per distinct score, thinned on request', () => {
  assert.deepEqual(rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), [
    { threshold: Infinity, fpr: 0, tpr: 0 },
    { threshold: 0.8, fpr: 0, tpr: 0.5 },
    { threshold: 0.4, fpr: 0.5, tpr: 0.5 },
    { threshold: 0.35, fpr: 0.5, tpr: 1 },
    { threshold: 0.1, fpr: 1, tpr: 1 },
  ]);
  const many = rocCurve(Array.from({ length: 1000 }, (_, i) => i), Array.from({ length: 1000 }, (_, i) => i % 2), 11);
  assert.equal(many.length, 11);
  assert.deepEqual([many[0].fpr, many[10].fpr, many[10].tpr], [0, 1, 1]);
});

test('the standard error of an AUC (Hanley & McNeil) shrinks with the rows and matches the spread of AUCs on resampled rows', async () => {
  const { aucStandardError } = await import('../../src/learners/metrics/auc-standard-error.ts');
  assert.equal(Number(aucStandardError(0.8, 100, 100).toFixed(4)), 0.0314);
  assert.ok(aucStandardError(0.8, 10_000, 10_000) < aucStandardError(0.8, 100, 100) / 5);
  assert.ok(Number.isNaN(aucStandardError(0.8, 50, 0)));
  // Scores of two normal classes one standard deviation apart (AUC 0.76): the AUC's spread over samples of 200 + 200.
  let seed = 3;
  const uniform = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const aucs: number[] = [];
  for (let r = 0; r < 300; r++) {
    const scores = [...Array.from({ length: 200 }, () => normal() + 1), ...Array.from({ length: 200 }, normal)];
    aucs.push(rocAuc(scores, [...new Array(200).fill(1), ...new Array(200).fill(0)]));
  }
  const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
  const spread = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / (aucs.length - 1));
  const predicted = aucStandardError(mean, 200, 200);
  assert.ok(Math.abs(spread - predicted) / predicted < 0.2, `spread ${spread} vs ${predicted}`);
});
