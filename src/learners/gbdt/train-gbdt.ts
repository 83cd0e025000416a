/**
 * Histogram gradient boosting for binary log-loss (defaults after scikit-learn's
 * HistGradientBoostingClassifier): quantile bins, leaf-wise trees, shrinkage, optional row
 * subsampling, and early stopping on a stratified validation split, keeping the trees up to the best
 * validation loss. Unlike scikit-learn, early stopping is on for small data too (when the split holds
 * 10 rows of each class): 100 unchecked trees overfit a few thousand rows. The same seed gives the
 * same model.
 */
import type { GbdtModel, GbdtTree, ModelFeature } from '../model.ts';
import { modelFormat, modelVersion } from '../model.ts';
import { seededRandom } from '../random.ts';
import { checkTable, type Table } from '../table.ts';
import { binRows, fitBinning, type FeatureBinning } from './bin-columns.ts';
import { describeBins, type BinnedData } from './binned-data.ts';
import { TreeGrower, type BinTree } from './grow-tree.ts';
import { checkLabels, stratifiedHoldout, tailHoldout } from '../labels.ts';

export interface GbdtOptions {
  learningRate: number;
  maxIterations: number;
  maxLeaves: number;
  minSamplesLeaf: number;
  /** L2 penalty on leaf values. */
  l2: number;
  minGain: number;
  /** 0 = no limit. */
  maxDepth: number;
  maxBins: number;
  /** Rows drawn (without replacement, afresh for each tree) as a share of the training rows. */
  subsample: number;
  /** 'auto': on when the validation split would hold at least 10 rows of each class. */
  earlyStopping: boolean | 'auto';
  validationFraction: number;
  /** Which rows validate: a stratified random draw, or the last rows (rows in time order). */
  validation: 'stratified' | 'tail';
  /** Stop after this many trees without the validation loss improving by `tolerance`. */
  patience: number;
  tolerance: number;
  /** Levels with fewer rows in a node stay on the right in categorical splits. */
  minCategoryRows: number;
  /** Added to the hessian when ordering levels, so rare levels are not ranked by noise. */
  categorySmoothing: number;
  /** Rows sampled to place numeric bin thresholds. */
  binSampleRows: number;
  seed: number;
}

export const gbdtDefaults: GbdtOptions = {
  learningRate: 0.1,
  maxIterations: 100,
  maxLeaves: 31,
  minSamplesLeaf: 20,
  l2: 0,
  minGain: 0,
  maxDepth: 0,
  maxBins: 255,
  subsample: 1,
  earlyStopping: 'auto',
  validationFraction: 0.1,
  validation: 'stratified',
  patience: 10,
  tolerance: 1e-7,
  minCategoryRows: 10,
  categorySmoothing: 10,
  binSampleRows: 200_000,
  seed: 0,
};

