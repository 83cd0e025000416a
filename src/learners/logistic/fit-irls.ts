/**
 * L2-regularised logistic regression by Newton's method (iteratively reweighted least squares):
 * minimises sum(log-loss) + l2/2 * |w|^2 (the intercept unpenalised), as scikit-learn's
 * LogisticRegression(C = 1 / l2) does. Each step solves (X'WX + l2 I) d = gradient by Cholesky,
 * halving the step while the objective does not decrease. Converges in a handful of steps.
 */
import { linearScore, type Design } from './encode-design.ts';

export interface IrlsOptions {
  l2: number;
  maxIterations: number;
  /** Stop when no coefficient moves by more than this. */
  tolerance: number;
}

export function fitIrls(design: Design, y: ArrayLike<number>, options: IrlsOptions): { coefficients: Float64Array; iterations: number } {
  const d = design.columnCount;
  const n = design.rowCount;
  const w = new Float64Array(d);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i];
  const rate = Math.min(Math.max(positives / n, 1e-6), 1 - 1e-6);
  w[0] = Math.log(rate / (1 - rate));
  const eta = new Float64Array(n);
  const hessian = new Float64Array(d * d);
  const gradient = new Float64Array(d);
  const index = new Int32Array(1 + design.numericCount + design.categoricalCount);
  const value = new Float64Array(index.length);
  let objective = objectiveAt(design, y, w, options.l2, eta);
  let iterations = 0;
  for (; iterations < options.maxIterations; iterations++) {
    hessian.fill(0);
    gradient.fill(0);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-eta[i]));
      const weight = Math.max(p * (1 - p), 1e-12);
      const residual = p - y[i];
      const q = activeEntries(design, i, index, value);
      for (let a = 0; a < q; a++) {
        const ia = index[a];
        const va = value[a];
        gradient[ia] += residual * va;
        const wa = weight * va;
        const row = ia * d;
        for (let b = a; b < q; b++) hessian[row + index[b]] += wa * value[b];
      }
    }
    // Entries were added to (a, b) with a before b in a row's order: make the matrix symmetric.
    for (let a = 0; a < d; a++) {
      for (let b = a + 1; b < d; b++) {
        const sum = hessian[a * d + b] + hessian[b * d + a];
        hessian[a * d + b] = sum;
        hessian[b * d + a] = sum;
      }
    }
    for (let j = 1; j < d; j++) {
      hessian[j * d + j] += options.l2;
      gradient[j] += options.l2 * w[j];
    }
    const step = solveCholesky(hessian, gradient, d);
    let scale = 1;
    let next = new Float64Array(d);
    let nextObjective = Infinity;
    for (let halving = 0; halving < 30; halving++) {
      for (let j = 0; j < d; j++) next[j] = w[j] - scale * step[j];
      nextObjective = objectiveAt(design, y, next, options.l2, eta);
      if (nextObjective <= objective + 1e-12 * Math.abs(objective)) break;
      scale /= 2;
    }
    if (!(nextObjective <= objective + 1e-12 * Math.abs(objective))) {
      objectiveAt(design, y, w, options.l2, eta);
      break;
    }
    let largest = 0;
    for (let j = 0; j < d; j++) largest = Math.max(largest, Math.abs(next[j] - w[j]));
    w.set(next);
    next = new Float64Array(0);
    objective = nextObjective;
    if (largest < options.tolerance) {
      iterations++;
      break;
    }
  }
  return { coefficients: w, iterations };
}

/** The columns active in design row i and their values; returns how many. Diagonal-first order. */
function activeEntries(design: Design, i: number, index: Int32Array, value: Float64Array): number {
  let q = 0;
  index[q] = 0;
  value[q++] = 1;
  const p = design.numericCount;
  for (let j = 0, at = i * p; j < p; j++, at++) {
    index[q] = 1 + j;
    value[q++] = design.numeric[at];
  }
  const c = design.categoricalCount;
  for (let j = 0, at = i * c; j < c; j++, at++) {
    const k = design.active[at];
    if (k >= 0) {
      index[q] = k;
      value[q++] = 1;
    }
  }
  return q;
}

/** sum(log-loss) + l2/2 |w without intercept|^2; fills eta with the linear predictor. */
function objectiveAt(design: Design, y: ArrayLike<number>, w: Float64Array, l2: number, eta: Float64Array): number {
  let loss = 0;
  for (let i = 0; i < design.rowCount; i++) {
    const e = linearScore(design, w, i);
    eta[i] = e;
    const z = y[i] === 1 ? -e : e;
    loss += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }
  let penalty = 0;
  for (let j = 1; j < w.length; j++) penalty += w[j] * w[j];
  return loss + (l2 / 2) * penalty;
}

/** Solves A x = b for symmetric positive definite A (d x d, row-major); A is overwritten. */
export function solveCholesky(a: Float64Array, b: Float64Array, d: number): Float64Array {
  for (let j = 0; j < d; j++) {
    let diagonal = a[j * d + j];
    for (let k = 0; k < j; k++) diagonal -= a[j * d + k] * a[j * d + k];
    // A tiny ridge keeps a column with no rows (a level absent from training) solvable.
    const root = Math.sqrt(Math.max(diagonal, 1e-12));
    a[j * d + j] = root;
    for (let i = j + 1; i < d; i++) {
      let sum = a[i * d + j];
      for (let k = 0; k < j; k++) sum -= a[i * d + k] * a[j * d + k];
      a[i * d + j] = sum / root;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < d; i++) {
    let sum = x[i];
    for (let k = 0; k < i; k++) sum -= a[i * d + k] * x[k];
    x[i] = sum / a[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let sum = x[i];
    for (let k = i + 1; k < d; k++) sum -= a[k * d + i] * x[k];
    x[i] = sum / a[i * d + i];
  }
  return x;
}
