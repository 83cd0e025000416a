import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyCalibration, fitCalibration } from '../../src/learners/calibration/choose-calibration.ts';
import { applyIsotonic, fitIsotonic } from '../../src/learners/calibration/isotonic.ts';
import { applyPlatt, fitPlatt } from '../../src/learners/calibration/platt.ts';
import { seededRandom } from '../../src/learners/random.ts';

function sample(n: number, slope: number, intercept: number, seed = 3): { raw: number[]; labels: number[] } {
  const random = seededRandom(seed);
  const raw: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = random() * 8 - 4;
    raw.push(s);
    labels.push(random() < 1 / (1 + Math.exp(-(slope * s + intercept))) ? 1 : 0);
  }
  return { raw, labels };
}

test('Platt scaling recovers the slope and intercept that generated the outcomes', () => {
  const { raw, labels } = sample(40_000, 0.5, -1);
  const c = fitPlatt(raw, labels);
  assert.ok(Math.abs(c.slope - 0.5) < 0.03, `slope ${c.slope}`);
  assert.ok(Math.abs(c.intercept + 1) < 0.05, `intercept ${c.intercept}`);
  assert.ok(Math.abs(applyPlatt(c, 2) - 0.5) < 0.02);
});

test('isotonic: pool-adjacent-violators steps, clamped away from 0 and 1', () => {
  const c = fitIsotonic([1, 2, 3, 4], [0, 1, 0, 1]);
  assert.deepEqual(c.scores, [1, 2.5, 4]);
  assert.deepEqual(c.probabilities, [1 / 6, 0.5, 5 / 6]);
  assert.equal(applyIsotonic(c, 2.5), 0.5);
  assert.ok(Math.abs(applyIsotonic(c, 1.75) - (1 / 6 + 0.5) / 2) < 1e-15, 'linear between step centres');
});

test('calibration never reorders rows: both maps are strictly increasing, beyond the fitted range too', () => {
  const { raw, labels } = sample(3000, 1.3, 0.4);
  for (const calibration of [fitPlatt(raw, labels), fitIsotonic(raw, labels)]) {
    let previous = -Infinity;
    // Raw scores are log-odds; past about +-20 a double cannot tell probabilities apart any more.
    for (let s = -12; s <= 12; s += 0.01) {
      const p = applyCalibration(calibration, s);
      assert.ok(p > previous && p > 0 && p < 1, `${calibration.method} at ${s}`);
      previous = p;
    }
  }
});

test('the automatic choice keeps Platt for a logistic truth and isotonic for a step-shaped one', () => {
  const { raw, labels } = sample(4000, 1, 0);
  assert.equal(fitCalibration(raw, labels).method, 'platt');
  const random = seededRandom(8);
  const steps = raw.map(() => random() * 8 - 4);
  const stepLabels = steps.map((s) => (random() < (s < 0 ? 0.1 : s < 2 ? 0.5 : 0.9) ? 1 : 0));
  assert.equal(fitCalibration(steps, stepLabels).method, 'isotonic');
});
