/**
 * Numbers as Python's `float()` reads them, which is how `peers.py` decides that a column is numeric:
 * surrounding whitespace, `1e5`, `.5`, `5.`, `1_000`, `inf`, `-Infinity` and `nan` are numbers;
 * `0x10`, `1,5` and the empty string are not.
 *
 * @example
 * parsePythonFloat(' 2.5 '); // => 2.5
 * parsePythonFloat('1_000'); // => 1000
 * parsePythonFloat('0x10');  // => undefined
 */
const plainDecimal = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const underscoredDecimal = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const special = /^([+-]?)(inf|infinity|nan)$/i;

export function parsePythonFloat(text: string): number | undefined {
  const s = text.trim();
  if (plainDecimal.test(s)) return Number(s);
  if (underscoredDecimal.test(s)) return Number(s.replaceAll('_', ''));
  const match = special.exec(s);
  if (!match) return undefined;
  if (match[2].toLowerCase() === 'nan') return Number.NaN;
  return match[1] === '-' ? -Infinity : Infinity;
}

/** Python's `text.strip() == ""`: the cell is empty, which peers.py reads as missing. */
export function isBlank(text: string): boolean {
  return text.trim() === '';
}
