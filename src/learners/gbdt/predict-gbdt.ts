/**
 * Scores rows with a GBDT model. Sums run from the base score through the trees in order, so a
 * model read back from JSON scores bit for bit the same.
 *
 * Trees of at most 32 leaves (the default is 31) are scored with QuickScorer (Lucchese et al.,
 * SIGIR 2015): a tree's leaves, numbered left to right, are bits of one int32, all set at first.
 * Every split whose test fails for a row (the row goes right) clears the bits of its left subtree,
 * and the row's leaf is the lowest bit left. Numeric splits are kept sorted by threshold per
 * feature, so the failing ones are a prefix of that list; categorical splits have, per level, the
 * list of splits that send it right. No data-dependent walk, few branches: several times faster
 * than walking each tree. Larger trees are walked node by node (`leafOf`).
 */
import { featureColumns } from '../feature-columns.ts';
import type { GbdtModel, GbdtTree } from '../model.ts';
import type { Table } from '../table.ts';

/**
 * The compiled model. `program` is one Int32Array holding every list of (word, mask) pairs, and at
 * its end the bit words themselves (one per tree): V8 re-checks and reloads a typed array on each
 * access in a loop that stores to one, so a loop that touches one array runs about twice as fast.
 */
interface QuickScorer {
  program: Int32Array;
  /** Where the bit words start in `program`; tree t's word is program[wordsAt + t]. */
  wordsAt: number;
  /**
   * Where each list of pairs starts in `program`, feature by feature from bounds[boundsAt[f]]:
   * numeric -> its pairs sorted by threshold, its missing-right pairs, the end; categorical -> each
   * level's pairs, the missing/unseen pairs, the end.
   */
  bounds: Int32Array;
  boundsAt: Int32Array;
  /** Numeric feature f's split thresholds, ascending, at cuts[cutsAt[f]..cutsAt[f + 1]) (pair i belongs to threshold i). */
  cuts: Float64Array;
  cutsAt: Int32Array;
  numeric: Uint8Array;
  /** Leaf values of tree t at leafValues[32 * t + leaf]. */
  leafValues: Float64Array;
  treeCount: number;
}

const scorers = new WeakMap<GbdtModel, QuickScorer | null>();

function quickScorer(model: GbdtModel): QuickScorer | null {
  if (scorers.has(model)) return scorers.get(model)!;
  const fits = model.trees.every((tree) => tree.feature.filter((f) => f < 0).length <= 32);
  const scorer = fits ? buildQuickScorer(model) : null;
  scorers.set(model, scorer);
  return scorer;
}

function buildQuickScorer(model: GbdtModel): QuickScorer {
  const treeCount = model.trees.length;
  const leafValues = new Float64Array(32 * treeCount);
  type Entry = { tree: number; mask: number; threshold: number; node: number };
  const numeric: Entry[][] = model.features.map(() => []);
  const missingRight: Entry[][] = model.features.map(() => []);
  const categorical: Entry[][][] = model.features.map((f) => (f.type === 'categorical' ? Array.from({ length: f.levels.length + 1 }, () => []) : []));
  model.trees.forEach((tree, t) => {
    const leafIndex = numberLeaves(tree);
    for (let node = 0; node < tree.feature.length; node++) {
      if (tree.feature[node] < 0) {
        leafValues[32 * t + leafIndex.get(node)!] = tree.value[node];
        continue;
      }
      let leftBits = 0;
      for (const leaf of leavesUnder(tree, tree.left[node])) leftBits |= 1 << leafIndex.get(leaf)!;
      const entry = { tree: t, mask: ~leftBits, threshold: 0, node };
      const f = tree.feature[node];
      const feature = model.features[f];
      if (feature.type === 'numeric') {
        entry.threshold = tree.threshold[node] ?? Infinity;
        numeric[f].push(entry);
        if (!tree.missingLeft[node]) missingRight[f].push(entry);
      } else {
        const left = new Set(tree.leftLevels[node] ?? []);
        for (let code = 0; code < feature.levels.length; code++) if (!left.has(code)) categorical[f][code].push(entry);
        if (!tree.missingLeft[node]) categorical[f][feature.levels.length].push(entry);
      }
    }
  });
  const thresholds: (Float64Array | null)[] = [];
  const ranges = model.features.map((feature, f) => {
    if (feature.type === 'categorical') {
      thresholds.push(null);
      return categorical[f].map(mergeByTree);
    }
    const sorted = numeric[f].sort((a, b) => a.threshold - b.threshold || a.tree - b.tree || a.node - b.node);
    thresholds.push(Float64Array.from(sorted, (e) => e.threshold));
    return [sorted, mergeByTree(missingRight[f])];
  });
  const lists = ranges.flat();
  const pairs = lists.reduce((sum, list) => sum + list.length, 0);
  const wordsAt = 2 * pairs;
  const program = new Int32Array(wordsAt + treeCount);
  let at = 0;
  const rangeOf = (featureLists: Entry[][]) => {
    const range = new Int32Array(featureLists.length + 1);
    featureLists.forEach((list, k) => {
      range[k] = at;
      for (const e of list) {
        program[at++] = wordsAt + e.tree;
        program[at++] = e.mask;
      }
    });
    range[featureLists.length] = at;
    return range;
  };
  const featureBounds = ranges.map(rangeOf);
  const boundsAt = new Int32Array(featureBounds.length + 1);
  featureBounds.forEach((b, f) => (boundsAt[f + 1] = boundsAt[f] + b.length));
  const bounds = new Int32Array(boundsAt[featureBounds.length]);
  featureBounds.forEach((b, f) => bounds.set(b, boundsAt[f]));
  const cutsAt = new Int32Array(thresholds.length + 1);
  thresholds.forEach((t, f) => (cutsAt[f + 1] = cutsAt[f] + (t?.length ?? 0)));
  const cuts = new Float64Array(cutsAt[thresholds.length]);
  thresholds.forEach((t, f) => t && cuts.set(t, cutsAt[f]));
  const numericFlags = Uint8Array.from(thresholds, (t) => (t ? 1 : 0));
  return { program, wordsAt, bounds, boundsAt, cuts, cutsAt, numeric: numericFlags, leafValues, treeCount };
}

