/**
 * The design of the linear model: numeric features with missing values filled by the training
 * median and standardised (mean 0, standard deviation 1; a constant column keeps scale 1);
 * categorical features one-hot, missing being the level "NA", levels with fewer than
 * `minLevelRows` training rows sharing one "rare" column (as do levels first seen when scoring).
 * The same design as peers.py's scikit-learn pipeline.
 *
 * A row is stored sparsely: its standardised numeric values, and for each categorical feature the
 * index of its one active column (-1 if none).
 */
import { isMissingCategory, type Table } from '../table.ts';

export interface DesignSpec {
  numeric: { name: string; fill: number; mean: number; scale: number }[];
  categorical: { name: string; levels: string[]; hasRare: boolean }[];
}

export interface Design {
  rowCount: number;
  /** Columns: 0 = intercept, then numeric, then each categorical feature's levels (and rare column). */
  columnCount: number;
  numericCount: number;
  /** Row-major standardised numeric values, numericCount per row. */
  numeric: Float64Array;
  categoricalCount: number;
  /** Row-major active column per categorical feature, -1 for none. */
  active: Int32Array;
  /** First column of each categorical feature. */
  categoricalStart: Int32Array;
}

export const missingLevel = 'NA';

function levelOf(value: string | null): string {
  return isMissingCategory(value) ? missingLevel : value;
}

/** Learns fills, scales and levels from the rows `rows` of `table`. */
export function fitDesign(table: Table, rows: ArrayLike<number>, minLevelRows: number, maxLevels: number): DesignSpec {
  const numeric = table.numericNames.map((name, j) => {
    const column = table.numeric[j];
    const values: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const x = column[rows[i]];
      if (Number.isFinite(x)) values.push(x);
    }
    values.sort((a, b) => a - b);
    const m = values.length;
    const fill = m === 0 ? 0 : m % 2 === 1 ? values[(m - 1) / 2] : (values[m / 2 - 1] + values[m / 2]) / 2;
    let sum = 0;
    for (let i = 0; i < rows.length; i++) sum += filled(column[rows[i]], fill);
    const mean = sum / rows.length;
    let squares = 0;
    for (let i = 0; i < rows.length; i++) squares += (filled(column[rows[i]], fill) - mean) ** 2;
    const sd = Math.sqrt(squares / rows.length);
    return { name, fill, mean, scale: sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1 };
  });
  const categorical = table.categoricalNames.map((name, j) => {
    const counts = new Map<string, number>();
    const column = table.categorical[j];
    for (let i = 0; i < rows.length; i++) {
      const level = levelOf(column[rows[i]]);
      counts.set(level, (counts.get(level) ?? 0) + 1);
    }
    const frequent = [...counts.entries()]
      .filter(([, count]) => count >= minLevelRows)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, maxLevels)
      .map(([level]) => level);
    return { name, levels: frequent, hasRare: frequent.length < counts.size };
  });
  return { numeric, categorical };
}

function filled(x: number, fill: number): number {
  return Number.isFinite(x) ? x : fill;
}

/** The design rows of `table` (every row, or the rows `rows`). */
export function encodeDesign(spec: DesignSpec, table: Table, rows?: ArrayLike<number>): Design {
  const n = rows ? rows.length : table.rowCount;
  const at = (i: number) => (rows ? rows[i] : i);
  const numericCount = spec.numeric.length;
  const numeric = new Float64Array(n * numericCount);
  spec.numeric.forEach((feature, j) => {
    const column = table.numeric[indexOf(table.numericNames, feature.name)];
    for (let i = 0; i < n; i++) numeric[i * numericCount + j] = (filled(column[at(i)], feature.fill) - feature.mean) / feature.scale;
  });
  const categoricalCount = spec.categorical.length;
  const active = new Int32Array(n * categoricalCount);
  const categoricalStart = new Int32Array(categoricalCount);
  let column = 1 + numericCount;
  spec.categorical.forEach((feature, j) => {
    categoricalStart[j] = column;
    const values = table.categorical[indexOf(table.categoricalNames, feature.name)];
    const code = new Map(feature.levels.map((level, k) => [level, column + k]));
    const rare = feature.hasRare ? column + feature.levels.length : -1;
    for (let i = 0; i < n; i++) active[i * categoricalCount + j] = code.get(levelOf(values[at(i)])) ?? rare;
    column += feature.levels.length + (feature.hasRare ? 1 : 0);
  });
  return { rowCount: n, columnCount: column, numericCount, numeric, categoricalCount, active, categoricalStart };
}

function indexOf(names: string[], name: string): number {
  const j = names.indexOf(name);
  if (j < 0) throw new Error(`the table has no column "${name}"`);
  return j;
}

/** Linear predictor of design row i under coefficients w. */
export function linearScore(design: Design, w: Float64Array, i: number): number {
  const p = design.numericCount;
  const c = design.categoricalCount;
  let eta = w[0];
  for (let j = 0, at = i * p; j < p; j++, at++) eta += w[1 + j] * design.numeric[at];
  for (let j = 0, at = i * c; j < c; j++, at++) {
    const k = design.active[at];
    if (k >= 0) eta += w[k];
  }
  return eta;
}
