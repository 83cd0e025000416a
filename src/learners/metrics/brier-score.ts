/**
 * Mean squared difference between probability and outcome.
 *
 * @example
 * brierScore([0.9, 0.2], [1, 0]); // => 0.025
 */
import { checkScored } from './check-scored.ts';

export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkScored(probabilities, labels, { probabilities: true });
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) sum += (probabilities[i] - labels[i]) ** 2;
  return sum / probabilities.length;
}
