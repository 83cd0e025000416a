/**
 * A synthetic lead table for speed benchmarks: `rows` x 30 features (24 numeric, 6 categorical),
 * with missing values, skewed and integer columns, interactions and thresholds in the true log-odds,
 * and a positive rate near 20 %. Deterministic for a seed. Written as CSV in pieces (no giant string).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { seededRandom } from '../../src/learners/random.ts';

export const syntheticFeatureCount = 30;

export function writeSyntheticCsv(file: string, rows: number, seed = 7): void {
  const random = seededRandom(seed);
  const normal = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const header = [...Array.from({ length: 24 }, (_, j) => `x${j}`), ...Array.from({ length: 6 }, (_, j) => `c${j}`), 'converted'];
  const cardinality = [3, 5, 8, 12, 30, 60];
  // A fixed effect per level of each categorical feature.
  const levelEffect = cardinality.map((k) => Array.from({ length: k }, () => normal() * 0.5));
  const fd = openSync(file, 'w');
  let buffer = header.join(',') + '\n';
  const x = new Float64Array(24);
  const c = new Int32Array(6);
  for (let i = 0; i < rows; i++) {
    const shared = normal();
    for (let j = 0; j < 24; j++) x[j] = j < 8 ? 0.6 * shared + 0.8 * normal() : normal();
    x[8] = Math.exp(x[8]); // skewed, like page views
    x[9] = Math.floor(Math.abs(x[9]) * 4); // small counts
    x[10] = Math.round(x[10] * 2) / 2;
    for (let j = 0; j < 6; j++) c[j] = Math.min(cardinality[j] - 1, Math.floor(Math.pow(random(), 1.5) * cardinality[j]));
    let logit = -3.3
      + 0.8 * x[0] - 0.6 * x[1] + 0.5 * x[2] * x[3]
      + (x[4] > 0.5 ? 0.9 : 0) - (x[5] < -1 ? 0.7 : 0)
      + 0.6 * Math.sin(2 * x[6]) + 0.3 * Math.log1p(x[8]) + 0.15 * x[9]
      + (x[11] > 0 && x[12] > 0 ? 0.8 : 0) + 0.4 * Math.abs(x[13]) - 0.3 * x[14] * x[14] * 0.5
      + 0.2 * x[15];
    for (let j = 0; j < 6; j++) logit += levelEffect[j][c[j]] * (j < 4 ? 1 : 0.5);
    const y = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    const cells: string[] = [];
    for (let j = 0; j < 24; j++) {
      const missing = (j % 6 === 1 && random() < 0.05) || (j === 8 && random() < 0.15);
      cells.push(missing ? '' : String(Math.round(x[j] * 1e4) / 1e4));
    }
    for (let j = 0; j < 6; j++) cells.push(j === 5 && random() < 0.1 ? '' : `L${j}_${c[j]}`);
    cells.push(y ? 'yes' : 'no');
    buffer += cells.join(',') + '\n';
    if (buffer.length > 1 << 20) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
}
