import assert from 'node:assert/strict';
import { test } from 'node:test';
import { predictUplift, trainEnrolmentUplift, trainUplift, upliftReadiness } from '../../src/uplift/index.ts';
import { plantedExperiment } from './planted-effects.ts';

test('an enrolment is ready for an uplift model once both groups have 30 records with and 30 without the outcome', () => {
  const notYet = upliftReadiness({ records: 400, outcomes: 80 }, { records: 40, outcomes: 12 });
  assert.equal(notYet.ready, false);
  assert.equal(notYet.reason, 'not yet: the control records need 18 more with the outcome and 2 more without it (12 of 40 so far)');
  const both = upliftReadiness({ records: 50, outcomes: 45 }, { records: 10, outcomes: 0 });
  assert.equal(both.reason, 'not yet: the enrolled records need 25 more without it (45 of 50 so far); the control records need 30 more with the outcome and 20 more without it (0 of 10 so far)');
  const ready = upliftReadiness({ records: 400, outcomes: 80 }, { records: 60, outcomes: 30 });
  assert.equal(ready.ready, true);
  assert.match(ready.reason, /^enough outcomes: 80 of 400 enrolled and 30 of 60 control records/);
  assert.equal(upliftReadiness({ records: 400, outcomes: 80 }, { records: 60, outcomes: 29 }).ready, false, 'one short is not ready');
});

test('a new uplift model is promoted only if its Qini is at least the current one\'s on the same held-out records', () => {
  const data = plantedExperiment(4000, 5, 0.9);
  const first = trainEnrolmentUplift(data);
  assert.equal(first.promoted, true);
  assert.match(first.reason, /^first uplift model for this enrolment \(.+, Qini 0\.\d{4} on \d+ held-out records\)$/);
  assert.ok(Math.abs(first.holdoutRows.length - 1000) < 5 && first.holdoutQini > 0.01);
  const version = 'uplift-sales_fast_track-1';
  // The current model learned from outcomes shuffled away from the records: it ranks by noise, the candidate replaces it.
  const shuffled = { ...data, outcome: data.outcome.map((_, i) => data.outcome[(i * 7919) % data.outcome.length]) };
  const better = trainEnrolmentUplift(data, { version, model: trainUplift(shuffled, { meta: 'two-model', base: 'gbdt' }) });
  assert.equal(better.promoted, true);
  assert.ok(better.currentQini! < better.holdoutQini - 0.01, `${better.currentQini} vs ${better.holdoutQini}`);
  assert.match(better.reason, new RegExp(`is at least ${version}'s -?0\\.\\d{4} on the same \\d+ records$`));
  // The other way round: a candidate that cannot tell the segments apart (one log-odds shift for
  // everyone; with half the records treated, every segment's outcome rate is 0.30) does not replace a
  // current model that can, judged on the same held-out records.
  const balanced = plantedExperiment(4000, 6, 0.5);
  const kept = trainEnrolmentUplift(balanced, { version, model: first.model }, { learners: [{ meta: 'single-model', base: 'logistic' }] });
  assert.equal(kept.promoted, false);
  assert.ok(kept.holdoutQini < kept.currentQini! - 0.01, `${kept.holdoutQini} vs ${kept.currentQini}`);
  assert.match(kept.reason, new RegExp(`is below ${version}'s 0\\.\\d{4} on the same \\d+ records; ${version} stays$`));
  assert.equal(predictUplift(better.model, data.table).length, 4000);
});
