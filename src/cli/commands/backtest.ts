/**
 * `propensity backtest`: a CSV, or a purchase history as of a day (`--history cdnow --as-of DAY`),
 * replayed as a HubSpot portal's history and run through the whole app (OAuth install, sync,
 * features, training, scoring, write-back) against the local sandbox; the probabilities written back
 * are scored on the test rows. Prints peers.py's fields; the last line is the result (JSON with --json).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { historyFormats, type HistoryFormat } from '../../backtest/read-purchase-history.ts';
import { runBacktest } from '../../backtest/run-backtest.ts';
import { DEFAULT_HISTORY_HORIZON_DAYS, runHistoryBacktest } from '../../backtest/run-history-backtest.ts';
import { loadConfig } from '../../config.ts';
import { projectRoot } from '../../install/app-definition.ts';
import { splitRules, type SplitRule } from '../../tabular/index.ts';
import { UsageError, type Command } from '../command.ts';
import { runSendTimeBacktestCommand, sendTimeUsage } from './backtest-send-time.ts';
import { datasetOptionSpec, isBadDatasetInput, readDatasetOptions } from '../dataset-options.ts';
import { printUpliftBacktest, upliftOptionSpec, upliftUsage } from './backtest-uplift.ts';

const usage = [
  "propensity backtest --csv FILE --target COL --positive VALUE [--sep ';'] [--drop a,b] [--split mod5|tail20] [--object contacts] [--unthrottled] [--json]",
  `       ${upliftUsage}`,
  '       propensity backtest --history cdnow --as-of YYYY-MM-DD [--file FILE] [--horizon DAYS] [--write-rfm FILE] [--split mod5|tail20] [--unthrottled] [--json]',
  `       ${sendTimeUsage}`,
].join('\n');

/** Where each history format's file is found by default: the shared data sets beside the project. */
const defaultHistoryFiles: Record<HistoryFormat, string> = {
  cdnow: path.resolve(projectRoot, '../shared/datasets/cdnow-transactions/CDNOW_master.txt'),
};

export const backtest: Command = {
  name: 'backtest',
  summary: 'replay a CSV or a purchase history as a sandbox portal\'s history through install, sync, training and write-back; score what was written',
  usage,
  async run(argv) {
    // Issue 21: the send-time backtest is its own kind, with its own options.
    if (argv.includes('--send-time')) return runSendTimeBacktestCommand(argv);
    try {
      const { values } = parseArgs({
        args: argv,
        options: {
          ...datasetOptionSpec,
          object: { type: 'string', default: 'contacts' },
          unthrottled: { type: 'boolean', default: false },
          history: { type: 'string' },
          'as-of': { type: 'string' },
          file: { type: 'string' },
          horizon: { type: 'string', default: String(DEFAULT_HISTORY_HORIZON_DAYS) },
          'write-rfm': { type: 'string' },
          ...upliftOptionSpec,
        },
        strict: true,
        allowPositionals: false,
      });
      if (values.uplift) {
        printUpliftBacktest(values);
        return 0;
      }
      for (const name of ['treatment', 'control', 'outcome'] as const) if (values[name] !== undefined) throw new UsageError(`--${name} goes with --uplift`);
      const config = loadConfig();
      const run = { dataDir: path.resolve(config.dataDir), mongodbUri: config.mongodbUri, unthrottled: values.unthrottled };
      const say = values.json ? (line: string) => console.error(line) : (line: string) => console.log(line);
      let result: object;
      if (values.history !== undefined) {
        const history = values.history as HistoryFormat;
        if (!historyFormats.includes(history)) throw new UsageError(`--history must be one of ${historyFormats.join(', ')}, not "${values.history}"`);
        if (values.csv !== undefined) throw new UsageError('--history and --csv are two kinds of backtest: give one');
        if (values['as-of'] === undefined) throw new UsageError(`--history needs --as-of YYYY-MM-DD (usage: ${usage})`);
        if (!splitRules.includes(values.split as SplitRule)) throw new UsageError(`--split must be mod5 or tail20, not "${values.split}"`);
        const horizonDays = Number(values.horizon);
        if (!Number.isInteger(horizonDays) || horizonDays < 7 || horizonDays > 365) throw new UsageError(`--horizon must be a whole number of days from 7 to 365, not "${values.horizon}"`);
        result = await runHistoryBacktest({
          ...run, say, history, file: values.file ?? defaultHistoryFiles[history], asOf: values['as-of'], horizonDays, split: values.split as SplitRule,
          rfmCsvFile: values['write-rfm'],
        });
      } else {
        for (const name of ['as-of', 'file', 'write-rfm'] as const) if (values[name] !== undefined) throw new UsageError(`--${name} goes with --history`);
        const dataset = readDatasetOptions(values, usage);
        if (values.object !== 'contacts') throw new UsageError(`--object: only contacts can be backtested for now, not "${values.object}"`);
        result = await runBacktest({ ...dataset, ...run, say });
      }
      console.log(values.json ? JSON.stringify(result) : Object.entries(result).map(([k, v]) => `${k}: ${v}`).join('\n'));
      return 0;
    } catch (error) {
      if (isBadDatasetInput(error)) {
        console.error(`propensity backtest: ${error.message}`);
        return 2;
      }
      throw error;
    }
  },
};
