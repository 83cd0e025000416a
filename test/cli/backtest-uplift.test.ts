import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { backtest } from '../../src/cli/commands/backtest.ts';
import { seededRandom } from '../../src/learners/random.ts';
import { runCommand } from '../helpers/cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'propensity-uplift-'));

/**
 * Three arms randomised a third each, with planted effects by segment (outcome rates):
 *                control  fast  slow
 *   helped         0.15   0.45  0.25
 *   harmed         0.45   0.15  0.45
 *   untouched      0.30   0.30  0.40
 * Best single arm: slow (0.367); best per record: fast / none-or-slow / slow (0.433). CRLF, quoted.
 */
function experimentCsv(rows: number): string {
  const rates: Record<string, Record<string, number>> = {
    helped: { 'No mail': 0.15, 'Fast track': 0.45, 'Slow track': 0.25 },
    harmed: { 'No mail': 0.45, 'Fast track': 0.15, 'Slow track': 0.45 },
    untouched: { 'No mail': 0.3, 'Fast track': 0.3, 'Slow track': 0.4 },
  };
  const random = seededRandom(4);
  const lines = ['id,segment,age,channel,arm,visit,spend'];
  for (let i = 0; i < rows; i++) {
    const segment = ['helped', 'harmed', 'untouched'][Math.floor(random() * 3)];
    const arm = ['No mail', 'Fast track', 'Slow track'][Math.floor(random() * 3)];
    const visit = random() < rates[segment][arm] ? 1 : 0;
    lines.push([`C${i}`, `"${segment}"`, Math.round(20 + random() * 50), random() < 0.5 ? 'Web' : 'Phone', arm, visit, visit * Math.round(random() * 100)].join(','));
  }
  const file = path.join(dir, `experiment-${rows}.csv`);
  writeFileSync(file, lines.join('\r\n') + '\r\n');
  return file;
}

const run = (t: TestContext, argv: string[]) => runCommand(t, backtest, argv);
/** `argv` with the value after `option` replaced. */
const withValue = (argv: string[], option: string, value: string) => argv.map((a, i) => (argv[i - 1] === option ? value : a));
const base = (file: string) => ['--uplift', '--csv', file, '--treatment', 'arm', '--control', 'No mail', '--outcome', 'visit', '--positive', '1', '--drop', 'id,spend'];

test('--uplift --json: a line per treatment arm, then the policy line; uplift ranking beats probability, the per-record choice beats the best single arm', async (t) => {
  const file = experimentCsv(9000);
  const { code, out, err } = await run(t, [...base(file), '--json']);
  assert.equal(code, 0, err.join('\n'));
  const lines = out.map((l) => JSON.parse(l));
  assert.equal(lines.length, 3);
  assert.deepEqual(lines.slice(0, 2).map((l) => l.treatment), ['Fast track', 'Slow track']);
  for (const line of lines.slice(0, 2)) {
    for (const key of ['qini', 'upliftTop30', 'qiniSe', 'upliftTop30Se']) {
      assert.equal(typeof line[key].uplift, 'number');
      assert.equal(typeof line[key].probability, 'number');
    }
    assert.ok(line.qiniSe.uplift > 0 && line.upliftTop30Se.uplift > 0);
    assert.ok(line.n_test > 1000 && line.n_test < 1300, `${line.n_test}`);
  }
  const fast = lines[0];
  assert.ok(fast.qini.uplift > fast.qini.probability + 2 * fast.qiniDifference.se, JSON.stringify(fast));
  assert.ok(fast.upliftTop30.uplift > 0.15, 'the top 30 % by uplift are mostly the helped segment');
  const { policy, policySe, perRecordMinusBestSingle, bestSingleArm, n_test } = lines[2];
  assert.deepEqual(Object.keys(policy), ['perRecord', 'bestSingle', 'none']);
  assert.equal(n_test, 1800);
  assert.equal(bestSingleArm, 'Slow track');
  assert.ok(Math.abs(policy.none - 0.3) < 3 * policySe.none);
  assert.ok(Math.abs(policy.bestSingle - 0.367) < 3 * policySe.bestSingle);
  assert.ok(policy.perRecord > policy.bestSingle && perRecordMinusBestSingle.value > perRecordMinusBestSingle.se, JSON.stringify(lines[2]));
  assert.ok(Math.abs(policy.perRecord - 0.433) < 3 * policySe.perRecord);
  // A third of the records in each segment: fast for the helped, slow for the untouched, nothing (or slow: a tie) for the harmed.
  const arms = lines[2].perRecordArms;
  assert.ok(Math.abs(arms['Fast track'] - 600) < 60 && arms['Slow track'] + arms.none > 1140, JSON.stringify(arms));
});

test('--uplift without --json: readable lines with standard errors', async (t) => {
  const { code, out } = await run(t, [...base(experimentCsv(3000)), '--split', 'tail20', '--cost', '0.02']);
  assert.equal(code, 0);
  assert.equal(out.length, 3);
  assert.match(out[0], /^Fast track \(n_test \d+, uplift learner [a-z-]+:(gbdt|logistic)\): Qini uplift -?0\.\d{4} ± 0\.\d{4}, probability/);
  assert.match(out[2], /^outcome rate \(n_test 600\): per record 0\.\d{4} ± 0\.\d{4}, everyone (Fast|Slow) track/);
});

test('--uplift: bad input is one clear line and exit 2', async (t) => {
  const file = experimentCsv(300);
  const cases: [string[], RegExp][] = [
    [base(file).filter((a) => a !== '--treatment' && a !== 'arm'), /--treatment is required with --uplift/],
    [withValue(base(file), '--control', 'Nobody'), /no row has arm = "Nobody", the control group \(values seen: /],
    [withValue(base(file), '--treatment', 'segment '), /no column "segment "/],
    [[...base(file), '--cost', 'cheap'], /--cost is the action's cost in outcomes per record/],
    [withValue(base(file), '--positive', 'yes'), /no row has visit = "yes"/],
    [[...base(file), '--target', 'visit'], /names its outcome with --outcome, not --target/],
    [withValue(base(file), '--drop', 'id,arm'), /--drop names the treatment column "arm"/],
    [['--csv', file, '--treatment', 'arm', '--target', 'visit', '--positive', '1'], /--treatment goes with --uplift/],
    [[...base(path.join(dir, 'missing.csv'))], /no such file/],
  ];
  for (const [argv, message] of cases) {
    const { code, out, err } = await run(t, argv);
    assert.equal(code, 2, `${argv.join(' ')}: ${err.join('\n')}`);
    assert.equal(err.length, 1, err.join('\n'));
    assert.match(err[0], /^propensity backtest: /);
    assert.match(err[0], message);
    assert.equal(out.length, 0);
  }
});
