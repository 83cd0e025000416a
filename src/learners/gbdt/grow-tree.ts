/**
 * Grows one regression tree on the gradients, leaf by leaf: always split the leaf whose best split
 * gains most, until `maxLeaves` leaves, or no leaf can split (too few rows, depth limit, no gain).
 *
 * The rows of every node are a range of one Uint32Array, partitioned in place (stably) at each split.
 * Only the smaller child's histogram is built from its rows; the larger one's is the parent's minus it.
 * All buffers are allocated once per training run and reused by every tree.
 */
import type { BinnedData } from './binned-data.ts';
import { emptyCandidate, findBestSplit, minChildHessian, type SplitCandidate, type SplitRules } from './find-split.ts';
import { buildHistogram, subtractHistogram } from './histogram.ts';

export interface TreeRules extends SplitRules {
  maxLeaves: number;
  /** 0 = no limit. */
  maxDepth: number;
  learningRate: number;
}

/** A tree in bin space, as arrays over nodes (a leaf has feature -1). */
export interface BinTree {
  nodeCount: number;
  feature: Int32Array;
  thresholdBin: Int32Array;
  missingLeft: Uint8Array;
  /** For a categorical split, the bins that go left. */
  leftBins: (number[] | null)[];
  /** goesLeft[node * 256 + bin]: where a row of that bin goes at that node. */
  goesLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  count: Float64Array;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  gradient: number;
  hessian: number;
  count: number;
  hist: Float64Array | null;
  split: SplitCandidate;
}

export class TreeGrower {
  /** Rows of the current tree's nodes; leaf k's rows are rows[leaf.start..leaf.end). */
  readonly rows: Uint32Array;
  /** Partition scratch and gathered gradients share one buffer: they are never needed at once. */
  private readonly scratch: Uint32Array;
  private readonly gathered: Float32Array;
  private readonly pool: Float64Array[] = [];
  private readonly candidates: SplitCandidate[] = [];
  private leaves: Leaf[] = [];
  private gradient: Float32Array = new Float32Array(0);

  /** The tree being grown: one set of arrays, reused (a tree is consumed before the next one grows). */
  private readonly tree: BinTree;

  /** `rows`: room for every fitting row (its contents are overwritten). */
  constructor(
    private readonly data: BinnedData,
    rows: Uint32Array,
    private readonly rules: TreeRules,
  ) {
    this.rows = rows;
    const capacity = 2 * Math.max(2, rules.maxLeaves);
    this.tree = {
      nodeCount: 1,
      feature: new Int32Array(capacity),
      thresholdBin: new Int32Array(capacity),
      missingLeft: new Uint8Array(capacity),
      leftBins: new Array(capacity).fill(null),
      goesLeft: new Uint8Array(capacity * 256),
      left: new Int32Array(capacity),
      right: new Int32Array(capacity),
      value: new Float64Array(capacity),
      count: new Float64Array(capacity),
    };
    const half = (rows.length >> 1) + 1;
    const shared = new ArrayBuffer(half * 4);
    this.scratch = new Uint32Array(shared);
    this.gathered = new Float32Array(shared);
  }

