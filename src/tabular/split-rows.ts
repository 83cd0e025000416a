/**
 * The train/test splits `peers.py` uses, defined on data rows in file order (0-based i) so any
 * implementation reproduces them exactly:
 * - `mod5`: row i is a test row iff i % 5 == 4 (about 20 %, spread over the file);
 * - `tail20`: rows i >= floor(0.8 n) are test rows (a time-ordered file: train on the past).
 *
 * @example
 * splitRows(10, 'tail20'); // => { train: [0..7], test: [8, 9] }
 */
export type SplitRule = 'mod5' | 'tail20';

export const splitRules: readonly SplitRule[] = ['mod5', 'tail20'];

export function isTestRow(i: number, n: number, rule: SplitRule): boolean {
  return rule === 'mod5' ? i % 5 === 4 : i >= Math.floor(0.8 * n);
}

export function splitRows(n: number, rule: SplitRule): { train: Uint32Array; test: Uint32Array } {
  let testCount = 0;
  for (let i = 0; i < n; i++) if (isTestRow(i, n, rule)) testCount++;
  const train = new Uint32Array(n - testCount);
  const test = new Uint32Array(testCount);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (isTestRow(i, n, rule)) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}
