import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibrationTable, explain, learnerParts, modelToJson, parseModel, predict, predictRaw, rocAuc, train, trainInWorker, type Table } from './learners.ts';
import { leads, numericTable } from './fixtures.ts';
import { seededRandom } from '../../src/learners/random.ts';
import { chooseWeight } from '../../src/learners/auto.ts';
import { FeatureTableBuilder } from '../../src/features/feature-table.ts';

test('auto keeps the trees when the truth is not linear, and says how it chose', () => {
  const { table, labels } = leads(6000);
  const model = train({ table, labels });
  assert.equal(model.kind, 'calibrated');
  if (model.kind !== 'calibrated') return;
  assert.equal(model.model.kind, 'gbdt');
  // Judged on three time-ordered snapshots, each the next 1,200 rows after all before them.
  assert.equal(model.selection!.folds, 3);
  assert.equal(model.selection!.holdoutRows, 3 * 1200);
  const [gbdt, logistic] = model.selection!.candidates;
  assert.equal(gbdt.kind, 'gbdt');
  assert.ok(gbdt.auc > logistic.auc);
});

test('auto keeps the linear model when the truth is linear and the data small', () => {
  const random = seededRandom(4);
  const columns: Record<string, number[]> = { a: [], b: [], c: [] };
  const labels: number[] = [];
  for (let i = 0; i < 800; i++) {
    const [a, b, c] = [random(), random(), random()].map((u) => u * 4 - 2);
    columns.a.push(a);
    columns.b.push(b);
    columns.c.push(c);
    labels.push(random() < 1 / (1 + Math.exp(-(1.5 * a - b + 0.5 * c))) ? 1 : 0);
  }
  const model = train({ table: numericTable(columns), labels });
  assert.equal(model.kind === 'calibrated' && model.model.kind, 'logistic');
});

test('auto compares the learners on the rows the caller names: fitted on low values, judged beyond them, it keeps the model that carries the trend on', () => {
  // The truth rises with x all the way; the fit rows only see x in [0, 1), the named holdout x in [1, 3).
  const random = seededRandom(9);
  const x: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 4000; i++) {
    const value = i < 3000 ? random() : 1 + 2 * random();
    x.push(value);
    labels.push(random() < 1 / (1 + Math.exp(-(2.5 * value - 2.5))) ? 1 : 0);
  }
  const table = numericTable({ x });
  const fit = Array.from({ length: 3000 }, (_, i) => i);
  const holdout = Array.from({ length: 1000 }, (_, i) => 3000 + i);
  const named = train({ table, labels, options: { auto: { choice: { fit, holdout } } } });
  assert.equal(named.kind, 'calibrated');
  if (named.kind !== 'calibrated') return;
  assert.equal(named.selection!.holdoutRows, 1000, 'compared on exactly the named rows');
  const [gbdt, logistic] = named.selection!.candidates;
  assert.ok(logistic.auc > gbdt.auc + 0.05, `beyond the fitted range the trees go flat (${gbdt.auc} vs ${logistic.auc})`);
  assert.equal(named.model.kind, 'logistic');

  // Named rows with one class only cannot compare anything: the learners' own holdout is used.
  const oneClass = holdout.filter((i) => labels[i] === 1);
  const fallback = train({ table, labels, options: { auto: { choice: { fit, holdout: oneClass } } } });
  assert.equal(fallback.kind === 'calibrated' && fallback.selection!.holdoutRows, 3 * 800);
  assert.equal(fallback.kind === 'calibrated' && fallback.selection!.folds, 3);
});

test('calibrated probabilities are honest on new rows', () => {
  const { table, labels } = leads(8000, 1);
  const model = train({ table, labels, options: { auto: { holdout: 'stratified' } } });
  const fresh = leads(20_000, 2);
  const p = predict(model, fresh.table);
  for (const bin of calibrationTable(p, fresh.labels, 5)) {
    if (bin.count > 500) assert.ok(Math.abs(bin.meanPredicted - bin.observedRate) < 0.05, JSON.stringify(bin));
  }
  assert.ok(rocAuc(p, fresh.labels) > 0.7);
});

test('training on a worker thread gives the same model and leaves the event loop free', async () => {
  const { table, labels } = leads(20_000);
  // Training on this thread would hold the event loop for the whole run: the longest gap between
  // timer ticks would be the training time. (A count of ticks is at the mercy of a loaded machine.)
  let last = Date.now();
  let longestGap = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 2);
  const started = Date.now();
  const viaWorker = await trainInWorker({ table, labels, options: { model: 'gbdt', seed: 3 } });
  const elapsed = Date.now() - started;
  clearInterval(timer);
  longestGap = Math.max(longestGap, Date.now() - last);
  assert.equal(modelToJson(viaWorker), modelToJson(train({ table, labels, options: { model: 'gbdt', seed: 3 } })));
  assert.ok(longestGap < elapsed / 2, `the event loop stood still for ${longestGap} ms of the ${elapsed} ms of training`);
});

test('a worker reports bad input as a rejection', async () => {
  await assert.rejects(trainInWorker({ table: numericTable({ x: [1, 2, 3] }), labels: [1, 1, 1] }), /one class/);
});

