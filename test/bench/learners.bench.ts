/**
 * The learners against the reference peers (../shared/tools/peers.py: scikit-learn
 * LogisticRegression and HistGradientBoosting, xgboost-hist), side by side in one run on one machine,
 * single-threaded: quality on bank-full and Telco churn (mod5 and tail20), speed on bank-full and on
 * a synthetic 500,000-row file (400,000 training rows x 30 features), scoring rate, and the training's
 * peak memory. Prints every figure, the ratios, and PASS/FAIL per bar; exits 1 if a bar fails.
 *
 *   node --import tsx test/bench/learners.bench.ts
 *
 * Needs the peers' packages: apt-get install -y --no-install-recommends python3-sklearn python3-xgboost
 * (run by /usr/bin/python3). BENCH_REPEATS (default 2) times the speed comparisons that many times
 * each, alternating ours and theirs, and keeps each side's best.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvaluationLine } from '../../src/cli/commands/evaluate.ts';
import { takeRows } from '../../src/learners/table.ts';
import { labelsFromColumn, readCsvTable, splitRows, type SplitRule } from '../../src/tabular/index.ts';
import { writeSyntheticCsv } from './synthetic-leads.ts';
import { writeTableFile } from './table-file.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(projectRoot, '..', 'shared');
const peersScript = path.join(shared, 'tools', 'peers.py');
const python = '/usr/bin/python3';
const repeats = Number(process.env.BENCH_REPEATS ?? 2);

/** One model's figures, as peers.py and `propensity evaluate` print them. */
type Line = Omit<EvaluationLine, 'split'> & { split: string };

interface DataSet {
  name: string;
  csv: string;
  sep: string;
  target: string;
  positive: string;
  drop: string[];
}

const work = mkdtempSync(path.join(os.tmpdir(), 'propensity-bench-'));
const synthetic: DataSet = { name: 'synthetic 500k x 30', csv: path.join(work, 'synthetic.csv'), sep: ',', target: 'converted', positive: 'yes', drop: [] };
const bank: DataSet = { name: 'bank-full', csv: path.join(shared, 'datasets/uci-bank-marketing/bank-full.csv'), sep: ';', target: 'y', positive: 'yes', drop: ['duration'] };
const telco: DataSet = { name: 'telco', csv: path.join(shared, 'datasets/ibm-telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv'), sep: ',', target: 'Churn', positive: 'Yes', drop: ['customerID'] };

function commonArgs(d: DataSet, split: SplitRule): string[] {
  return ['--csv', d.csv, '--sep', d.sep, '--target', d.target, '--positive', d.positive, ...(d.drop.length ? ['--drop', d.drop.join(',')] : []), '--split', split];
}

function jsonLines(output: string): Line[] {
  return output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
}

function runPeers(d: DataSet, split: SplitRule, models = 'lr,hgb,xgb'): Line[] {
  const result = spawnSync(python, [peersScript, ...commonArgs(d, split), '--models', models], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`peers.py failed on ${d.name} ${split}: ${result.stderr.trim().split('\n').pop()}`);
  return jsonLines(result.stdout);
}

function runOurs(d: DataSet, split: SplitRule, model: 'auto' | 'gbdt' | 'logistic'): Line[] {
  const script = "import('./src/cli/commands/evaluate.ts').then((m) => m.evaluate.run(process.argv.slice(1))).then((code) => process.exit(code))";
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script, '--', ...commonArgs(d, split), '--model', model, '--json'], { cwd: projectRoot, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`evaluate failed on ${d.name} ${split}: ${result.stderr.trim()}`);
  return jsonLines(result.stdout);
}

/** Our GBDT and scikit-learn's HGB trained `repeats` times each, alternating; the best time of each. */
function speedPair(d: DataSet, split: SplitRule, first: { ours: Line; theirs: Line }): { ours: Line; theirs: Line } {
  let { ours, theirs } = first;
  for (let k = 1; k < repeats; k++) {
    const o = runOurs(d, split, 'gbdt').find((l) => l.model === 'propensity-gbdt')!;
    const t = runPeers(d, split, 'hgb').find((l) => l.model === 'sklearn-hgb')!;
    if (o.train_s < ours.train_s) ours = o;
    if (t.train_s < theirs.train_s) theirs = t;
  }
  return { ours, theirs };
}

