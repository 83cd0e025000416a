/** The random draws the history generator makes, all from one seeded mulberry32 stream. */
import { mulberry32 } from '../random.ts';

export interface Draws {
  /** Uniform in [0, 1). */
  uniform(): number;
  pick<T>(list: readonly T[]): T;
  /** Standard normal (Box–Muller). */
  normal(): number;
  poisson(lambda: number): number;
  chance(p: number): boolean;
}

export function seededDraws(seed: number): Draws {
  const uniform = mulberry32(seed);
  return {
    uniform,
    pick: (list) => list[Math.floor(uniform() * list.length)],
    normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()),
    poisson(lambda) {
      if (lambda <= 0) return 0;
      // Knuth's method: fine for the small rates used here.
      const limit = Math.exp(-Math.min(lambda, 30));
      let k = 0;
      let p = uniform();
      while (p > limit) {
        k += 1;
        p *= uniform();
      }
      return k;
    },
    chance: (p) => uniform() < p,
  };
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
