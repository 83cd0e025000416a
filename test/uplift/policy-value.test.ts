import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/learners/random.ts';
import { chooseActions, policyDifference, policyValue, type Arm } from '../../src/uplift/index.ts';

test('each record gets the action whose gain × value most exceeds its cost, or none', () => {
  const gains = { fast: [0.06, 0.02, -0.01, 0.04], slow: [0.03, 0.03, -0.02, 0.05] };
  assert.deepEqual(chooseActions({ gains }), ['fast', 'slow', null, 'slow']);
  assert.deepEqual(chooseActions({ gains, cost: { fast: 0.01, slow: 0.025 } }), ['fast', 'fast', null, 'fast']);
  assert.deepEqual(chooseActions({ gains, value: 10, cost: { fast: 0.5, slow: 0.5 } }), ['fast', null, null, null]);
});

test('policy value by inverse propensity weighting: known values, and the truth on a simulated experiment', () => {
  const v = policyValue({ arm: ['a', null], outcome: [1, 0], policy: ['a', 'a'] });
  assert.deepEqual(v, { value: 1, standardError: 1, matched: 1 });

  // Three arms randomised 20/40/40; the truth: 'a' gives 0.5 to odd records, 0.1 to even ones; 'b' 0.3 to all; none 0.2.
  const random = seededRandom(9);
  const arm: Arm[] = [];
  const outcome: number[] = [];
  const truth = (a: Arm, i: number) => (a === 'a' ? (i % 2 ? 0.5 : 0.1) : a === 'b' ? 0.3 : 0.2);
  for (let i = 0; i < 60_000; i++) {
    const u = random();
    const a: Arm = u < 0.2 ? null : u < 0.6 ? 'a' : 'b';
    arm.push(a);
    outcome.push(random() < truth(a, i) ? 1 : 0);
  }
  const best: Arm[] = arm.map((_, i) => (i % 2 ? 'a' : 'b'));
  const value = policyValue({ arm, outcome, policy: best });
  assert.ok(Math.abs(value.value - 0.4) < 3 * value.standardError && value.standardError < 0.006, JSON.stringify(value));
  const everyoneB = policyValue({ arm, outcome, policy: arm.map(() => 'b') });
  assert.ok(Math.abs(everyoneB.value - 0.3) < 3 * everyoneB.standardError);
  const difference = policyDifference({ arm, outcome, policy: best }, { arm, outcome, policy: arm.map(() => 'b') });
  assert.ok(Math.abs(difference.difference - 0.1) < 3 * difference.standardError && difference.difference > 2 * difference.standardError, JSON.stringify(difference));
});
