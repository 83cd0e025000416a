/** Checks and splits of 0/1 labels shared by the learners. */
import { TrainingDataError } from './training-data-error.ts';
/** Throws unless `labels` has `rowCount` values, all 0 or 1, with both present. */
export function checkLabels(labels: ArrayLike<number>, rowCount: number): void {
  if (labels.length !== rowCount) throw new TrainingDataError(`${labels.length} labels for ${rowCount} rows`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new TrainingDataError(`label ${i} is ${y}; labels must be 0 or 1`);
    positives += y;
  }
  if (positives === 0 || positives === rowCount) throw new TrainingDataError(`the labels have one class only (${positives} positives in ${rowCount} rows)`);
}

/**
 * Holds out `fraction` of the rows, the same share of each class, chosen by `random`. Both parts are
 * in row order, and views of one array `order` (kept rows first).
 */
export function stratifiedHoldout(labels: ArrayLike<number>, fraction: number, random: () => number): { fit: Uint32Array; holdout: Uint32Array; order: Uint32Array } {
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  // Selection sampling (Knuth's algorithm S) in each class: exactly `wanted` rows, each subset of
  // that size equally likely, in one pass and without a list of the class's rows.
  const seen = [0, 0];
  const size = [n - positives, positives];
  const wanted = [Math.round(size[0] * fraction), Math.round(size[1] * fraction)];
  const taken = [0, 0];
  const held = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = labels[i] === 1 ? 1 : 0;
    if (random() * (size[c] - seen[c]) < wanted[c] - taken[c]) {
      held[i] = 1;
      taken[c]++;
    }
    seen[c]++;
  }
  return partitionBy(held);
}

/** Holds out the last `fraction` of the rows (rows in time order: validate on the most recent). */
export function tailHoldout(n: number, fraction: number): { fit: Uint32Array; holdout: Uint32Array; order: Uint32Array } {
  const held = new Uint8Array(n);
  held.fill(1, n - Math.round(n * fraction));
  return partitionBy(held);
}

/** Both parts as views of one array: the kept rows, then the held-out rows (`order`). */
function partitionBy(held: Uint8Array): { fit: Uint32Array; holdout: Uint32Array; order: Uint32Array } {
  let count = 0;
  for (let i = 0; i < held.length; i++) count += held[i];
  const order = new Uint32Array(held.length);
  const fitCount = held.length - count;
  let a = 0;
  let b = fitCount;
  for (let i = 0; i < held.length; i++) {
    if (held[i] === 1) order[b++] = i;
    else order[a++] = i;
  }
  return { fit: order.subarray(0, fitCount), holdout: order.subarray(fitCount), order };
}
