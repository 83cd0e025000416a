/**
 * Drift of a model's scores: the population stability index between the score distribution when the
 * model was promoted and now, over ten equal-width probability bins. Above 0.2 is the usual sign that
 * the population moved enough to retrain. Pure.
 *
 * @example populationStability([0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0], [0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0]) // => 0
 */
export const DRIFT_THRESHOLD = 0.2;
const BINS = 10;
const FLOOR = 1e-4;

/** Shares of the scores in each tenth of [0, 1]. */
export function scoreBins(probabilities: ArrayLike<number>): number[] {
  const counts = new Array<number>(BINS).fill(0);
  for (let i = 0; i < probabilities.length; i++) counts[Math.min(BINS - 1, Math.max(0, Math.floor(probabilities[i] * BINS)))] += 1;
  return counts.map((c) => c / Math.max(1, probabilities.length));
}

export function populationStability(expected: number[], actual: number[]): number {
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(FLOOR, expected[i]);
    const a = Math.max(FLOOR, actual[i] ?? 0);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}