test('a feature table from the features room is a table the learners take', () => {
  const builder = new FeatureTableBuilder(['page views (last 30 days)'], ['industry']);
  for (let i = 0; i < 400; i++) builder.add(`contact-${i}`, i, [i % 40], [i % 3 === 0 ? 'software' : i % 3 === 1 ? null : 'retail'], i % 40 > 25 ? 1 : 0);
  const features = builder.build();
  const model = train({ table: features, labels: features.labels!, options: { model: 'gbdt' } });
  assert.ok(rocAuc(predict(model, features), features.labels!) > 0.95);
});

/**
 * Known answer: the log-odds are a sum of eight smooth linear effects (which trees approximate in
 * steps) plus an interaction of two signs (which a linear model cannot express). Neither learner
 * alone is right; their blend is closer to the truth than either.
 */
function linearPlusInteraction(rows: number, seed: number): { table: Table; labels: Uint8Array } {
  const random = seededRandom(seed);
  const columns: Record<string, number[]> = {};
  for (let j = 0; j < 10; j++) columns[`x${j}`] = [];
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: 10 }, () => random() * 2 - 1);
    x.forEach((v, j) => columns[`x${j}`].push(v));
    let z = -0.5;
    for (let j = 0; j < 8; j++) z += x[j];
    z += 0.8 * Math.sign(x[8]) * Math.sign(x[9]);
    labels[i] = random() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { table: numericTable(columns), labels };
}

for (const holdout of ['stratified', 'tail'] as const) {
  test(`the blend never ranks worse than its parts on held-out rows of a known-answer data set (${holdout} folds)`, () => {
    const { table, labels } = linearPlusInteraction(5000, 11);
    const model = train({ table, labels, options: { auto: { holdout } } });
    assert.equal(model.kind, 'calibrated');
    if (model.kind !== 'calibrated') return;
    assert.ok(model.blend, `a blend is kept: ${JSON.stringify(model.selection)}`);
    assert.ok(model.selection!.blend!.auc > Math.max(...model.selection!.candidates.map((c) => c.auc)), 'chosen because it beat each learner on the folds');
    const fresh = linearPlusInteraction(20_000, 12);
    const blended = rocAuc(predict(model, fresh.table), fresh.labels);
    const parts = learnerParts(model).map((part) => rocAuc(predictRaw(part.model, fresh.table), fresh.labels));
    assert.equal(parts.length, 2);
    for (const auc of parts) assert.ok(blended >= auc, `blend ${blended} vs part ${auc}`);
    // Each learner trained alone on all rows does no better either.
    for (const kind of ['gbdt', 'logistic'] as const) {
      const alone = rocAuc(predict(train({ table, labels, options: { model: kind } }), fresh.table), fresh.labels);
      assert.ok(blended >= alone, `blend ${blended} vs ${kind} alone ${alone}`);
    }
    // The blend explains itself: the contributions add up to its raw score, and it survives JSON.
    const why = explain(model, fresh.table, 3);
    const sum = why.baseline + why.contributions.reduce((a, c) => a + c.effect, 0);
    assert.ok(Math.abs(sum - predictRaw(model, fresh.table)[3]) < 1e-9);
    assert.deepEqual(predict(parseModel(modelToJson(model)), fresh.table), predict(model, fresh.table));
  });
}

test('the choice is deterministic under a seed', () => {
  const { table, labels } = linearPlusInteraction(3000, 5);
  for (const holdout of ['stratified', 'tail'] as const) {
    const first = modelToJson(train({ table, labels, options: { seed: 7, auto: { holdout } } }));
    assert.equal(modelToJson(train({ table, labels, options: { seed: 7, auto: { holdout } } })), first);
  }
});

test('the blend weight: the one nearest the equal blend among those within one paired standard error of the best, unless the folds clearly say otherwise', () => {
  const weights = [0, 0.25, 0.5, 0.75, 1];
  const meanOf = (rows: number[][]) => rows.map((r) => r.reduce((a, b) => a + b, 0) / r.length);
  // 0.75 has the best mean, but by less than its fold-to-fold spread against 0.5: the equal blend wins.
  const noisy = [[0.80, 0.79, 0.81], [0.82, 0.80, 0.82], [0.835, 0.815, 0.830], [0.840, 0.818, 0.825], [0.838, 0.817, 0.823]];
  assert.equal(weights[chooseWeight(noisy, meanOf(noisy), weights)], 0.5);
  // The same means, but 0.75 beats 0.5 on every fold by the same margin: no noise, so the best mean wins.
  const clear = [[0.80, 0.79, 0.81], [0.82, 0.80, 0.82], [0.830, 0.814, 0.822], [0.833, 0.817, 0.825], [0.832, 0.816, 0.824]];
  assert.equal(weights[chooseWeight(clear, meanOf(clear), weights)], 0.75);
  // One fold: no spread to judge noise by, the best mean wins.
  const one = noisy.map((r) => [r[0]]);
  assert.equal(weights[chooseWeight(one, meanOf(one), weights)], 0.75);
});
