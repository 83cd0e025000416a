/**
 * Bootstrap standard errors of statistics of one sample: `rounds` resamples of the rows with
 * replacement (as a count per row, so a statistic can keep its own sort), the same resamples for
 * every statistic so differences between them are paired. Seeded: the same call gives the same
 * figures. Pure.
 *
 * @example
 * bootstrapStandardErrors(1000, { mean: (w) => weightedMean(values, w) }, 200, 1) // => { mean: 0.0091… }
 */
import { sampleStandardDeviation } from 'simple-statistics';
import { seededRandom } from '../learners/random.ts';

export type WeightedStatistic = (weights: Uint32Array) => number;

export function bootstrapStandardErrors<K extends string>(rowCount: number, statistics: Record<K, WeightedStatistic>, rounds = 200, seed = 1): Record<K, number> {
  const random = seededRandom(seed);
  const names = Object.keys(statistics) as K[];
  const values = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const weights = new Uint32Array(rowCount);
  for (let b = 0; b < rounds; b++) {
    weights.fill(0);
    for (let r = 0; r < rowCount; r++) weights[Math.floor(random() * rowCount)]++;
    for (const k of names) values[k].push(statistics[k](weights));
  }
  return Object.fromEntries(names.map((k) => [k, rounds > 1 ? sampleStandardDeviation(values[k]) : Number.NaN])) as Record<K, number>;
}