  /**
   * Grows a tree on rows[0..rowCount) (the caller fills `rows`). Leaf values include the learning
   * rate. The returned tree is valid until the next call.
   */
  grow(rowCount: number, gradient: Float32Array, rowsInOrder: boolean): BinTree {
    this.gradient = gradient;
    const { maxLeaves } = this.rules;
    const tree = this.tree;
    tree.nodeCount = 1;
    tree.feature.fill(-1);
    tree.leftBins.fill(null);
    tree.left.fill(-1);
    tree.right.fill(-1);
    tree.value.fill(0);
    const rootHist = this.takeHistogram();
    if (rowsInOrder) buildHistogram(rootHist, this.data, null, 0, rowCount, gradient, this.gathered);
    else this.buildFromRows(rootHist, 0, rowCount);
    const totals = this.totals(0, rowCount);
    for (const leaf of this.leaves) this.candidates.push(leaf.split);
    const root: Leaf = { node: 0, start: 0, end: rowCount, depth: 0, ...totals, hist: rootHist, split: this.takeCandidate() };
    this.leaves = [root];
    this.prepare(root);
    let leafCount = 1;
    while (leafCount < maxLeaves) {
      let best: Leaf | undefined;
      for (const leaf of this.leaves) {
        if (leaf.hist !== null && leaf.split.feature >= 0 && (best === undefined || leaf.split.gain > best.split.gain)) best = leaf;
      }
      if (best === undefined) break;
      this.split(best, tree);
      leafCount++;
      this.releaseHopeless(maxLeaves - leafCount);
    }
    for (const leaf of this.leaves) {
      this.release(leaf);
      // Exact sums for the leaf value (the histograms' are rounded by subtraction and packing).
      const { gradient: g, hessian: h } = this.totals(leaf.start, leaf.end);
      tree.value[leaf.node] = -this.rules.learningRate * g / (h + this.rules.l2 + 1e-15);
      tree.count[leaf.node] = leaf.count;
    }
    return tree;
  }

  /** Gradient and hessian sums and the count of rows[start..end). */
  private totals(start: number, end: number): { gradient: number; hessian: number; count: number } {
    const rows = this.rows;
    const gradient = this.gradient;
    let g = 0;
    let h = 0;
    for (let i = start; i < end; i++) {
      const v = gradient[rows[i]];
      const a = v < 0 ? -v : v;
      g += v;
      h += a - a * a;
    }
    return { gradient: g, hessian: h, count: end - start };
  }

  /** Calls `visit(value, start, end)` for each leaf of the last tree: its rows are rows[start..end). */
  forEachLeaf(tree: BinTree, visit: (value: number, start: number, end: number) => void): void {
    for (const leaf of this.leaves) visit(tree.value[leaf.node], leaf.start, leaf.end);
  }

  /**
   * With `splitsLeft` splits to go, a leaf outranked (by gain) by that many others can never be
   * split: every split before it would use one up. Its histogram goes back to the pool.
   */
  private releaseHopeless(splitsLeft: number): void {
    const open = this.leaves.filter((leaf) => leaf.hist !== null && leaf.split.feature >= 0);
    if (open.length <= splitsLeft) return;
    open.sort((a, b) => b.split.gain - a.split.gain);
    for (let k = splitsLeft; k < open.length; k++) this.release(open[k]);
  }

  /** Finds a leaf's best split, or lets its histogram go when it cannot split. */
  private prepare(leaf: Leaf): void {
    const { minSamplesLeaf, maxDepth } = this.rules;
    const splittable = leaf.count >= 2 * minSamplesLeaf && leaf.hessian >= 2 * minChildHessian && (maxDepth === 0 || leaf.depth < maxDepth);
    if (splittable && leaf.hist !== null) findBestSplit(leaf.hist, this.data, leaf.gradient, leaf.hessian, leaf.count, this.rules, leaf.split);
    if (!splittable || leaf.split.feature < 0) this.release(leaf);
  }

