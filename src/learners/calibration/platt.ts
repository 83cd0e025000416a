/**
 * Platt scaling: probability = sigmoid(slope * raw + intercept), fitted by Newton's method on
 * held-out raw scores. The slope is kept positive, so the ranking (and the AUC) is unchanged.
 *
 * @example
 * const c = fitPlatt([-2, -1, 0, 1, 2, 3], [0, 0, 1, 0, 1, 1]);
 * applyPlatt(c, 0.5); // a probability near the held-out rate around raw 0.5
 */
import type { PlattCalibration } from '../model.ts';

export function fitPlatt(raw: ArrayLike<number>, labels: ArrayLike<number>): PlattCalibration {
  let a = 1;
  let b = 0;
  const loss = (a: number, b: number) => {
    let sum = 0;
    for (let i = 0; i < raw.length; i++) {
      const e = a * raw[i] + b;
      const z = labels[i] === 1 ? -e : e;
      sum += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
    return sum;
  };
  let current = loss(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let gA = 0, gB = 0, hAA = 0, hAB = 0, hBB = 0;
    for (let i = 0; i < raw.length; i++) {
      const s = raw[i];
      const p = 1 / (1 + Math.exp(-(a * s + b)));
      const r = p - labels[i];
      const w = Math.max(p * (1 - p), 1e-12);
      gA += r * s;
      gB += r;
      hAA += w * s * s;
      hAB += w * s;
      hBB += w;
    }
    // A whisper of ridge keeps the 2 x 2 system solvable when all scores are equal.
    hAA += 1e-9;
    hBB += 1e-9;
    const det = hAA * hBB - hAB * hAB;
    const dA = (hBB * gA - hAB * gB) / det;
    const dB = (hAA * gB - hAB * gA) / det;
    let scale = 1;
    let next = Infinity;
    for (let halving = 0; halving < 30; halving++) {
      next = loss(a - scale * dA, b - scale * dB);
      if (next <= current) break;
      scale /= 2;
    }
    if (!(next <= current)) break;
    a -= scale * dA;
    b -= scale * dB;
    const moved = Math.max(Math.abs(scale * dA), Math.abs(scale * dB));
    current = next;
    if (moved < 1e-10) break;
  }
  return { method: 'platt', slope: Math.max(a, 1e-6), intercept: b };
}

export function applyPlatt(calibration: PlattCalibration, raw: number): number {
  return 1 / (1 + Math.exp(-(calibration.slope * raw + calibration.intercept)));
}
