/**
 * `propensity backtest`: a CSV replayed as a HubSpot portal's history and run through the whole app
 * (OAuth install, sync, features, training, scoring, write-back) against the local sandbox; the
 * probabilities written back are scored on the test rows. Prints peers.py's fields; the last line is
 * the result (JSON with --json).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBacktest } from '../../backtest/run-backtest.ts';
import { loadConfig } from '../../config.ts';
import { UsageError, type Command } from '../command.ts';
import { datasetOptionSpec, isBadDatasetInput, readDatasetOptions } from '../dataset-options.ts';

const usage = "propensity backtest --csv FILE --target COL --positive VALUE [--sep ';'] [--drop a,b] [--split mod5|tail20] [--object contacts] [--unthrottled] [--json]";

export const backtest: Command = {
  name: 'backtest',
  summary: 'replay a CSV as a sandbox portal\'s history through install, sync, training and write-back; score what was written',
  usage,
  async run(argv) {
    try {
      const { values } = parseArgs({
        args: argv,
        options: { ...datasetOptionSpec, object: { type: 'string', default: 'contacts' }, unthrottled: { type: 'boolean', default: false } },
        strict: true,
        allowPositionals: false,
      });
      const dataset = readDatasetOptions(values, usage);
      if (values.object !== 'contacts') throw new UsageError(`--object: only contacts can be backtested for now, not "${values.object}"`);
      const config = loadConfig();
      const result = await runBacktest({
        ...dataset,
        dataDir: path.resolve(config.dataDir),
        mongodbUri: config.mongodbUri,
        unthrottled: values.unthrottled,
        say: dataset.json ? (line) => console.error(line) : (line) => console.log(line),
      });
      console.log(dataset.json ? JSON.stringify(result) : Object.entries(result).map(([k, v]) => `${k}: ${v}`).join('\n'));
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
