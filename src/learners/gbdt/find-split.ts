/**
 * The best split of one node from its histogram, over every feature.
 *
 * Numeric features: every threshold between bins, with the node's missing rows tried on each side
 * (the learned default direction); when the node has no missing rows they follow the larger child.
 * Categorical features: levels with at least `minCategoryRows` rows (missing counts as a level) are
 * ordered by gradient / (hessian + categorySmoothing) and split into a prefix and the rest, scanning
 * from both ends; rarer levels stay right. Gain is the usual
 * GL^2/(HL+l2) + GR^2/(HR+l2) - G^2/(H+l2); a split needs gain > minGain and at least
 * `minSamplesLeaf` rows and 1e-3 hessian on each side.
 */
import type { BinnedData } from './binned-data.ts';

export interface SplitRules {
  minSamplesLeaf: number;
  l2: number;
  minGain: number;
  minCategoryRows: number;
  categorySmoothing: number;
}

export interface SplitCandidate {
  gain: number;
  feature: number;
  /** Numeric: rows with bin <= thresholdBin go left. */
  thresholdBin: number;
  missingLeft: boolean;
  /** goesLeft[bin] for every bin of the feature (missing bin included). */
  goesLeft: Uint8Array;
  leftGradient: number;
  leftHessian: number;
  leftCount: number;
}

export const minChildHessian = 1e-3;

export function emptyCandidate(): SplitCandidate {
  return { gain: -Infinity, feature: -1, thresholdBin: -1, missingLeft: false, goesLeft: new Uint8Array(256), leftGradient: 0, leftHessian: 0, leftCount: 0 };
}

const order = new Uint16Array(256);
const orderKey = new Float64Array(256);
const binCount = new Float64Array(256);
const binHessian = new Float64Array(256);

export function findBestSplit(hist: Float64Array, data: BinnedData, gradient: number, hessian: number, count: number, rules: SplitRules, best: SplitCandidate): void {
  best.gain = -Infinity;
  best.feature = -1;
  const l2 = rules.l2;
  const parentTerm = (gradient * gradient) / (hessian + l2);
  const minLeaf = rules.minSamplesLeaf;
  const floor = rules.minGain;
  const unit = data.countUnit;
  const perUnit = 1 / unit;
  for (let f = 0; f < data.featureCount; f++) {
    const base = data.histogramOffset[f] * 2;
    const nb = data.valueBins[f];
    const mk = base + nb * 2;
    const mg = hist[mk];
    const mc = Math.round(hist[mk + 1] * perUnit);
    const mh = hist[mk + 1] - mc * unit;
    if (data.categorical[f] === 0) {
      let lg = 0;
      let packed = 0;
      let previousCount = -1;
      const last = mc > 0 ? nb - 1 : nb - 2;
      for (let b = 0; b <= last; b++) {
        const k = base + b * 2;
        lg += hist[k];
        packed += hist[k + 1];
        const lc = Math.round(packed * perUnit);
        if (lc === previousCount) continue; // an empty bin: same partition as the previous threshold
        previousCount = lc;
        const lh = packed - lc * unit;
        // Missing rows right.
        let rc = count - lc;
        if (lc >= minLeaf && rc >= minLeaf) {
          const rh = hessian - lh;
          if (lh >= minChildHessian && rh >= minChildHessian) {
            const rg = gradient - lg;
            const gain = (lg * lg) / (lh + l2) + (rg * rg) / (rh + l2) - parentTerm;
            if (gain > best.gain && gain > floor) {
              best.gain = gain;
              best.feature = f;
              best.thresholdBin = b;
              best.missingLeft = mc > 0 ? false : lc >= rc;
              best.leftGradient = lg;
              best.leftHessian = lh;
              best.leftCount = lc;
            }
          }
        }
        if (mc > 0) {
          // Missing rows left.
          const lc2 = lc + mc;
          rc = count - lc2;
          if (lc2 >= minLeaf && rc >= minLeaf) {
            const lh2 = lh + mh;
            const rh = hessian - lh2;
            if (lh2 >= minChildHessian && rh >= minChildHessian) {
              const lg2 = lg + mg;
              const rg = gradient - lg2;
              const gain = (lg2 * lg2) / (lh2 + l2) + (rg * rg) / (rh + l2) - parentTerm;
              if (gain > best.gain && gain > floor) {
                best.gain = gain;
                best.feature = f;
                best.thresholdBin = b;
                best.missingLeft = true;
                best.leftGradient = lg2;
                best.leftHessian = lh2;
                best.leftCount = lc2;
              }
            }
          }
        }
      }
      continue;
    }
    // Categorical: order the well-supported levels (missing included) by smoothed mean gradient.
    let used = 0;
    for (let b = 0; b <= nb; b++) {
      const k = base + b * 2;
      const c = Math.round(hist[k + 1] * perUnit);
      if (c >= rules.minCategoryRows && c > 0) {
        order[used] = b;
        binCount[b] = c;
        binHessian[b] = hist[k + 1] - c * unit;
        orderKey[b] = hist[k] / (binHessian[b] + rules.categorySmoothing);
        used++;
      }
    }
    if (used === 0) continue;
    const ordered = Array.from(order.subarray(0, used)).sort((a, b) => orderKey[a] - orderKey[b] || a - b);
    const middle = (used + 1) >> 1;
    for (let direction = 0; direction < 2; direction++) {
      let lg = 0;
      let lh = 0;
      let lc = 0;
      for (let i = 0; i < middle; i++) {
        const b = direction === 0 ? ordered[i] : ordered[used - 1 - i];
        lg += hist[base + b * 2];
        lh += binHessian[b];
        lc += binCount[b];
        const rc = count - lc;
        if (lc < minLeaf || rc < minLeaf) continue;
        const rh = hessian - lh;
        if (lh < minChildHessian || rh < minChildHessian) continue;
        const rg = gradient - lg;
        const gain = (lg * lg) / (lh + l2) + (rg * rg) / (rh + l2) - parentTerm;
        if (gain > best.gain && gain > floor) {
          best.gain = gain;
          best.feature = f;
          best.thresholdBin = -1;
          best.leftGradient = lg;
          best.leftHessian = lh;
          best.leftCount = lc;
          best.goesLeft.fill(0);
          for (let j = 0; j <= i; j++) best.goesLeft[direction === 0 ? ordered[j] : ordered[used - 1 - j]] = 1;
          best.missingLeft = best.goesLeft[nb] === 1;
        }
      }
    }
  }
  if (best.feature >= 0 && data.categorical[best.feature] === 0) {
    const nb = data.valueBins[best.feature];
    for (let b = 0; b < nb; b++) best.goesLeft[b] = b <= best.thresholdBin ? 1 : 0;
    best.goesLeft[nb] = best.missingLeft ? 1 : 0;
  }
}
