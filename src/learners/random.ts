/**
 * A seeded source of uniform numbers in [0, 1) (mulberry32): the same seed gives the same model.
 * Pass it to simple-statistics' `shuffleInPlace`/`sample` as `randomSource`.
 *
 * @example
 * const random = seededRandom(42);
 * random(); // => 0.4813160905614495, every time
 */
export function seededRandom(seed: number): () => number {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
