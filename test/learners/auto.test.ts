import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibrationTable, modelToJson, predict, rocAuc, train, trainInWorker } from './learners.ts';
import { leads, numericTable } from './fixtures.ts';
import { seededRandom } from '../../src/learners/random.ts';
import { FeatureTableBuilder } from '../../src/features/feature-table.ts';

test('auto keeps the trees when the truth is not linear, and says how it chose', () => {
  const { table, labels } = leads(6000);
  const model = train({ table, labels });
  assert.equal(model.kind, 'calibrated');
  if (model.kind !== 'calibrated') return;
  assert.equal(model.model.kind, 'gbdt');
  assert.equal(model.selection!.holdoutRows, 1200);
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
  let ticks = 0;
  const timer = setInterval(() => ticks++, 2);
  const started = Date.now();
  const viaWorker = await trainInWorker({ table, labels, options: { model: 'gbdt', seed: 3 } });
  const elapsed = Date.now() - started;
  clearInterval(timer);
  assert.equal(modelToJson(viaWorker), modelToJson(train({ table, labels, options: { model: 'gbdt', seed: 3 } })));
  assert.ok(ticks > elapsed / 2 / 4, `${ticks} ticks in ${elapsed} ms`);
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
