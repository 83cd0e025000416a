/**
 * Quantile binning: every feature becomes one byte per row, stored column by column.
 *
 * A numeric feature with at most `maxBins` distinct values gets a bin per value (thresholds at the
 * midpoints); otherwise `maxBins` quantile bins (simple-statistics' `quantileSorted`) on up to
 * `sampleRows` rows. A value x falls in the first bin b with x <= thresholds[b]. A categorical
 * feature gets a bin per level, most frequent first, at most `maxBins`. Missing values, and levels
 * not seen when binning, go to one extra bin after the value bins, so a column needs at most 256.
 */
import { quantileSorted } from 'simple-statistics';
import { isMissingCategory, type Table } from '../table.ts';

export interface NumericBinning {
  kind: 'numeric';
  name: string;
  /** Ascending, finite; value bins = thresholds.length + 1. */
  thresholds: number[];
}

export interface CategoricalBinning {
  kind: 'categorical';
  name: string;
  /** Bin b holds levels[b]; value bins = levels.length. */
  levels: string[];
}

export type FeatureBinning = NumericBinning | CategoricalBinning;

export interface BinningOptions {
  maxBins: number;
  /** About this many rows place the numeric thresholds (all of them when there are fewer). */
  sampleRows: number;
  seed: number;
  /** Room for the sampled values (at least rows.length numbers), so binning allocates little. */
  scratch?: Float64Array;
}

/** The number of value bins of a feature; its missing bin is this index. */
export function valueBinCount(binning: FeatureBinning): number {
  return binning.kind === 'numeric' ? binning.thresholds.length + 1 : Math.max(1, binning.levels.length);
}

const largest = Number.MAX_VALUE;

/**
 * Thresholds for one numeric column from the rows `rows` for which `sampled(i)` holds (all when
 * absent); `scratch`, if given, holds rows.length numbers.
 */
export function numericThresholds(column: Float64Array, rows: ArrayLike<number>, maxBins: number, sampled?: (i: number) => boolean, scratch?: Float64Array): number[] {
  const values = scratch ?? new Float64Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    if (sampled && !sampled(i)) continue;
    const x = column[rows[i]];
    if (x === x) values[n++] = x > largest ? largest : x < -largest ? -largest : x;
  }
  const sorted = values.subarray(0, n).sort();
  let distinct = n > 0 ? 1 : 0;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  const thresholds: number[] = [];
  if (distinct <= maxBins) {
    for (let i = 1; i < n; i++) {
      if (sorted[i] !== sorted[i - 1]) thresholds.push(midpoint(sorted[i - 1], sorted[i]));
    }
    return thresholds;
  }
  const asArray = sorted as unknown as number[];
  for (let k = 1; k < maxBins; k++) {
    const q = quantileSorted(asArray, k / maxBins);
    if (thresholds.length === 0 || q > thresholds[thresholds.length - 1]) thresholds.push(q);
  }
  // The top bin must not be empty: a threshold at the maximum would leave nothing above it.
  while (thresholds.length > 0 && thresholds[thresholds.length - 1] >= sorted[n - 1]) thresholds.pop();
  return thresholds;
}

function midpoint(a: number, b: number): number {
  const m = a / 2 + b / 2;
  return m < b ? (m >= a ? m : a) : a;
}

/** Levels of one categorical column from the rows `rows`, most frequent first (ties by name). */
export function categoricalLevels(column: (string | null)[], rows: ArrayLike<number>, maxBins: number): string[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const v = column[rows[i]];
    if (!isMissingCategory(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxBins)
    .map(([level]) => level);
}

/** Learns every feature's bins from the rows `rows` of `table` (numeric columns first). */
export function fitBinning(table: Table, rows: Uint32Array, options: BinningOptions): FeatureBinning[] {
  const maxBins = Math.min(255, Math.max(2, Math.floor(options.maxBins)));
  // A seeded hash picks the sample: the same rows for every column, and no list of them to store.
  const share = options.sampleRows / rows.length;
  const sampled = share < 1 ? (i: number) => hashUnit(i, options.seed) < share : undefined;
  const scratch = options.scratch ?? new Float64Array(rows.length);
  return [
    ...table.numericNames.map((name, j): NumericBinning => ({ kind: 'numeric', name, thresholds: numericThresholds(table.numeric[j], rows, maxBins, sampled, scratch) })),
    ...table.categoricalNames.map((name, j): CategoricalBinning => ({ kind: 'categorical', name, levels: categoricalLevels(table.categorical[j], rows, maxBins) })),
  ];
}

/** A number in [0, 1) from a row index and a seed (a 32-bit integer hash). */
function hashUnit(i: number, seed: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seed + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** The bin of a numeric value: the first b with x <= thresholds[b]; NaN goes to the missing bin. */
export function numericBin(thresholds: ArrayLike<number>, x: number): number {
  const count = thresholds.length;
  if (x !== x) return count + 1;
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= thresholds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Bins the rows `rows` of `table` (in that order) into one Uint8Array, feature f's bins at
 * [f * rows.length, (f + 1) * rows.length).
 */
export function binRows(binning: FeatureBinning[], table: Table, rows: ArrayLike<number>, into?: Uint8Array): Uint8Array {
  const n = rows.length;
  const bins = into ?? new Uint8Array(binning.length * n);
  binning.forEach((feature, f) => {
    const out = bins.subarray(f * n, (f + 1) * n);
    if (feature.kind === 'numeric') {
      const column = table.numeric[table.numericNames.indexOf(feature.name)];
      const thresholds = Float64Array.from(feature.thresholds);
      for (let i = 0; i < n; i++) out[i] = numericBin(thresholds, column[rows[i]]);
    } else {
      const column = table.categorical[table.categoricalNames.indexOf(feature.name)];
      const code = new Map(feature.levels.map((level, b) => [level, b]));
      const missing = valueBinCount(feature);
      for (let i = 0; i < n; i++) {
        const v = column[rows[i]];
        out[i] = v === null ? missing : (code.get(v) ?? missing);
      }
    }
  });
  return bins;
}
