/**
 * Calibrates held-out raw scores with Platt scaling or isotonic regression, whichever predicts
 * better out of sample: each is fitted on one half of the held-out rows and scored (log-loss) on
 * the other, both ways round; the winner is then fitted on all of them. Platt wins ties: it keeps
 * the ranking exactly and needs fewer rows.
 */
import type { Calibration } from '../model.ts';
import { applyIsotonic, fitIsotonic } from './isotonic.ts';
import { applyPlatt, fitPlatt } from './platt.ts';

export type CalibrationMethod = 'auto' | 'platt' | 'isotonic';

export function applyCalibration(calibration: Calibration, raw: number): number {
  return calibration.method === 'platt' ? applyPlatt(calibration, raw) : applyIsotonic(calibration, raw);
}

export function fitCalibration(raw: ArrayLike<number>, labels: ArrayLike<number>, method: CalibrationMethod = 'auto'): Calibration {
  if (method === 'platt') return fitPlatt(raw, labels);
  if (method === 'isotonic') return fitIsotonic(raw, labels);
  const halves: [number[], number[]] = [[], []];
  for (let i = 0; i < raw.length; i++) halves[i % 2].push(i);
  let platt = 0;
  let isotonic = 0;
  for (const [fitRows, testRows] of [[halves[0], halves[1]], [halves[1], halves[0]]]) {
    const fitRaw = fitRows.map((i) => raw[i]);
    const fitLabels = fitRows.map((i) => labels[i]);
    if (new Set(fitLabels).size < 2) return fitPlatt(raw, labels);
    const p = fitPlatt(fitRaw, fitLabels);
    const q = fitIsotonic(fitRaw, fitLabels);
    for (const i of testRows) {
      platt += lossOf(applyPlatt(p, raw[i]), labels[i]);
      isotonic += lossOf(applyIsotonic(q, raw[i]), labels[i]);
    }
  }
  return isotonic < platt ? fitIsotonic(raw, labels) : fitPlatt(raw, labels);
}

function lossOf(p: number, y: number): number {
  const q = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
  return y === 1 ? -Math.log(q) : -Math.log1p(-q);
}
