import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CONVERTED_DAYS_AGO, DAY_MS, planBacktestPortal, propertyNameFor, TEST_CREATED_DAYS_AGO } from '../../src/backtest/plan-backtest-portal.ts';
import { runBacktest } from '../../src/backtest/run-backtest.ts';
import { projectRoot } from '../../src/install/app-definition.ts';
import { readCsvTable, labelsFromColumn, splitRows } from '../../src/tabular/index.ts';
import { testMongoUri } from '../helpers/mongo.ts';

/** A CSV whose outcome depends on two columns, with awkward column names and values. */
function writeCsv(rows: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'propensity-backtest-'));
  const file = path.join(dir, 'leads.csv');
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const lines = ['Visits Last Month,Plan Type,$where,a.b,Converted'];
  for (let i = 0; i < rows; i++) {
    const visits = Math.floor(rand() * 30);
    const plan = ['free', 'pro', 'team'][Math.floor(rand() * 3)];
    const score = visits / 30 + (plan === 'team' ? 0.4 : plan === 'pro' ? 0.2 : 0) + rand() * 0.5;
    lines.push(`${visits},${plan},${rand() < 0.5 ? 'x' : 'y'},${(rand() * 10).toFixed(2)},${score > 0.95 ? 'yes' : 'no'}`);
  }
  writeFileSync(file, lines.join('\n'));
  return file;
}

test('a CSV becomes valid, unique HubSpot property names and a history with the test rows\' outcomes hidden', () => {
  const taken = new Set<string>();
  assert.equal(propertyNameFor('Monthly Charges', taken), 'csv_monthly_charges');
  assert.equal(propertyNameFor('monthly-charges', taken), 'csv_monthly_charges_2');
  assert.equal(propertyNameFor('$where', taken), 'csv_where');
  assert.equal(propertyNameFor('a.b', taken), 'csv_a_b');
  assert.equal(propertyNameFor('!!!', taken), 'csv_column');
  const file = writeCsv(50);
  const csv = readCsvTable(file, { text: ['Converted'] });
  const labels = labelsFromColumn(csv.text.Converted, 'yes', 'Converted');
  const split = splitRows(csv.rowCount, 'mod5');
  const now = Date.UTC(2026, 0, 1);
  const plan = planBacktestPortal(csv.table, labels, split, now);
  assert.ok(plan.properties.every((p) => /^[a-z][a-z0-9_]*$/.test(p.name)));
  assert.equal(plan.records.length, 50);
  assert.equal(plan.testCount, split.test.length);
  for (const [i, record] of plan.records.entries()) {
    const row = plan.rows[i];
    const isTest = i >= plan.records.length - plan.testCount;
    if (isTest) {
      assert.equal(record.createdAt, now - TEST_CREATED_DAYS_AGO * DAY_MS);
      assert.deepEqual(record.changes ?? [], [], 'a test row carries no outcome');
    } else {
      assert.deepEqual(record.changes?.map((c) => c.values.lifecyclestage) ?? [], labels[row] === 1 ? ['customer'] : []);
      if (labels[row] === 1) assert.equal(record.changes![0].at, now - CONVERTED_DAYS_AGO * DAY_MS);
    }
  }
});

test('backtest through the whole app: install, sync, train, score, write back, read back', async () => {
  const file = writeCsv(1_500);
  const result = await runBacktest({
    csv: file, target: 'Converted', positive: 'yes', separator: ',', drop: [], split: 'mod5',
    dataDir: path.join(projectRoot, '.data'), mongodbUri: await testMongoUri(), unthrottled: true, timeoutMs: 240_000,
  });
  assert.equal(result.n_test, 300);
  assert.equal(result.n_train, 1_200);
  assert.match(result.model, /lead-1/, 'a learned model, not the rule model');
  assert.ok(result.auc > 0.8, `AUC of the written probabilities ${result.auc}`);
  assert.ok(result.hubspot_calls > 0);
  // It says which learner, calibration and blend the written model used, and its AUC before rounding.
  assert.ok(result.learner === 'gbdt' || result.learner === 'logistic', `learner ${result.learner}`);
  assert.ok(result.calibration === 'platt' || result.calibration === 'isotonic', `calibration ${result.calibration}`);
  assert.ok(result.blend === null || (result.blend.learner !== result.learner && result.blend.weight > 0 && result.blend.weight <= 0.5));
  assert.equal(result.selection?.candidates.length, 2);
  assert.ok(result.auc_unrounded > 0.8 && Math.abs(result.auc_unrounded - result.auc) < 0.02, `before rounding ${result.auc_unrounded}, written ${result.auc}`);
  assert.ok(Number.isFinite(result.logloss_unrounded));
  for (const key of ['auc', 'logloss', 'brier', 'train_s', 'score_s', 'n_train', 'n_test', 'positives_test', 'split']) assert.ok(key in result, key);
});
