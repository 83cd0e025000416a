import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { evaluate } from '../../src/cli/commands/evaluate.ts';
import { runCommand } from '../helpers/cli.ts';
import { leads } from '../learners/fixtures.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'propensity-evaluate-'));
const peersFields = ['model', 'auc', 'logloss', 'brier', 'train_s', 'score_s', 'n_train', 'n_test', 'positives_test', 'split'];

/** A lead CSV with a quoted header, an id column, blanks and a ';' separator. */
function leadCsv(rows: number): string {
  const { table, labels } = leads(rows);
  const lines = ['"id";"visits";"age";"noise";"source";"converted"'];
  for (let i = 0; i < rows; i++) {
    const age = table.numeric[1][i];
    lines.push([`L${i}`, table.numeric[0][i], Number.isNaN(age) ? '' : age.toFixed(1), table.numeric[2][i].toFixed(4), `"${table.categorical[0][i] ?? ''}"`, labels[i] ? 'yes' : 'no'].join(';'));
  }
  const file = path.join(dir, `leads-${rows}.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const run = (t: TestContext, argv: string[]) => runCommand(t, evaluate, argv);

test('--json: one line per model with peers.py\'s fields; auto last, naming the learner it chose', async (t) => {
  const file = leadCsv(3000);
  const { code, out, err } = await run(t, ['--csv', file, '--sep', ';', '--target', 'converted', '--positive', 'yes', '--drop', 'id', '--json']);
  assert.equal(code, 0, err.join('\n'));
  const lines = out.map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.model.replace(/:.*/, '')), ['propensity-gbdt', 'propensity-logistic', 'propensity-auto']);
  assert.match(lines[2].model, /^propensity-auto:(gbdt|logistic)(~(gbdt|logistic)@0\.\d+)?\+(platt|isotonic)$/);
  for (const line of lines) {
    assert.deepEqual(Object.keys(line), peersFields);
    assert.deepEqual([line.n_train, line.n_test, line.split], [2400, 600, 'mod5']);
    assert.ok(line.auc > 0.6 && line.auc <= 1);
  }
});

test('one model, tail20, and a readable table without --json', async (t) => {
  const file = leadCsv(1000);
  const { code, out } = await run(t, ['--csv', file, '--sep', ';', '--target', 'converted', '--positive', 'yes', '--drop', 'id', '--model', 'logistic', '--split', 'tail20']);
  assert.equal(code, 0);
  assert.equal(out.length, 2);
  assert.match(out[0], /^model\s+auc\s+logloss\s+brier\s+train_s\s+score_s\s+n_train\s+n_test\s+positives_test\s+split$/);
  assert.match(out[1], /^propensity-logistic\s+0\.\d+\s.*\s800\s+200\s+\d+\s+tail20$/);
});

test('bad input: one line on stderr and exit code 2', async (t) => {
  const good = leadCsv(300);
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const cases: [string[], RegExp][] = [
    [['--csv', path.join(dir, 'missing.csv'), '--target', 'y', '--positive', '1'], /no such file/],
    [['--csv', write('empty.csv', ''), '--target', 'y', '--positive', '1'], /is empty/],
    [['--csv', write('ragged.csv', 'a,y\n1,0\n2\n'), '--target', 'y', '--positive', '1'], /line 3 .* 1 fields, the header has 2/],
    [['--csv', write('one.csv', 'a,y\n1,0\n2,0\n3,0\n'), '--target', 'y', '--positive', '0'], /one class/],
    [['--csv', write('few.csv', `a,y\n${Array.from({ length: 20 }, (_, i) => `${i},${i === 3 || i === 9 ? 1 : 0}`).join('\n')}\n`), '--target', 'y', '--positive', '1'], /too few rows of one class/],
    [['--csv', good, '--sep', ';', '--target', 'nope', '--positive', 'yes'], /no column "nope"/],
    [['--csv', good, '--sep', ';', '--target', 'converted', '--positive', 'yes', '--drop', 'ghost'], /no column "ghost"/],
    [['--csv', good, '--sep', ';', '--target', 'converted', '--positive', 'maybe'], /no row has converted = "maybe"/],
    [['--csv', good, '--target', 'converted'], /--positive is required/],
    [['--csv', good, '--target', 'converted', '--positive', 'yes', '--split', 'half'], /--split must be mod5 or tail20/],
    [['--csv', good, '--target', 'converted', '--positive', 'yes', '--model', 'forest'], /--model must be auto, gbdt or logistic/],
    [['--csv', good, '--target', 'converted', '--positive', 'yes', '--verbose'], /Unknown option '--verbose'/],
  ];
  for (const [argv, message] of cases) {
    const { code, out, err } = await run(t, argv);
    assert.equal(code, 2, argv.join(' '));
    assert.equal(err.length, 1, argv.join(' '));
    assert.match(err[0], /^propensity evaluate: /);
    assert.match(err[0], message);
    assert.ok(!err[0].includes('\n'));
    assert.deepEqual(out, []);
  }
});

const telco = path.resolve(import.meta.dirname, '../../../shared/datasets/ibm-telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv');

test('smoke on Telco churn: every model ranks churners well', { skip: !existsSync(telco) && 'the shared Telco data set is not here' }, async (t) => {
  const { code, out } = await run(t, ['--csv', telco, '--target', 'Churn', '--positive', 'Yes', '--drop', 'customerID', '--json']);
  assert.equal(code, 0);
  const lines = out.map((l) => JSON.parse(l));
  assert.equal(lines.length, 3);
  for (const line of lines) assert.ok(line.auc > 0.82, `${line.model} ${line.auc}`);
  assert.deepEqual([lines[0].n_train, lines[0].n_test, lines[0].positives_test], [5635, 1408, 378]);
});
