/** Small generated tables for the learner tests (no data files). */
import { seededRandom } from '../../src/learners/random.ts';
import type { Table } from '../../src/learners/table.ts';

export function numericTable(columns: Record<string, number[]>): Table {
  const names = Object.keys(columns);
  return { rowCount: columns[names[0]].length, numericNames: names, numeric: names.map((n) => Float64Array.from(columns[n])), categoricalNames: [], categorical: [] };
}

export function table(numeric: Record<string, number[]>, categorical: Record<string, (string | null)[]> = {}): Table {
  const numericNames = Object.keys(numeric);
  const categoricalNames = Object.keys(categorical);
  const rowCount = numericNames.length > 0 ? numeric[numericNames[0]].length : categorical[categoricalNames[0]].length;
  return {
    rowCount,
    numericNames,
    numeric: numericNames.map((n) => Float64Array.from(numeric[n])),
    categoricalNames,
    categorical: categoricalNames.map((n) => categorical[n]),
  };
}

/**
 * A lead-like table: two informative numeric features (one with missing values), a noise column, a
 * constant column and an informative categorical one; labels drawn from a non-linear truth.
 */
export function leads(rows: number, seed = 1): { table: Table; labels: Uint8Array } {
  const random = seededRandom(seed);
  const visits: number[] = [];
  const age: number[] = [];
  const noise: number[] = [];
  const constant: number[] = [];
  const source: (string | null)[] = [];
  const labels = new Uint8Array(rows);
  const sources = ['ads', 'organic', 'referral', 'email', 'event'];
  const effect: Record<string, number> = { ads: -0.5, organic: 0.3, referral: 1.2, email: 0, event: 0.6 };
  for (let i = 0; i < rows; i++) {
    const v = Math.floor(random() * 20);
    const a = random() < 0.1 ? Number.NaN : 20 + random() * 50;
    const s = random() < 0.05 ? null : sources[Math.floor(random() * sources.length)];
    visits.push(v);
    age.push(a);
    noise.push(random());
    constant.push(7);
    source.push(s);
    const logit = -1.5 + (v > 10 ? 1.5 : 0) + (Number.isNaN(a) ? 1 : a > 45 ? -0.8 : 0.4) + (s === null ? -1 : effect[s]);
    labels[i] = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { table: table({ visits, age, noise, constant }, { source }), labels };
}