/**
 * One entry per tree for a list that is always applied whole (a level's, the missing values'): the
 * masks of a tree's splits ANDed together. Halves the work of categorical features.
 */
function mergeByTree<T extends { tree: number; mask: number }>(entries: T[]): T[] {
  const byTree = new Map<number, T>();
  for (const e of entries) {
    const seen = byTree.get(e.tree);
    byTree.set(e.tree, seen ? { ...seen, mask: seen.mask & e.mask } : { ...e });
  }
  return [...byTree.values()].sort((a, b) => a.tree - b.tree);
}

/** Leaves of a tree numbered left to right. */
function numberLeaves(tree: GbdtTree): Map<number, number> {
  const index = new Map<number, number>();
  for (const leaf of leavesUnder(tree, 0)) index.set(leaf, index.size);
  return index;
}

function leavesUnder(tree: GbdtTree, node: number): number[] {
  if (tree.feature[node] < 0) return [node];
  return [...leavesUnder(tree, tree.left[node]), ...leavesUnder(tree, tree.right[node])];
}

/** Raw scores (log-odds) for every row of `table`. */
export function predictGbdtRaw(model: GbdtModel, table: Table): Float64Array {
  const columns = featureColumns(model.features, table);
  const scorer = quickScorer(model);
  const raw = new Float64Array(table.rowCount);
  if (scorer === null) {
    for (let row = 0; row < table.rowCount; row++) {
      let sum = model.baseScore;
      for (const tree of model.trees) sum += tree.value[leafOf(tree, columns, row)];
      raw[row] = sum;
    }
    return raw;
  }
  const { program, wordsAt, bounds, boundsAt, cuts, cutsAt, numeric, leafValues, treeCount } = scorer;
  const featureCount = columns.length;
  // Rows go through in blocks copied row by row into one matrix: a row's values sit together.
  const blockRows = 256;
  const block = new Float64Array(blockRows * featureCount);
  for (let from = 0; from < table.rowCount; from += blockRows) {
    const rows = Math.min(blockRows, table.rowCount - from);
    for (let f = 0; f < featureCount; f++) {
      const column = columns[f];
      for (let k = 0, at = f; k < rows; k++, at += featureCount) block[at] = column[from + k];
    }
    for (let k = 0; k < rows; k++) {
      program.fill(-1, wordsAt);
      const at = k * featureCount;
      for (let f = 0; f < featureCount; f++) {
        const x = block[at + f];
        const b = boundsAt[f];
        if (numeric[f] === 0) {
          const level = x !== x ? boundsAt[f + 1] - boundsAt[f] - 2 : x;
          clearBits(program, bounds[b + level], bounds[b + level + 1]);
        } else if (x !== x) {
          clearBits(program, bounds[b + 1], bounds[b + 2]);
        } else {
          // Splits with threshold < x fail: they are the first ones of the sorted list.
          let lo = cutsAt[f];
          let hi = cutsAt[f + 1];
          const first = lo;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (cuts[mid] < x) lo = mid + 1;
            else hi = mid;
          }
          clearBits(program, bounds[b], bounds[b] + 2 * (lo - first));
        }
      }
      let sum = model.baseScore;
      for (let t = 0; t < treeCount; t++) {
        const v = program[wordsAt + t];
        sum += leafValues[32 * t + 31 - Math.clz32(v & -v)];
      }
      raw[from + k] = sum;
    }
  }
  return raw;
}

/** Applies the (word, mask) pairs in program[from..to). */
function clearBits(program: Int32Array, from: number, to: number): void {
  for (let q = from; q < to; q += 2) program[program[q]] &= program[q + 1];
}

/** Whether a value (NaN = missing; a level code for a categorical split) goes left at a split node. */
export function goesLeft(tree: GbdtTree, node: number, x: number): boolean {
  if (x !== x) return tree.missingLeft[node];
  const levels = tree.leftLevels[node];
  return levels ? levels.includes(x) : x <= (tree.threshold[node] ?? Infinity);
}

/** The leaf a row reaches in a tree, walking from the root. */
export function leafOf(tree: GbdtTree, columns: Float64Array[], row: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) node = goesLeft(tree, node, columns[tree.feature[node]][row]) ? tree.left[node] : tree.right[node];
  return node;
}
