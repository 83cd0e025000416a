/**
 * A backtest of a CSV through the whole app: the CSV becomes a sandbox portal's CRM history
 * (plan-backtest-portal.ts), the app runs on it (run-in-sandbox-portal.ts), and the conversion
 * probability it wrote is scored against the test rows' hidden outcomes. Prints peers.py's fields.
 */
import { brierScore, logLoss, rocAuc, type Selection } from '../learners/index.ts';
import { importRecords } from '../sandbox/history/import-records.ts';
import { CsvError, labelsFromColumn, readCsvTable, splitRows, type SplitRule } from '../tabular/index.ts';
import type { EvaluationLine } from '../cli/commands/evaluate.ts';
import { planBacktestPortal } from './plan-backtest-portal.ts';
import { runInSandboxPortal, type AppRunOptions, type ReplayOutcome } from './run-in-sandbox-portal.ts';

export interface BacktestOptions extends AppRunOptions {
  csv: string;
  target: string;
  positive: string;
  separator: string;
  drop: string[];
  split: SplitRule;
}

/** peers.py's fields (as `propensity evaluate` prints them), plus how long the sync took and the calls it made. */
export interface BacktestResult extends EvaluationLine {
  sync_s: number;
  hubspot_calls: number;
  /** The written model's learner ('gbdt', 'logistic'; null for a rule model), its calibration and the learner blended in. */
  learner: string | null;
  calibration: string | null;
  blend: { learner: string; weight: number } | null;
  /** How the learners were judged (each one's AUC, the blend's, the folds). */
  selection: Selection | null;
  /** AUC and log-loss of the probabilities the app computed, before they were rounded into the written property (`auc`, `logloss`: as written). */
  auc_unrounded: number;
  logloss_unrounded: number;
}

export async function runBacktest(o: BacktestOptions): Promise<BacktestResult> {
  const csv = readCsvTable(o.csv, { separator: o.separator, exclude: o.drop, text: [o.target] });
  if (csv.table.numericNames.length + csv.table.categoricalNames.length === 0) throw new CsvError(`${o.csv} has no feature columns besides the target`);
  const labels = labelsFromColumn(csv.text[o.target], o.positive, o.target);
  const split = splitRows(csv.rowCount, o.split);
  const plan = planBacktestPortal(csv.table, labels, split, Date.now());
  const outcome = await runInSandboxPortal(o, {
    target: 'lead',
    property: 'propensity_conversion_probability',
    load(portal) {
      const ids = importRecords(portal, 'contacts', plan.properties, plan.records);
      return { readIds: ids.slice(ids.length - plan.testCount), loaded: `loaded ${ids.length} rows as contacts (${plan.properties.length} properties)` };
    },
  });
  const testLabels = Array.from(split.test, (row) => labels[row]);
  return { ...scoreWritten(outcome, outcome.values.map(Number), testLabels, o.split), n_train: split.train.length };
}

/** The result line of a backtest: what was written, scored against the true outcomes. */
export function scoreWritten(outcome: ReplayOutcome, probabilities: number[], labels: number[], split: SplitRule): BacktestResult {
  const { model } = outcome;
  return {
    model: `propensity backtest (${model?.version ?? 'no model'}${model?.kind === 'rules' ? ', rule model' : ''})`,
    auc: rocAuc(probabilities, labels),
    logloss: logLoss(clip(probabilities), labels),
    brier: brierScore(probabilities, labels),
    train_s: outcome.train_s,
    score_s: outcome.score_s,
    n_train: model?.trainingRows ?? 0,
    n_test: labels.length,
    positives_test: labels.reduce((a, b) => a + b, 0),
    split,
    sync_s: outcome.sync_s,
    hubspot_calls: outcome.hubspot_calls,
    learner: model?.learner ?? null,
    calibration: model?.calibration ?? null,
    blend: model?.blend ?? null,
    selection: model?.selection ?? null,
    auc_unrounded: rocAuc(outcome.probabilities, labels),
    logloss_unrounded: logLoss(clip(outcome.probabilities), labels),
  };
}

/** Probabilities kept off 0 and 1, so that a rounded 0.00 costs a bounded log-loss. */
function clip(probabilities: number[]): number[] {
  return probabilities.map((p) => Math.min(1 - 1e-6, Math.max(1e-6, p)));
}