  private split(leaf: Leaf, tree: BinTree): void {
    const split = leaf.split;
    const node = leaf.node;
    const leftNode = tree.nodeCount++;
    const rightNode = tree.nodeCount++;
    tree.feature[node] = split.feature;
    tree.thresholdBin[node] = split.thresholdBin;
    tree.missingLeft[node] = split.missingLeft ? 1 : 0;
    tree.left[node] = leftNode;
    tree.right[node] = rightNode;
    tree.count[node] = leaf.count;
    tree.goesLeft.set(split.goesLeft, node * 256);
    if (this.data.categorical[split.feature] === 1) {
      const bins: number[] = [];
      for (let b = 0; b <= this.data.valueBins[split.feature]; b++) if (split.goesLeft[b] === 1) bins.push(b);
      tree.leftBins[node] = bins;
    }
    const mid = this.partition(leaf.start, leaf.end, split.feature, split.goesLeft, split.leftCount);
    if (mid - leaf.start !== split.leftCount) throw new Error(`internal: split sent ${mid - leaf.start} rows left, its histogram said ${split.leftCount}`);
    const depth = leaf.depth + 1;
    const left: Leaf = {
      node: leftNode, start: leaf.start, end: mid, depth,
      gradient: split.leftGradient, hessian: split.leftHessian, count: split.leftCount, hist: null, split: this.takeCandidate(),
    };
    const right: Leaf = {
      node: rightNode, start: mid, end: leaf.end, depth,
      gradient: leaf.gradient - split.leftGradient, hessian: leaf.hessian - split.leftHessian, count: leaf.count - split.leftCount, hist: null, split: this.takeCandidate(),
    };
    this.candidates.push(split);
    this.leaves[this.leaves.indexOf(leaf)] = left;
    this.leaves.push(right);
    const { minSamplesLeaf, maxDepth } = this.rules;
    const canSplit = (child: Leaf) => child.count >= 2 * minSamplesLeaf && (maxDepth === 0 || depth < maxDepth);
    const [small, large] = left.count <= right.count ? [left, right] : [right, left];
    if (canSplit(small) || canSplit(large)) {
      const parentHist = leaf.hist!;
      leaf.hist = null;
      const smallHist = this.takeHistogram();
      this.buildFromRows(smallHist, small.start, small.end);
      subtractHistogram(parentHist, smallHist);
      small.hist = smallHist;
      large.hist = parentHist;
    } else {
      this.release(leaf);
    }
    this.prepare(small);
    this.prepare(large);
  }

  /** A histogram of rows[start..end), gathering their gradients in pieces of at most half the rows. */
  private buildFromRows(hist: Float64Array, start: number, end: number): void {
    const piece = this.gathered.length;
    if (end - start <= piece) {
      buildHistogram(hist, this.data, this.rows, start, end, this.gradient, this.gathered);
      return;
    }
    const part = this.takeHistogram();
    buildHistogram(hist, this.data, this.rows, start, start + piece, this.gradient, this.gathered);
    for (let from = start + piece; from < end; from += piece) {
      buildHistogram(part, this.data, this.rows, from, Math.min(end, from + piece), this.gradient, this.gathered);
      for (let k = 0; k < hist.length; k++) hist[k] += part[k];
    }
    this.pool.push(part);
  }

  /**
   * Stable partition of rows[start..end) by goesLeft[bin]; returns where the right rows begin. The
   * side with fewer rows goes through the scratch buffer (so it needs half the rows at most), and
   * each row is written to both places with only the right cursor moving: no unpredictable branch.
   */
  private partition(start: number, end: number, feature: number, goesLeft: Uint8Array, leftCount: number): number {
    const rows = this.rows;
    const temp = this.scratch;
    const column = this.data.columns[feature];
    const rightCount = end - start - leftCount;
    if (rightCount <= leftCount) {
      let w = start;
      let t = 0;
      for (let i = start; i < end; i++) {
        const r = rows[i];
        const left = goesLeft[column[r]];
        rows[w] = r;
        temp[t] = r;
        w += left;
        t += 1 - left;
      }
      for (let j = 0; j < t; j++) rows[w + j] = temp[j];
      return w;
    }
    let w = end - 1;
    let t = 0;
    for (let i = end - 1; i >= start; i--) {
      const r = rows[i];
      const left = goesLeft[column[r]];
      rows[w] = r;
      temp[t] = r;
      w -= 1 - left;
      t += left;
    }
    for (let j = 0; j < t; j++) rows[start + j] = temp[t - 1 - j];
    return start + t;
  }

  private takeCandidate(): SplitCandidate {
    const candidate = this.candidates.pop() ?? emptyCandidate();
    candidate.feature = -1;
    candidate.gain = -Infinity;
    return candidate;
  }

  private takeHistogram(): Float64Array {
    return this.pool.pop() ?? new Float64Array(2 * this.data.totalBins);
  }

  private release(leaf: Leaf): void {
    if (leaf.hist !== null) {
      this.pool.push(leaf.hist);
      leaf.hist = null;
    }
  }
}
