/**
 * Gradient histograms: for each feature and bin, two numbers in one flat Float64Array: the sum of
 * gradients, and the hessian sum and row count packed together as count * K + hessian.
 *
 * Packing: K is a power of two at least twice the rows, and a row's hessian is at most 1/4, so a
 * bin's hessian sum stays below K / 2: the count is round(sum / K), exactly, and the hessian is
 * what remains. It saves a third of the memory traffic of the loops below, which are most of the
 * training time. The hessian sums keep ~1e-8 relative precision, far below what changes a split.
 *
 * Binary log-loss only: the hessian is p(1 - p), and with the gradient g = p - y it is |g|(1 - |g|)
 * for either label, so it is derived here instead of stored. Gradients are Float32 (as in
 * scikit-learn) to halve their memory; every sum is Float64.
 *
 * Speed: four features share one pass over the rows (a row's gradient is loaded once for four
 * columns); columns and histograms are read through per-feature views, which V8 compiles to
 * tighter code than offset arithmetic; the root reads rows in order without an index; other nodes
 * first gather their gradients into one contiguous buffer.
 */
import type { BinnedData } from './binned-data.ts';

/** The smallest power of two >= 2 * rows: the count unit of packed histograms. */
export function countUnit(rows: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(2, 2 * rows)));
}

/**
 * Fills `hist` from the rows rows[start..end) with gradients `gradient` (indexed by row); `rows`
 * null means rows start..end themselves. `gathered` must hold end - start numbers.
 */
export function buildHistogram(
  hist: Float64Array, data: BinnedData, rows: Uint32Array | null, start: number, end: number, gradient: Float32Array, gathered: Float32Array,
): void {
  hist.fill(0);
  const { columns, featureCount, histogramOffset, valueBins, countUnit: unit } = data;
  const view = (f: number) => hist.subarray(histogramOffset[f] * 2, (histogramOffset[f] + valueBins[f] + 1) * 2);
  if (rows !== null) {
    for (let i = start; i < end; i++) gathered[i - start] = gradient[rows[i]];
  }
  let f = 0;
  for (; f + 3 < featureCount; f += 4) {
    if (rows === null) accumulate4InOrder(columns[f], columns[f + 1], columns[f + 2], columns[f + 3], view(f), view(f + 1), view(f + 2), view(f + 3), start, end, gradient, unit);
    else accumulate4(columns[f], columns[f + 1], columns[f + 2], columns[f + 3], view(f), view(f + 1), view(f + 2), view(f + 3), rows, start, end, gathered, unit);
  }
  for (; f < featureCount; f++) {
    if (rows === null) accumulate1InOrder(columns[f], view(f), start, end, gradient, unit);
    else accumulate1(columns[f], view(f), rows, start, end, gathered, unit);
  }
}

function accumulate4(
  c0: Uint8Array, c1: Uint8Array, c2: Uint8Array, c3: Uint8Array,
  h0: Float64Array, h1: Float64Array, h2: Float64Array, h3: Float64Array,
  rows: Uint32Array, start: number, end: number, gathered: Float32Array, unit: number,
): void {
  for (let i = start, j = 0; i < end; i++, j++) {
    const r = rows[i];
    const g = gathered[j];
    const a = g < 0 ? -g : g;
    const hc = a - a * a + unit;
    const k0 = c0[r] << 1;
    h0[k0] += g;
    h0[k0 + 1] += hc;
    const k1 = c1[r] << 1;
    h1[k1] += g;
    h1[k1 + 1] += hc;
    const k2 = c2[r] << 1;
    h2[k2] += g;
    h2[k2 + 1] += hc;
    const k3 = c3[r] << 1;
    h3[k3] += g;
    h3[k3 + 1] += hc;
  }
}

function accumulate4InOrder(
  c0: Uint8Array, c1: Uint8Array, c2: Uint8Array, c3: Uint8Array,
  h0: Float64Array, h1: Float64Array, h2: Float64Array, h3: Float64Array,
  start: number, end: number, gradient: Float32Array, unit: number,
): void {
  for (let r = start; r < end; r++) {
    const g = gradient[r];
    const a = g < 0 ? -g : g;
    const hc = a - a * a + unit;
    const k0 = c0[r] << 1;
    h0[k0] += g;
    h0[k0 + 1] += hc;
    const k1 = c1[r] << 1;
    h1[k1] += g;
    h1[k1 + 1] += hc;
    const k2 = c2[r] << 1;
    h2[k2] += g;
    h2[k2 + 1] += hc;
    const k3 = c3[r] << 1;
    h3[k3] += g;
    h3[k3 + 1] += hc;
  }
}

function accumulate1(c0: Uint8Array, h0: Float64Array, rows: Uint32Array, start: number, end: number, gathered: Float32Array, unit: number): void {
  for (let i = start, j = 0; i < end; i++, j++) {
    const g = gathered[j];
    const a = g < 0 ? -g : g;
    const k0 = c0[rows[i]] << 1;
    h0[k0] += g;
    h0[k0 + 1] += a - a * a + unit;
  }
}

function accumulate1InOrder(c0: Uint8Array, h0: Float64Array, start: number, end: number, gradient: Float32Array, unit: number): void {
  for (let r = start; r < end; r++) {
    const g = gradient[r];
    const a = g < 0 ? -g : g;
    const k0 = c0[r] << 1;
    h0[k0] += g;
    h0[k0 + 1] += a - a * a + unit;
  }
}

/** parent -= child, in place: the sibling's histogram without reading its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let k = 0; k < parent.length; k++) parent[k] -= child[k];
}
