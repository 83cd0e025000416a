/**
 * `propensity evaluate`: trains on a CSV and scores its held-out rows exactly as
 * ../shared/tools/peers.py does (same column types, same missing values, same mod5/tail20 split),
 * printing one line per model with peers.py's fields, so our learners and the reference ones can be
 * compared side by side. With `--model auto` the gbdt and logistic lines come first and the last line
 * is the chosen, calibrated model (its `model` says which learner and which calibration).
 *
 * `auto` holds out training rows the way the split holds out test rows: a stratified random share
 * for mod5 (test rows interleaved with training rows), the most recent rows for tail20 (test rows
 * come after them).
 */
import { parseArgs } from 'node:util';
import { brierScore, logLoss, predict, rocAuc, takeRows, train, type LearnerChoice, type Model } from '../../learners/index.ts';
import { CsvError, labelsFromColumn, readCsvTable, splitRows, type SplitRule } from '../../tabular/index.ts';
import { UsageError, type Command } from '../command.ts';
import { datasetOptionSpec, isBadDatasetInput, readDatasetOptions, type DatasetOptions } from '../dataset-options.ts';

const usage = 'propensity evaluate --csv FILE --target COL --positive VALUE [--sep \';\'] [--drop a,b] [--split mod5|tail20] [--model auto|gbdt|logistic] [--json]';
const choices: LearnerChoice[] = ['auto', 'gbdt', 'logistic'];

export interface EvaluationLine {
  model: string;
  auc: number;
  logloss: number;
  brier: number;
  train_s: number;
  score_s: number;
  n_train: number;
  n_test: number;
  positives_test: number;
  split: SplitRule;
}

const columns: (keyof EvaluationLine)[] = ['model', 'auc', 'logloss', 'brier', 'train_s', 'score_s', 'n_train', 'n_test', 'positives_test', 'split'];

export const evaluate: Command = {
  name: 'evaluate',
  summary: 'train on a CSV and score its test rows like ../shared/tools/peers.py, one line per model',
  usage,
  async run(argv) {
    try {
      const options = readOptions(argv);
      // Printed once all are done: either every line or one error line, never half of the lines.
      const lines = [...evaluateCsv(options)];
      const print = options.json ? (line: EvaluationLine) => console.log(JSON.stringify(line)) : printRow();
      for (const line of lines) print(line);
      return 0;
    } catch (error) {
      if (isBadDatasetInput(error)) {
        console.error(`propensity evaluate: ${error.message}`);
        return 2;
      }
      throw error;
    }
  },
};

interface EvaluateOptions extends DatasetOptions {
  model: LearnerChoice;
}

function readOptions(argv: string[]): EvaluateOptions {
  const { values } = parseArgs({
    args: argv,
    options: { ...datasetOptionSpec, model: { type: 'string', default: 'auto' } },
    strict: true,
    allowPositionals: false,
  });
  const dataset = readDatasetOptions(values, usage);
  if (!choices.includes(values.model as LearnerChoice)) throw new UsageError(`--model must be auto, gbdt or logistic, not "${values.model}"`);
  return { ...dataset, model: values.model as LearnerChoice };
}

/** Reads, splits, trains and scores; one line per model. */
export function* evaluateCsv(o: EvaluateOptions): Generator<EvaluationLine> {
  const csv = readCsvTable(o.csv, { separator: o.separator, exclude: o.drop, text: [o.target] });
  if (csv.table.numericNames.length + csv.table.categoricalNames.length === 0) throw new CsvError(`${o.csv} has no feature columns besides the target`);
  const labels = labelsFromColumn(csv.text[o.target], o.positive, o.target);
  const { train: trainRows, test: testRows } = splitRows(csv.rowCount, o.split);
  const trainLabels = Uint8Array.from(trainRows, (i) => labels[i]);
  const testLabels = Uint8Array.from(testRows, (i) => labels[i]);
  for (const [part, rows, y] of [['training', trainRows, trainLabels], ['test', testRows, testLabels]] as const) {
    const positives = y.reduce((a, b) => a + b, 0);
    if (positives === 0 || positives === rows.length) throw new CsvError(`the ${part} rows of the ${o.split} split (${rows.length}) have one class only`);
  }
  const trainTable = takeRows(csv.table, trainRows);
  const testTable = takeRows(csv.table, testRows);
  const learners: LearnerChoice[] = o.model === 'auto' ? ['gbdt', 'logistic', 'auto'] : [o.model];
  for (const learner of learners) {
    const started = performance.now();
    const model = train({
      table: trainTable,
      labels: trainLabels,
      options: { model: learner, auto: { holdout: o.split === 'tail20' ? 'tail' : 'stratified' } },
    });
    const trained = performance.now();
    const probabilities = predict(model, testTable);
    const scored = performance.now();
    yield {
      model: modelName(model),
      auc: round(rocAuc(probabilities, testLabels), 5),
      logloss: round(logLoss(probabilities, testLabels), 5),
      brier: round(brierScore(probabilities, testLabels), 5),
      train_s: round((trained - started) / 1000, 3),
      score_s: round((scored - trained) / 1000, 3),
      n_train: trainRows.length,
      n_test: testRows.length,
      positives_test: testLabels.reduce((a, b) => a + b, 0),
      split: o.split,
    };
  }
}

function modelName(model: Model): string {
  if (model.kind === 'calibrated') {
    const blend = model.blend ? `~${model.blend.model.kind}@${model.blend.weight}` : '';
    return `propensity-auto:${model.model.kind}${blend}+${model.calibration.method}`;
  }
  return `propensity-${model.kind}`;
}

function round(x: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}

/** A readable table: a header, then each line's fields in peers.py's order. */
function printRow(): (line: EvaluationLine) => void {
  const widths = [30, 8, 8, 8, 8, 8, 8, 7, 15, 6];
  const format = (cells: string[]) => cells.map((c, k) => c.padEnd(widths[k])).join(' ').trimEnd();
  let first = true;
  return (line) => {
    if (first) console.log(format(columns.map(String)));
    first = false;
    console.log(format(columns.map((c) => String(line[c]))));
  };
}
