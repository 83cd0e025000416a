import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { backtest } from '../../src/cli/commands/backtest.ts';
import { projectRoot } from '../../src/install/app-definition.ts';
import { runCommand } from '../helpers/cli.ts';

const retail = path.resolve(projectRoot, '../shared/datasets/uci-online-retail/online_retail_invoices.csv');
const dir = mkdtempSync(path.join(os.tmpdir(), 'propensity-send-time-'));
const run = (t: TestContext, argv: string[]) => runCommand(t, backtest, ['--send-time', ...argv]);

test('the bar: on the Online Retail purchases the model beats uniform, global and per-person histograms on both measures', async (t) => {
  const { code, out, err } = await run(t, ['--csv', retail, '--person', 'customer_id', '--time', 'invoice_datetime', '--where', 'is_cancellation=0', '--json']);
  assert.equal(code, 0, err.join('\n'));
  const lines = out.map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.method), ['propensity', 'uniform', 'global', 'person']);
  for (const line of lines) {
    assert.deepEqual(Object.keys(line), ['method', 'logLikelihoodPerEvent', 'top3Within1h', 'events', 'people']);
    assert.deepEqual([line.events, line.people], [5759, 2682]);
  }
  const [model, ...baselines] = lines;
  assert.ok(Math.abs(baselines[0].logLikelihoodPerEvent - Math.log(1 / 168)) < 1e-9, 'uniform is 1/168 per hour');
  for (const baseline of baselines) {
    assert.ok(model.logLikelihoodPerEvent > baseline.logLikelihoodPerEvent, `log-likelihood ${model.logLikelihoodPerEvent} vs ${baseline.method} ${baseline.logLikelihoodPerEvent}`);
    assert.ok(model.top3Within1h > baseline.top3Within1h, `top-3 ±1 h ${model.top3Within1h} vs ${baseline.method} ${baseline.top3Within1h}`);
  }
});

test('without --json: one readable line per method', async (t) => {
  const file = path.join(dir, 'small.csv');
  const rows = ['who;when'];
  for (let i = 0; i < 200; i++) rows.push(`p${i % 7};2024-0${1 + (i % 9)}-1${i % 10}T${String(8 + (i % 5)).padStart(2, '0')}:15:00+01:00`);
  writeFileSync(file, rows.join('\n'));
  const { code, out, err } = await run(t, ['--csv', file, '--sep', ';', '--person', 'who', '--time', 'when']);
  assert.equal(code, 0, err.join('\n'));
  assert.equal(out.length, 4);
  assert.match(out[0]!, /^propensity +log-likelihood\/event -\d+\.\d{3} +top-3 within 1 h \d\.\d{3} +events \d+ +people \d+$/);
});

test('bad input: one clear line and exit 2', async (t) => {
  const good = path.join(dir, 'good.csv');
  writeFileSync(good, 'id,at\na,2024-01-01 09:00\nb,2024-03-01 10:00\n');
  const badTime = path.join(dir, 'bad-time.csv');
  writeFileSync(badTime, 'id,at\na,2024-01-01 09:00\nb,2024-02-30 10:00\n');
  const blankPerson = path.join(dir, 'blank.csv');
  writeFileSync(blankPerson, 'id,at\n,2024-01-01 09:00\n');
  const oneTime = path.join(dir, 'one-time.csv');
  writeFileSync(oneTime, 'id,at\na,2024-01-01 09:00\nb,2024-01-01 09:00\n');
  const cases: [string[], RegExp][] = [
    [['--csv', good, '--time', 'at'], /--send-time needs --person/],
    [['--csv', good, '--person', 'who', '--time', 'at'], /--person column "who" is not in/],
    [['--csv', good, '--person', 'id', '--time', 'at', '--where', 'flag'], /--where must be COLUMN=VALUE/],
    [['--csv', good, '--person', 'id', '--time', 'at', '--where', 'flag=1'], /--where column "flag" is not in/],
    [['--csv', good, '--person', 'id', '--time', 'at', '--where', 'id=z'], /no event rows matching --where/],
    [['--csv', badTime, '--person', 'id', '--time', 'at'], /line 3 of .*"2024-02-30 10:00" is not a time/],
    [['--csv', blankPerson, '--person', 'id', '--time', 'at'], /line 2 of .*the person \("id"\) is blank/],
    [['--csv', oneTime, '--person', 'id', '--time', 'at'], /need events spread over time/],
    [['--csv', path.join(dir, 'missing.csv'), '--person', 'id', '--time', 'at'], /no such file/],
    [['--csv', good, '--person', 'id', '--time', 'at', '--bogus'], /bogus/],
  ];
  for (const [argv, message] of cases) {
    const { code, out, err } = await run(t, argv);
    assert.equal(code, 2, `${argv.join(' ')}: ${err.join('\n')}`);
    assert.deepEqual(out, []);
    assert.equal(err.length, 1, err.join('\n'));
    assert.match(err[0]!, message);
    assert.match(err[0]!, /^propensity backtest: /);
  }
});
