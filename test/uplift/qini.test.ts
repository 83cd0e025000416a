import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootstrapStandardErrors, qiniCoefficient, rankByScore, upliftInTop } from '../../src/uplift/index.ts';

const close = (a: number, b: number, tolerance = 1e-12) => assert.ok(Math.abs(a - b) < tolerance, `${a} vs ${b}`);

test('Qini coefficient: known values by hand', () => {
  // Curve (0,0) -> (0.5, 0.5) -> (1, 0.5); area 0.375; random line area 0.25.
  close(qiniCoefficient({ score: [0.9, 0.1], treated: [1, 0], outcome: [1, 0] }), 0.125);
  // Four records: treated hit, control miss ranked first, then treated miss, control hit.
  // Points: k=1 (0.25, 1/4), k=2 (0.5, 1/4), k=3 (0.75, 1/4), k=4 (1, (1 - 1)/4 = 0).
  const sample = { score: [4, 3, 2, 1], treated: [1, 0, 1, 0], outcome: [1, 0, 0, 1] };
  // Trapezoids of width 0.25: 0.125 + 0.25 + 0.25 + 0.125 (mean heights); the random line ends at 0.
  close(qiniCoefficient(sample), 0.25 * (0.125 + 0.25 + 0.25 + 0.125));
  // The same records ranked the other way round: below the random line.
  assert.ok(qiniCoefficient({ ...sample, score: [1, 2, 3, 4] }) < 0);
});

test('Qini coefficient: one tied score earns nothing, and a weight counts as copies of a row', () => {
  const treated = [1, 0, 1, 0, 1, 0];
  const outcome = [1, 0, 1, 1, 0, 0];
  close(qiniCoefficient({ score: [5, 5, 5, 5, 5, 5], treated, outcome }), 0);
  const score = [6, 5, 4, 3, 2, 1];
  const copies = { score: [6, 6, 5, 4, 3, 2, 2, 2, 1], treated: [1, 1, 0, 1, 0, 1, 1, 1, 0], outcome: [1, 1, 0, 1, 1, 0, 0, 0, 0] };
  const weights = [2, 1, 1, 1, 3, 1];
  close(qiniCoefficient({ score, treated, outcome }, rankByScore(score), weights), qiniCoefficient(copies));
});

test('uplift among the top 30 %: treated minus control rate there, with its standard error', () => {
  // 10 records, the top 3 ranked: treated (hit), treated (miss), control (miss).
  const sample = { score: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], treated: [1, 1, 0, 1, 0, 1, 0, 1, 0, 0], outcome: [1, 0, 0, 1, 1, 0, 0, 1, 1, 0] };
  const top = upliftInTop(sample, 0.3);
  assert.deepEqual([top.treated, top.control], [2, 1]);
  close(top.uplift, 0.5);
  close(top.standardError, Math.sqrt(0.25 / 2 + 0));
  assert.ok(Number.isNaN(upliftInTop({ ...sample, treated: sample.treated.map(() => 1) }, 0.3).uplift), 'no control records there: no figure');
});

test('bootstrap standard error of a mean is close to the analytic one, and the same seed gives the same figure', () => {
  const values = Array.from({ length: 2000 }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const mean = (w: Uint32Array) => { let s = 0, n = 0; w.forEach((c, i) => { s += c * values[i]; n += c; }); return s / n; };
  const a = bootstrapStandardErrors(values.length, { mean }, 300, 5);
  close(a.mean, Math.sqrt((0.25 * 0.75) / 2000), 0.0015);
  assert.equal(bootstrapStandardErrors(values.length, { mean }, 300, 5).mean, a.mean);
});