export function trainGbdt(table: Table, labels: ArrayLike<number>, options: Partial<GbdtOptions> = {}): GbdtModel {
  const o: GbdtOptions = { ...gbdtDefaults, ...options };
  checkTable(table);
  checkLabels(labels, table.rowCount);
  const random = seededRandom(o.seed);
  const n = table.rowCount;
  const stopEarly = o.earlyStopping === 'auto' ? smallerClass(labels) * o.validationFraction >= 10 : o.earlyStopping;
  // Memory is the budget here (2 bytes per training cell): big arrays are allocated once and reused.
  // `order` lists the fitting rows, then the validation rows: the binned rows' order.
  const { fit, holdout, order } = !stopEarly
    ? everyRow(n)
    : o.validation === 'tail' ? tailHoldout(n, o.validationFraction) : stratifiedHoldout(labels, o.validationFraction, random);
  const nFit = fit.length;
  // Until the bins are written, their memory is where binning sorts its sampled values.
  const featureCount = table.numericNames.length + table.categoricalNames.length;
  const bins = new Uint8Array(featureCount * n);
  const scratch = bins.byteLength >= 8 * nFit ? new Float64Array(bins.buffer, 0, nFit) : undefined;
  const binning = fitBinning(table, fit, { maxBins: o.maxBins, sampleRows: o.binSampleRows, seed: o.seed, scratch });
  const data = describeBins(binning, binRows(binning, table, order, bins), n, nFit);
  const y = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    y[i] = labels[order[i]] === 1 ? 1 : 0;
    if (i < nFit) positives += y[i];
  }
  const rate = Math.min(Math.max(positives / nFit, 1e-15), 1 - 1e-15);
  const baseScore = Math.log(rate / (1 - rate));
  // Scores in Float32: they only feed the Float32 gradients (the model's numbers are Float64).
  const raw = new Float32Array(n).fill(baseScore);
  const gradient = new Float32Array(nFit);
  // `order` is spent: the grower partitions its rows in the same memory.
  const grower = new TreeGrower(data, order.subarray(0, nFit), { ...o, maxLeaves: Math.max(2, o.maxLeaves) });
  // Trees are kept in their JSON form only: the bin-space form (with its lookup tables) is dropped
  // as soon as the rows' scores are updated.
  const trees: GbdtTree[] = [];
  const losses = [stopEarly ? logLossOf(raw, y, nFit, n) : Number.NaN];
  let best = 0;
  for (let iteration = 0; iteration < o.maxIterations; iteration++) {
    for (let r = 0; r < nFit; r++) gradient[r] = 1 / (1 + Math.exp(-raw[r])) - y[r];
    const rows = grower.rows;
    let rowCount = nFit;
    if (o.subsample < 1) {
      rowCount = 0;
      for (let r = 0; r < nFit; r++) if (random() < o.subsample) rows[rowCount++] = r;
    } else {
      for (let r = 0; r < nFit; r++) rows[r] = r;
    }
    const tree = grower.grow(rowCount, gradient, o.subsample >= 1);
    if (tree.nodeCount === 1) break; // nothing left to learn: every further tree would be this one
    trees.push(toJsonTree(tree, binning));
    if (o.subsample < 1) {
      for (let r = 0; r < nFit; r++) raw[r] += binTreeValue(tree, data, r);
    } else {
      grower.forEachLeaf(tree, (value, start, end) => {
        for (let i = start; i < end; i++) raw[rows[i]] += value;
      });
    }
    if (!stopEarly) continue;
    for (let r = nFit; r < n; r++) raw[r] += binTreeValue(tree, data, r);
    losses.push(logLossOf(raw, y, nFit, n));
    const k = losses.length - 1;
    if (losses[k] < losses[best]) best = k;
    if (k > o.patience) {
      const reference = losses[k - o.patience] - o.tolerance;
      let improved = false;
      for (let j = k - o.patience + 1; j <= k; j++) if (losses[j] < reference) improved = true;
      if (!improved) break;
    }
  }
  return {
    format: modelFormat,
    version: modelVersion,
    kind: 'gbdt',
    features: binning.map(toModelFeature),
    baseScore: baseScore + 0,
    trees: stopEarly ? trees.slice(0, best) : trees,
    training: {
      rows: nFit,
      validationRows: holdout.length,
      validationLogLoss: stopEarly ? losses[best] : null,
      options: { ...o },
    },
  };
}

function smallerClass(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  return Math.min(positives, labels.length - positives);
}

/** No validation: every row fits. */
function everyRow(n: number): { fit: Uint32Array; holdout: Uint32Array; order: Uint32Array } {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return { fit: order, holdout: new Uint32Array(0), order };
}

function logLossOf(raw: Float32Array, y: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let r = from; r < to; r++) {
    const z = y[r] === 1 ? -raw[r] : raw[r];
    // log(1 + e^z) without overflow
    sum += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }
  return sum / Math.max(1, to - from);
}

/** A bin-space tree's value for row r of the binned data. */
function binTreeValue(tree: BinTree, data: BinnedData, r: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    const bin = data.columns[tree.feature[node]][r];
    node = tree.goesLeft[node * 256 + bin] === 1 ? tree.left[node] : tree.right[node];
  }
  return tree.value[node];
}

function toModelFeature(binning: FeatureBinning): ModelFeature {
  return binning.kind === 'numeric' ? { name: binning.name, type: 'numeric' } : { name: binning.name, type: 'categorical', levels: binning.levels };
}

function toJsonTree(tree: BinTree, binning: FeatureBinning[]): GbdtTree {
  const out: GbdtTree = { feature: [], threshold: [], leftLevels: [], missingLeft: [], left: [], right: [], value: [], cover: [] };
  for (let node = 0; node < tree.nodeCount; node++) {
    const f = tree.feature[node];
    out.feature.push(f);
    out.left.push(tree.left[node]);
    out.right.push(tree.right[node]);
    out.value.push(f < 0 ? tree.value[node] + 0 : 0); // + 0 turns -0 into 0, which JSON would anyway
    out.cover.push(tree.count[node]);
    out.missingLeft.push(f >= 0 && tree.missingLeft[node] === 1);
    const feature = f >= 0 ? binning[f] : undefined;
    if (feature?.kind === 'numeric') {
      const b = tree.thresholdBin[node];
      out.threshold.push(b < feature.thresholds.length ? feature.thresholds[b] : null);
      out.leftLevels.push(null);
    } else if (feature?.kind === 'categorical') {
      out.threshold.push(null);
      out.leftLevels.push(tree.leftBins[node]!.filter((b) => b < feature.levels.length));
    } else {
      out.threshold.push(null);
      out.leftLevels.push(null);
    }
  }
  return out;
}