const f = (x: number, digits = 4) => x.toFixed(digits);
const bars: { bar: string; figure: string; pass: boolean }[] = [];
function bar(name: string, figure: string, pass: boolean): void {
  bars.push({ bar: name, figure, pass });
}

function table(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
}

const check = spawnSync(python, ['-c', 'import sklearn, xgboost; print(sklearn.__version__, xgboost.__version__)'], { encoding: 'utf8' });
if (check.status !== 0 || !existsSync(peersScript)) {
  console.error('The peers need scikit-learn and xgboost for /usr/bin/python3: apt-get update && apt-get install -y --no-install-recommends python3-sklearn python3-xgboost');
  process.exit(1);
}
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cpus; node ${process.version}; scikit-learn ${check.stdout.trim().replace(' ', ', xgboost ')}; single-threaded`);

try {
  console.log('\n## Quality and speed on real data (auto = chosen, calibrated model)\n');
  const rows: string[][] = [['data set', 'split', 'model', 'auc', 'logloss', 'brier', 'train_s', 'score_s', 'rows/s']];
  for (const d of [bank, telco]) {
    for (const split of ['mod5', 'tail20'] as SplitRule[]) {
      const peers = runPeers(d, split);
      const ours = runOurs(d, split, 'auto');
      for (const l of [...peers, ...ours]) rows.push([d.name, split, l.model, f(l.auc), f(l.logloss), f(l.brier), l.train_s.toFixed(3), l.score_s.toFixed(3), Math.round(l.n_test / Math.max(l.score_s, 1e-3)).toString()]);
      const bestPeer = peers.reduce((a, b) => (b.auc > a.auc ? b : a));
      const hgb = peers.find((l) => l.model === 'sklearn-hgb')!;
      const auto = ours[ours.length - 1];
      const gbdt = ours.find((l) => l.model === 'propensity-gbdt')!;
      bar(`${d.name} ${split}: auto AUC >= best peer - 0.002`, `${auto.model} ${f(auto.auc)} vs ${bestPeer.model} ${f(bestPeer.auc)} (diff ${f(auto.auc - bestPeer.auc)})`, auto.auc >= bestPeer.auc - 0.002);
      const ownBest = ours.slice(0, -1).reduce((a, b) => (b.auc > a.auc ? b : a));
      bar(`${d.name} ${split}: auto AUC >= the better of our two learners`, `${f(auto.auc)} vs ${ownBest.model} ${f(ownBest.auc)} (diff ${f(auto.auc - ownBest.auc)})`, auto.auc >= ownBest.auc);
      bar(`${d.name} ${split}: GBDT AUC >= sklearn HGB - 0.005`, `${f(gbdt.auc)} vs ${f(hgb.auc)} (diff ${f(gbdt.auc - hgb.auc)})`, gbdt.auc >= hgb.auc - 0.005);
      if (d === bank) {
        const { ours: o, theirs: t } = speedPair(d, split, { ours: gbdt, theirs: hgb });
        bar(`${d.name} ${split}: GBDT train time <= 1.0 x sklearn HGB`, `${o.train_s.toFixed(3)} s vs ${t.train_s.toFixed(3)} s (ratio ${(o.train_s / t.train_s).toFixed(2)}, best of ${repeats})`, o.train_s <= t.train_s);
      }
    }
  }
  table(rows);

  console.log('\n## Speed on the synthetic set (500,000 rows, mod5: 400,000 training rows x 30 features)\n');
  writeSyntheticCsv(synthetic.csv, 500_000);
  const peers = runPeers(synthetic, 'mod5');
  const ours = runOurs(synthetic, 'mod5', 'gbdt');
  const synthRows: string[][] = [['model', 'auc', 'logloss', 'train_s', 'score_s', 'rows/s']];
  for (const l of [...peers, ...ours]) synthRows.push([l.model, f(l.auc), f(l.logloss), l.train_s.toFixed(3), l.score_s.toFixed(3), Math.round(l.n_test / Math.max(l.score_s, 1e-3)).toString()]);
  table(synthRows);
  const gbdt = ours.find((l) => l.model === 'propensity-gbdt')!;
  const hgb = peers.find((l) => l.model === 'sklearn-hgb')!;
  const { ours: o, theirs: t } = speedPair(synthetic, 'mod5', { ours: gbdt, theirs: hgb });
  bar('synthetic 400k x 30: GBDT train time <= 1.0 x sklearn HGB', `${o.train_s.toFixed(3)} s vs ${t.train_s.toFixed(3)} s (ratio ${(o.train_s / t.train_s).toFixed(2)}, best of ${repeats})`, o.train_s <= t.train_s);
  bar('synthetic: scoring >= 300,000 rows/s (evaluate, first call)', `${Math.round(gbdt.n_test / gbdt.score_s)} rows/s (${gbdt.n_test} rows in ${gbdt.score_s} s; sklearn HGB ${Math.round(hgb.n_test / hgb.score_s)})`, gbdt.n_test / gbdt.score_s >= 300_000);

  console.log('\n## Training memory (own process; see measure-training.ts)\n');
  for (const [d, split] of [[synthetic, 'mod5'], [bank, 'mod5']] as const) {
    const csv = readCsvTable(d.csv, { separator: d.sep, exclude: d.drop, text: [d.target] });
    const labels = labelsFromColumn(csv.text[d.target], d.positive, d.target);
    const { train, test } = splitRows(csv.rowCount, split);
    const trainFile = path.join(work, 'train.bin');
    const testFile = path.join(work, 'test.bin');
    writeTableFile(trainFile, takeRows(csv.table, train), Uint8Array.from(train, (i) => labels[i]));
    writeTableFile(testFile, takeRows(csv.table, test), Uint8Array.from(test, (i) => labels[i]));
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(projectRoot, 'test/bench/measure-training.ts'), trainFile, testFile], { cwd: projectRoot, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`measure-training failed: ${child.stderr}`);
    const m = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number>;
    const cells = m.rows * m.features;
    const grown = m.peak - m.rssBefore;
    const budget = 2 * cells + m.modelBytes;
    console.log(`${d.name}: ${m.rows} rows x ${m.features} features = ${cells} cells; RSS before ${(m.rssBefore / 1e6).toFixed(1)} MB, peak ${(m.peak / 1e6).toFixed(1)} MB: training added ${(grown / 1e6).toFixed(1)} MB = ${((grown - m.modelBytes) / cells).toFixed(2)} bytes per cell + model ${(m.modelBytes / 1e6).toFixed(2)} MB (${m.trees} trees, ${m.trainSeconds.toFixed(2)} s); scoring ${Math.round(m.scoreRows / m.scoreSeconds)} rows/s (best of 3)`);
    if (d === synthetic) {
      bar('synthetic 400k x 30: training peak memory <= 2 bytes/cell + model', `${(grown / 1e6).toFixed(1)} MB <= ${(budget / 1e6).toFixed(1)} MB`, grown <= budget);
      bar('synthetic: scoring >= 300,000 rows/s (warm, best of 3)', `${Math.round(m.scoreRows / m.scoreSeconds)} rows/s`, m.scoreRows / m.scoreSeconds >= 300_000);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('\n## Bars\n');
table([['bar', 'figure', 'result'], ...bars.map((b) => [b.bar, b.figure, b.pass ? 'PASS' : 'FAIL'])]);
const failed = bars.filter((b) => !b.pass).length;
console.log(`\n${bars.length - failed} of ${bars.length} bars passed`);
process.exit(failed > 0 ? 1 : 0);
