/**
 * The options every command that reads a dataset shares (`evaluate`, `backtest`): the CSV, its
 * target column and positive value, separator, dropped columns and the peers.py split.
 */
import { TrainingDataError } from '../learners/index.ts';
import { CsvError, splitRules, type SplitRule } from '../tabular/index.ts';
import { UsageError } from './command.ts';

export const datasetOptionSpec = {
  csv: { type: 'string' },
  target: { type: 'string' },
  positive: { type: 'string' },
  sep: { type: 'string', default: ',' },
  drop: { type: 'string', default: '' },
  split: { type: 'string', default: 'mod5' },
  json: { type: 'boolean', default: false },
} as const;

export interface DatasetOptions {
  csv: string;
  target: string;
  positive: string;
  separator: string;
  drop: string[];
  split: SplitRule;
  json: boolean;
}

export function readDatasetOptions(values: { csv?: string; target?: string; positive?: string; sep?: string; drop?: string; split?: string; json?: boolean }, usage: string): DatasetOptions {
  for (const name of ['csv', 'target', 'positive'] as const) {
    if (values[name] === undefined) throw new UsageError(`--${name} is required (usage: ${usage})`);
  }
  if (!splitRules.includes(values.split as SplitRule)) throw new UsageError(`--split must be mod5 or tail20, not "${values.split}"`);
  const separator = values.sep === '\\t' ? '\t' : (values.sep ?? ',');
  if (separator.length !== 1) throw new UsageError(`--sep must be one character, not ${JSON.stringify(values.sep)}`);
  const drop = (values.drop ?? '').split(',').filter((c) => c !== '');
  if (drop.includes(values.target!)) throw new UsageError(`--drop names the target column "${values.target}"`);
  return { csv: values.csv!, target: values.target!, positive: values.positive!, separator, drop, split: values.split as SplitRule, json: values.json ?? false };
}

export function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Bad input to a dataset command (options, the CSV, its labels): one line and exit code 2, not a crash. */
export function isBadDatasetInput(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof CsvError || error instanceof TrainingDataError || isParseArgsError(error);
}
