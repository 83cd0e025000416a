import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvError } from '../../src/tabular/csv-error.ts';
import { CsvParser, parseCsvText } from '../../src/tabular/parse-csv.ts';

// Expected values are what Python's csv.reader (which peers.py uses) returns, blank lines dropped.
const cases: [string, string, string[][]][] = [
  ['quoted separator', 'a,b\n1,"x,y"\n', [['a', 'b'], ['1', 'x,y']]],
  ['CRLF, a blank line, a doubled quote', 'a,b\r\n1,2\r\n\r\n3,"q""z"', [['a', 'b'], ['1', '2'], ['3', 'q"z']]],
  ['text after a closing quote joins the field', '"a"b,c\nx', [['ab', 'c'], ['x']]],
  ['empty fields', 'a,\n,\n', [['a', ''], ['', '']]],
  ['a line break inside quotes', '"multi\nline",2\n3,4', [['multi\nline', '2'], ['3', '4']]],
  ['a quote inside an unquoted field is a character', 'a"b,c\n', [['a"b', 'c']]],
  ['a lone CR ends a record', 'a,b\r1,2\r', [['a', 'b'], ['1', '2']]],
  ['an empty quoted field', '"",x\n', [['', 'x']]],
];

for (const [name, text, expected] of cases) {
  test(`CSV like Python's csv module: ${name}`, () => {
    assert.deepEqual(parseCsvText(text), expected);
  });
}

test('a custom separator; commas are then data', () => {
  assert.deepEqual(parseCsvText('"age";"job"\n58;"a,b"\n', ';'), [['age', 'job'], ['58', 'a,b']]);
});

test('text fed in pieces of any size parses as the whole text does', () => {
  const text = 'h1,h2,h3\r\n"a ""q""\r\nb",2,\r\n3,"x",y\r\n\n4,5,6\r"7",,"8"';
  const whole = parseCsvText(text);
  for (let size = 1; size <= text.length; size++) {
    const records: string[][] = [];
    const parser = new CsvParser(',', (r) => records.push(r.fields));
    for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
    parser.end();
    assert.deepEqual(records, whole, `pieces of ${size}`);
  }
});

test('records know the line they start on, line breaks inside quotes counted', () => {
  const lines: number[] = [];
  const parser = new CsvParser(',', (r) => lines.push(r.line));
  parser.push('a,b\n"x\ny",1\n\nz,2\n');
  parser.end();
  assert.deepEqual(lines, [1, 2, 5]);
});

test('an unterminated quote is an error naming its line', () => {
  assert.throws(() => parseCsvText('a,b\n1,"open\n2,3\n'), (e: unknown) => e instanceof CsvError && /line 2/.test((e as Error).message));
});

test('a separator must be one character and not a quote', () => {
  assert.throws(() => parseCsvText('a', ';;'), CsvError);
  assert.throws(() => parseCsvText('a', '"'), CsvError);
});
