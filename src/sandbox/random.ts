/**
 * mulberry32: a small seeded PRNG. The same seed gives the same sequence on every machine, which
 * makes the generated portals and the injected faults reproducible.
 *
 * @example
 * const next = mulberry32(42);
 * next(); // 0.6011037519201636, every time
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
