/**
 * Child process of learners.bench.ts: the training's peak memory and the scoring rate, each in a
 * process of its own. `node --expose-gc --import tsx measure-training.ts TRAIN_FILE [TEST_FILE]`
 * prints one JSON line.
 *
 * Memory: first a small training (2,000 rows) so V8 has compiled the code (the compiler's memory
 * is a fixed cost of the process, not of the data); then the kernel's record of peak RSS is reset
 * (writing 5 to /proc/self/clear_refs), RSS noted, the full table trained on, and the peak read
 * back (VmHWM in /proc/self/status). Not getrusage's maxRSS: Linux carries that over from the
 * parent process across exec, so a large parent would hide the child's figure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { trainGbdt } from '../../src/learners/gbdt/train-gbdt.ts';
import { predict } from '../../src/learners/predict.ts';
import { takeRows } from '../../src/learners/table.ts';
import { readTableFile } from './table-file.ts';

const [trainFile, testFile] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const { table, labels } = readTableFile(trainFile);
const warmRows = Uint32Array.from({ length: Math.min(2000, table.rowCount) }, (_, i) => Math.floor((i * table.rowCount) / Math.min(2000, table.rowCount)));
trainGbdt(takeRows(table, warmRows), Uint8Array.from(warmRows, (i) => labels[i]), { maxIterations: 20 });
gc();
gc();
writeFileSync('/proc/self/clear_refs', '5');
const rssBefore = process.memoryUsage().rss;
const peakBefore = peakRss();
const started = performance.now();
const model = trainGbdt(table, labels);
const trainSeconds = (performance.now() - started) / 1000;
const peak = peakRss();
const result: Record<string, number> = {
  rows: table.rowCount,
  features: table.numericNames.length + table.categoricalNames.length,
  rssBefore,
  peakBefore,
  peak,
  modelBytes: JSON.stringify(model).length,
  trees: model.trees.length,
  trainSeconds,
};
if (testFile) {
  const test = readTableFile(testFile).table;
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    predict(model, test);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  result.scoreRows = test.rowCount;
  result.scoreSeconds = best;
}
console.log(JSON.stringify(result));

function peakRss(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!kb) throw new Error('no VmHWM in /proc/self/status (Linux only)');
  return Number(kb[1]) * 1024;
}
