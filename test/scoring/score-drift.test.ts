import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DRIFT_THRESHOLD, populationStability, scoreBins } from '../../src/scoring/score-drift.ts';

test('PSI is 0 for the same distribution, small for noise, above 0.2 when the scores move', () => {
  const base = Array.from({ length: 10_000 }, (_, i) => ((i * 7919) % 10_000) / 10_000 * 0.6);
  const same = scoreBins(base);
  assert.equal(populationStability(same, same), 0);
  assert.ok(Math.abs(same.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const jitter = scoreBins(base.map((p, i) => Math.min(0.999, p + (i % 3) * 0.002)));
  assert.ok(populationStability(same, jitter) < 0.05);
  const shifted = scoreBins(base.map((p) => Math.min(0.999, p + 0.25)));
  assert.ok(populationStability(same, shifted) > DRIFT_THRESHOLD);
  assert.deepEqual(scoreBins([0, 1, 0.95, 0.05]), [0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0.5]);
});
