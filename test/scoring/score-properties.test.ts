import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreProperties, writtenProbability } from '../../src/writeback/score-properties.ts';

test('the written conversion probability keeps three decimals and is never a certainty', () => {
  assert.equal(writtenProbability(0.7234), '0.723');
  // Two decimals wrote both as 0.01 (a tie) and the least likely as 0.00 (an infinite log-loss).
  assert.notEqual(writtenProbability(0.012), writtenProbability(0.008));
  assert.equal(writtenProbability(0.0001), '0.001');
  assert.equal(writtenProbability(0), '0.001');
  assert.equal(writtenProbability(0.99996), '0.999');
  const conclusion = { target: 'lead' as const, probability: 0.0004, tier: 'D' as const, reasons: '', modelVersion: 'lead-1', enrolment: { enrolment: 'none', reason: '' } };
  const written = scoreProperties(conclusion as Parameters<typeof scoreProperties>[0]);
  assert.equal(written.propensity_conversion_probability, '0.001');
  assert.equal(written.propensity_lead_score, '0', 'the whole score a person reads is unchanged');
});
