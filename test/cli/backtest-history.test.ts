import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { backtest } from '../../src/cli/commands/backtest.ts';
import { runCommand } from '../helpers/cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'propensity-backtest-cli-'));

const run = (t: TestContext, argv: string[]) => runCommand(t, backtest, argv);

test('backtest --history: bad input is one line on stderr and exit code 2, before anything starts', async (t) => {
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const good = write('good.txt', ' customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n');
  const cases: [string[], RegExp][] = [
    [['--history', 'cdnow'], /--history needs --as-of YYYY-MM-DD/],
    [['--history', 'amazon', '--as-of', '1997-09-30'], /--history must be one of cdnow, not "amazon"/],
    [['--history', 'cdnow', '--as-of', '1997-13-01', '--file', good], /--as-of must be a day written YYYY-MM-DD, not "1997-13-01"/],
    [['--history', 'cdnow', '--as-of', '1997-09-30', '--file', path.join(dir, 'missing.txt')], /cannot read .*missing\.txt: ENOENT/],
    [['--history', 'cdnow', '--as-of', '1997-09-30', '--file', write('bad.txt', ' 00001 1997-01-01 1 5\n')], /bad\.txt line 1: "1997-01-01" is not a date written YYYYMMDD/],
    [['--history', 'cdnow', '--as-of', '1996-12-31', '--file', good], /no purchase on or before 1996-12-31/],
    [['--history', 'cdnow', '--as-of', '1997-09-30', '--horizon', '3'], /--horizon must be a whole number of days from 7 to 365/],
    [['--history', 'cdnow', '--as-of', '1997-09-30', '--split', 'half'], /--split must be mod5 or tail20/],
    [['--history', 'cdnow', '--as-of', '1997-09-30', '--csv', good], /give one/],
    [['--csv', good, '--target', 'y', '--positive', '1', '--as-of', '1997-09-30'], /--as-of goes with --history/],
  ];
  for (const [argv, message] of cases) {
    const { code, out, err } = await run(t, argv);
    assert.equal(code, 2, argv.join(' '));
    assert.equal(err.length, 1, argv.join(' '));
    assert.match(err[0], /^propensity backtest: /);
    assert.match(err[0], message);
    assert.deepEqual(out, []);
  }
});
