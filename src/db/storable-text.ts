/**
 * Text as MongoDB can keep it: BSON strings are UTF-8, so a lone UTF-16 surrogate (which JavaScript
 * strings may hold, and JSON may carry as `\ud800`) would come back as U+FFFD. It is replaced here,
 * before storing, so what is stored reads back equal; a cut at `limit` never splits a surrogate pair.
 *
 * @example
 * storableText('a\ud800b'); // => 'a\ufffdb'
 * storableText('ab😀', 3);   // => 'ab' (the emoji is two code units: it is not cut in half)
 */
export function storableText(text: string, limit = Infinity): string {
  let end = Math.min(text.length, limit);
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end--;
  const kept = end < text.length ? text.slice(0, end) : text;
  return kept.replace(/\p{Surrogate}/gu, '\ufffd');
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** JSON of a value; nesting too deep for JSON.stringify (thousands of levels) is noted, not thrown. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '[a value nested too deeply to keep]';
  }
}
