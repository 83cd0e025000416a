import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CsvError } from '../../src/tabular/csv-error.ts';
import { labelsFromColumn } from '../../src/tabular/labels-from-column.ts';
import { parsePythonFloat } from '../../src/tabular/python-float.ts';
import { readCsvTable } from '../../src/tabular/read-csv-table.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'propensity-csv-'));
let count = 0;
function file(text: string): string {
  const name = path.join(dir, `t${count++}.csv`);
  writeFileSync(name, text);
  return name;
}

test('numbers as Python float() reads them', () => {
  assert.equal(parsePythonFloat(' 2.5 '), 2.5);
  assert.equal(parsePythonFloat('1e3'), 1000);
  assert.equal(parsePythonFloat('.5'), 0.5);
  assert.equal(parsePythonFloat('5.'), 5);
  assert.equal(parsePythonFloat('-1_000.5'), -1000.5);
  assert.equal(parsePythonFloat('inf'), Infinity);
  assert.equal(parsePythonFloat('-Infinity'), -Infinity);
  assert.ok(Number.isNaN(parsePythonFloat('NaN')!));
  for (const text of ['0x10', '1,5', '', ' ', '1__0', '_1', 'e5', '1e', 'abc', 'Infinityx']) assert.equal(parsePythonFloat(text), undefined, text);
});

test('column types as peers.py decides them: numeric when every non-blank value is a number', () => {
  const csv = readCsvTable(file('id,age,city,score,blank,y\n1,30,Paris, 2.5 ,,yes\n2,,Rome,1e3,,no\n3,41, ,nan,,no\n'), { exclude: ['id'], text: ['y'] });
  assert.deepEqual(csv.table.numericNames, ['age', 'score']);
  assert.deepEqual(csv.table.categoricalNames, ['city', 'blank']);
  const age = csv.table.numeric[0];
  assert.equal(age[0], 30);
  assert.ok(Number.isNaN(age[1]), 'empty is missing');
  assert.deepEqual(Array.from(csv.table.numeric[1]).map((x) => (Number.isNaN(x) ? 'NaN' : x)), [2.5, 1000, 'NaN']);
  assert.deepEqual(csv.table.categorical[0], ['Paris', 'Rome', null], 'blank is missing');
  assert.deepEqual(csv.table.categorical[1], [null, null, null], 'an all-blank column is categorical, all missing');
  assert.deepEqual(csv.text.y, ['yes', 'no', 'no']);
  assert.equal(csv.rowCount, 3);
});

test('a column that turns categorical late keeps the exact text of its earlier numbers', () => {
  const rows = ['code,y', ...Array.from({ length: 5000 }, (_, i) => `${i % 3 === 0 ? '1.0' : '2'},no`), 'A7,yes'];
  const csv = readCsvTable(file(rows.join('\n')), { text: ['y'] });
  assert.deepEqual(csv.table.categoricalNames, ['code']);
  const codes = csv.table.categorical[0];
  assert.equal(codes[0], '1.0');
  assert.equal(codes[1], '2');
  assert.equal(codes[5000], 'A7');
});

test('a column of only "nan" before its first text keeps "nan" as a category, not as missing (found by test/fuzz)', () => {
  const csv = readCsvTable(file('code,y\nnan,no\n,no\nA7,yes\n'), { text: ['y'] });
  assert.deepEqual(csv.table.categoricalNames, ['code']);
  assert.deepEqual(csv.table.categorical[0], ['nan', null, 'A7']);
});

test('columns with an empty name are left out (peers.py does the same); repeated names are told apart', () => {
  const csv = readCsvTable(file(',a,a,y\n0,1,2,no\n1,3,4,yes\n'), { text: ['y'] });
  assert.deepEqual(csv.table.numericNames, ['a', 'a (2)']);
});

test('quoted values, a custom separator and a byte-order mark', () => {
  const csv = readCsvTable(file('\ufeff"age";"job";"y"\n58;"management";"no"\n44;"tech;nician";"yes"\n'), { separator: ';', text: ['y'] });
  assert.deepEqual(csv.header, ['age', 'job', 'y']);
  assert.deepEqual(csv.table.categorical[0], ['management', 'tech;nician']);
});

test('bad input is a CsvError with one line that says what is wrong', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['missing file', () => readCsvTable(path.join(dir, 'nope.csv')), /no such file/],
    ['a directory', () => readCsvTable(dir), /directory/],
    ['empty file', () => readCsvTable(file('')), /is empty/],
    ['only blank lines', () => readCsvTable(file('\n\n')), /is empty/],
    ['header only', () => readCsvTable(file('a,y\n')), /no data rows/],
    ['ragged row', () => readCsvTable(file('a,b,y\n1,2,no\n3,yes\n')), /line 3 .* 2 fields, the header has 3/],
    ['too many fields', () => readCsvTable(file('a,y\n1,no,extra\n')), /line 2 .* 3 fields/],
    ['unknown excluded column', () => readCsvTable(file('a,y\n1,no\n'), { exclude: ['b'] }), /no column "b"/],
    ['unknown text column', () => readCsvTable(file('a,y\n1,no\n'), { text: ['target'] }), /no column "target"/],
  ];
  for (const [name, read, message] of cases) {
    assert.throws(read, (e: unknown) => e instanceof CsvError && message.test((e as Error).message) && !(e as Error).message.includes('\n'), name);
  }
});

test('labels: 1 where the value is exactly the positive one; one class is an error', () => {
  assert.deepEqual(Array.from(labelsFromColumn(['yes', 'no', 'Yes', 'yes'], 'yes', 'y')), [1, 0, 0, 1]);
  assert.throws(() => labelsFromColumn(['no', 'no'], 'yes', 'y'), /no row has y = "yes"/);
  assert.throws(() => labelsFromColumn(['yes', 'yes'], 'yes', 'y'), /one class/);
});
