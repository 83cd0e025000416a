/**
 * `propensity backtest --uplift`: reads its options and prints the uplift backtest
 * (`src/backtest/uplift-backtest.ts`): with --json one line per treatment arm, then the policy line;
 * without, the same figures as readable lines with their standard errors. Needs no database or
 * sandbox: it judges the uplift learners on a randomised experiment's held-out rows.
 */
import { runUpliftBacktest, type UpliftBacktestOptions } from '../../backtest/uplift-backtest.ts';
import { splitRules, type SplitRule } from '../../tabular/index.ts';
import { UsageError } from '../command.ts';

export const upliftUsage = "propensity backtest --uplift --csv FILE --treatment COL --control VALUE --outcome COL --positive VALUE [--sep ';'] [--drop a,b] [--split mod5|tail20] [--cost OUTCOMES] [--json]";

export const upliftOptionSpec = {
  uplift: { type: 'boolean', default: false },
  treatment: { type: 'string' },
  control: { type: 'string' },
  outcome: { type: 'string' },
  cost: { type: 'string', default: '0' },
} as const;

interface UpliftValues {
  csv?: string; treatment?: string; control?: string; outcome?: string; positive?: string; target?: string;
  sep?: string; drop?: string; split?: string; cost?: string; json?: boolean;
  [other: string]: unknown;
}

export function readUpliftOptions(values: UpliftValues): UpliftBacktestOptions & { json: boolean } {
  for (const name of ['csv', 'treatment', 'control', 'outcome', 'positive'] as const) {
    if (values[name] === undefined) throw new UsageError(`--${name} is required with --uplift (usage: ${upliftUsage})`);
  }
  if (values.target !== undefined) throw new UsageError('--uplift names its outcome with --outcome, not --target');
  for (const name of ['history', 'as-of', 'file', 'write-rfm'] as const) if (values[name] !== undefined) throw new UsageError(`--${name} does not go with --uplift`);
  if (!splitRules.includes(values.split as SplitRule)) throw new UsageError(`--split must be mod5 or tail20, not "${values.split}"`);
  const separator = values.sep === '\\t' ? '\t' : (values.sep ?? ',');
  if (separator.length !== 1) throw new UsageError(`--sep must be one character, not ${JSON.stringify(values.sep)}`);
  const cost = Number(values.cost);
  if (values.cost === undefined || values.cost.trim() === '' || !Number.isFinite(cost) || cost < 0 || cost >= 1) throw new UsageError(`--cost is the action's cost in outcomes per record, from 0 to below 1, not "${values.cost}"`);
  const drop = (values.drop ?? '').split(',').filter((c) => c !== '');
  for (const name of ['treatment', 'outcome'] as const) if (drop.includes(values[name]!)) throw new UsageError(`--drop names the ${name} column "${values[name]}"`);
  return {
    csv: values.csv!, separator, treatment: values.treatment!, control: values.control!, outcome: values.outcome!, positive: values.positive!,
    drop, split: values.split as SplitRule, cost, json: values.json ?? false,
  };
}

const figure = (value: number, se: number) => `${value.toFixed(4)} ± ${se.toFixed(4)}`;

export function printUpliftBacktest(values: UpliftValues): void {
  const options = readUpliftOptions(values);
  // Printed once all are done: every line or one error line, never half of them.
  const { arms, policy } = runUpliftBacktest(options);
  if (options.json) {
    for (const line of arms) console.log(JSON.stringify(line));
    console.log(JSON.stringify(policy));
    return;
  }
  for (const a of arms) {
    console.log(`${a.treatment} (n_test ${a.n_test}, uplift learner ${a.learner}): Qini uplift ${figure(a.qini.uplift, a.qiniSe.uplift)}, probability ${figure(a.qini.probability, a.qiniSe.probability)}; uplift in the top 30 %: uplift ${figure(a.upliftTop30.uplift, a.upliftTop30Se.uplift)}, probability ${figure(a.upliftTop30.probability, a.upliftTop30Se.probability)}`);
  }
  const p = policy;
  console.log(`outcome rate (n_test ${p.n_test}): per record ${figure(p.policy.perRecord, p.policySe.perRecord)}, everyone ${p.bestSingleArm} ${figure(p.policy.bestSingle, p.policySe.bestSingle)}, no action ${figure(p.policy.none, p.policySe.none)}; per record − best single ${figure(p.perRecordMinusBestSingle.value, p.perRecordMinusBestSingle.se)}`);
}
