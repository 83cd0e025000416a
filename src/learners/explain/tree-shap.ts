/**
 * Exact TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution for
 * tree ensembles", Algorithm 2; the recursion of the `shap` library's tree_shap.h): the Shapley
 * values of one row's prediction by one tree, where a feature left out follows both branches
 * weighted by the training rows that went each way (`cover`). Runs in O(leaves x depth^2).
 *
 * The values add up exactly: expectedValue(tree) + sum(phi) = the tree's value for the row.
 */
import type { GbdtTree } from '../model.ts';
import { goesLeft } from '../gbdt/predict-gbdt.ts';

interface PathElement {
  feature: number;
  zeroFraction: number;
  oneFraction: number;
  weight: number;
}

/** The mean of the tree's leaves weighted by cover: its prediction when no feature is known. */
export function expectedValue(tree: GbdtTree): number {
  let sum = 0;
  for (let node = 0; node < tree.feature.length; node++) if (tree.feature[node] < 0) sum += tree.value[node] * tree.cover[node];
  return sum / tree.cover[0];
}

/** Adds the tree's SHAP values for the row with feature values `x` to `phi` (one per feature). */
export function treeShap(tree: GbdtTree, x: ArrayLike<number>, phi: Float64Array): void {
  recurse(tree, x, phi, 0, [], 1, 1, -1);
}

function recurse(tree: GbdtTree, x: ArrayLike<number>, phi: Float64Array, node: number, parentPath: PathElement[], zeroFraction: number, oneFraction: number, feature: number): void {
  const path = parentPath.map((e) => ({ ...e }));
  extend(path, zeroFraction, oneFraction, feature);
  const split = tree.feature[node];
  if (split < 0) {
    for (let i = 1; i < path.length; i++) {
      const w = unwoundSum(path, i);
      const e = path[i];
      phi[e.feature] += w * (e.oneFraction - e.zeroFraction) * tree.value[node];
    }
    return;
  }
  const left = goesLeft(tree, node, x[split]);
  const hot = left ? tree.left[node] : tree.right[node];
  const cold = left ? tree.right[node] : tree.left[node];
  const cover = tree.cover[node];
  let incomingZero = 1;
  let incomingOne = 1;
  const k = path.findIndex((e) => e.feature === split);
  if (k >= 0) {
    incomingZero = path[k].zeroFraction;
    incomingOne = path[k].oneFraction;
    unwind(path, k);
  }
  recurse(tree, x, phi, hot, path, (tree.cover[hot] / cover) * incomingZero, incomingOne, split);
  recurse(tree, x, phi, cold, path, (tree.cover[cold] / cover) * incomingZero, 0, split);
}

function extend(path: PathElement[], zeroFraction: number, oneFraction: number, feature: number): void {
  const depth = path.length;
  path.push({ feature, zeroFraction, oneFraction, weight: depth === 0 ? 1 : 0 });
  for (let i = depth - 1; i >= 0; i--) {
    path[i + 1].weight += (oneFraction * path[i].weight * (i + 1)) / (depth + 1);
    path[i].weight = (zeroFraction * path[i].weight * (depth - i)) / (depth + 1);
  }
}

function unwind(path: PathElement[], index: number): void {
  const depth = path.length - 1;
  const { oneFraction, zeroFraction } = path[index];
  let next = path[depth].weight;
  for (let i = depth - 1; i >= 0; i--) {
    if (oneFraction !== 0) {
      const t = path[i].weight;
      path[i].weight = (next * (depth + 1)) / ((i + 1) * oneFraction);
      next = t - (path[i].weight * zeroFraction * (depth - i)) / (depth + 1);
    } else {
      path[i].weight = (path[i].weight * (depth + 1)) / (zeroFraction * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    path[i].feature = path[i + 1].feature;
    path[i].zeroFraction = path[i + 1].zeroFraction;
    path[i].oneFraction = path[i + 1].oneFraction;
  }
  path.pop();
}

/** The total weight of the path with element `index` unwound, without changing the path. */
function unwoundSum(path: PathElement[], index: number): number {
  const depth = path.length - 1;
  const { oneFraction, zeroFraction } = path[index];
  let next = path[depth].weight;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (oneFraction !== 0) {
      const t = (next * (depth + 1)) / ((i + 1) * oneFraction);
      total += t;
      next = path[i].weight - t * zeroFraction * ((depth - i) / (depth + 1));
    } else if (zeroFraction !== 0) {
      total += path[i].weight / zeroFraction / ((depth - i) / (depth + 1));
    }
  }
  return total;
}
