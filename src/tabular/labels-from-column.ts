/**
 * 0/1 labels from a text column: 1 where the value is exactly `positive` (as peers.py compares),
 * else 0. Throws a `CsvError` when the column holds one class only, naming what it found.
 *
 * @example
 * labelsFromColumn(['yes', 'no', 'yes'], 'yes', 'y'); // => Uint8Array [1, 0, 1]
 */
import { CsvError } from './csv-error.ts';

export function labelsFromColumn(values: string[], positive: string, column: string): Uint8Array {
  const labels = Uint8Array.from(values, (v) => (v === positive ? 1 : 0));
  let positives = 0;
  for (const y of labels) positives += y;
  if (positives === 0) {
    const seen = [...new Set(values)].slice(0, 5).map((v) => JSON.stringify(v)).join(', ');
    throw new CsvError(`no row has ${column} = ${JSON.stringify(positive)} (values seen: ${seen}), so there is nothing to learn`);
  }
  if (positives === labels.length) throw new CsvError(`every row has ${column} = ${JSON.stringify(positive)}: the target has one class only`);
  return labels;
}
