import assert from 'node:assert/strict';
import { test } from 'node:test';
import { takeRows } from '../../src/learners/index.ts';
import { chooseActions, chooseUpliftLearner, predictUplift, qiniCoefficient, trainUplift, upliftLearners, learnerName } from '../../src/uplift/index.ts';
import { plantedExperiment, segments, type Segment } from './planted-effects.ts';

const train = plantedExperiment(6000, 1);
const held = plantedExperiment(3000, 2);

function meanBySegment(gains: Float64Array): Record<Segment, number> {
  const sum = { helped: 0, harmed: 0, untouched: 0 };
  const n = { helped: 0, harmed: 0, untouched: 0 };
  held.segment.forEach((s, i) => { sum[s] += gains[i]; n[s]++; });
  return Object.fromEntries(segments.map((s) => [s, sum[s] / n[s]])) as Record<Segment, number>;
}

test('every uplift learner that can model an interaction ranks the planted segments right: helped above untouched above harmed', () => {
  for (const learner of upliftLearners) {
    const gains = meanBySegment(predictUplift(trainUplift(train, learner), held.table));
    if (learner.meta === 'single-model' && learner.base === 'logistic') {
      // One shift of the log-odds for everyone: it cannot tell the segments apart, so the choice must pass it by.
      assert.ok(Math.abs(gains.helped - gains.harmed) < 0.02, JSON.stringify(gains));
      continue;
    }
    assert.ok(gains.helped > gains.untouched + 0.1 && gains.untouched > gains.harmed + 0.1, `${learnerName(learner)}: ${JSON.stringify(gains)}`);
    // The single model and the transformed outcome shrink effects towards 0 (trees stopped early on a
    // weak signal), so only the two models' sizes are checked; the ranking is what targeting uses.
    if (learner.meta === 'two-model') assert.ok(Math.abs(gains.helped - 0.3) < 0.1 && Math.abs(gains.harmed + 0.3) < 0.1 && Math.abs(gains.untouched) < 0.1, `${learnerName(learner)} estimates the sizes: ${JSON.stringify(gains)}`);
  }
});

test('the chosen learner beats ranking by outcome probability on Qini, and the policy enrols only the helped segment', () => {
  const choice = chooseUpliftLearner(train);
  assert.notEqual(choice.learner, 'single-model:logistic');
  assert.equal(choice.candidates.length, upliftLearners.length);
  assert.ok(choice.candidates.some((c) => c.learner === choice.learner && c.qini === Math.max(...choice.candidates.map((x) => x.qini))), 'the best out-of-fold Qini is kept');
  const gains = predictUplift(choice.model, held.table);
  const sample = { treated: held.treated, outcome: held.outcome };
  // Outcome probability favours "harmed" (0.45 untreated) as much as "helped": no better than random.
  const outcomeRate = held.segment.map((s) => ({ helped: 0.3, harmed: 0.3, untouched: 0.3 })[s]);
  // The best possible here is about 1/30: half the helped third treated, 0.3 more outcomes each, over every record.
  const upliftQini = qiniCoefficient({ ...sample, score: gains });
  assert.ok(upliftQini > 0.025, `Qini ${upliftQini}`);
  assert.ok(upliftQini > qiniCoefficient({ ...sample, score: outcomeRate }) + 0.02);

  // Worth doing when the expected gain exceeds a cost of 5 points.
  const policy = chooseActions({ gains: { 'fast track': gains }, value: 1, cost: { 'fast track': 0.05 } });
  const enrolled = { helped: 0, harmed: 0, untouched: 0 };
  const n = { helped: 0, harmed: 0, untouched: 0 };
  held.segment.forEach((s, i) => { n[s]++; if (policy[i] === 'fast track') enrolled[s]++; });
  assert.ok(enrolled.helped / n.helped > 0.95, JSON.stringify(enrolled));
  assert.ok(enrolled.harmed / n.harmed < 0.02 && enrolled.untouched / n.untouched < 0.05, JSON.stringify(enrolled));
});

test('a small control group (10 %) still finds the helped and harmed segments', () => {
  const data = plantedExperiment(8000, 3, 0.9);
  const choice = chooseUpliftLearner(data);
  const gains = meanBySegment(predictUplift(choice.model, held.table));
  assert.ok(gains.helped > 0.15 && gains.harmed < -0.15 && Math.abs(gains.untouched) < 0.1, `${choice.learner}: ${JSON.stringify(gains)}`);
});

test('an uplift model refuses a group with one outcome only, or no control records', () => {
  const rows = Array.from({ length: 200 }, (_, i) => i);
  const table = takeRows(train.table, rows);
  assert.throws(() => trainUplift({ table, treated: rows.map(() => 1), outcome: rows.map((i) => i % 2) }, upliftLearners[0]), /control records hold no rows/);
  assert.throws(() => trainUplift({ table, treated: rows.map((i) => i % 2), outcome: rows.map((i) => (i % 2 === 1 ? 1 : i % 4 === 0 ? 1 : 0)) }, upliftLearners[0]), /treated records hold one outcome only/);
});
