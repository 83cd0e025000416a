import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitRows } from '../../src/tabular/split-rows.ts';

test('mod5: data row i is a test row iff i % 5 == 4', () => {
  const { train, test: held } = splitRows(12, 'mod5');
  assert.deepEqual(Array.from(held), [4, 9]);
  assert.deepEqual(Array.from(train), [0, 1, 2, 3, 5, 6, 7, 8, 10, 11]);
});

test('tail20: rows i >= floor(0.8 n) are test rows', () => {
  assert.deepEqual(Array.from(splitRows(10, 'tail20').test), [8, 9]);
  assert.deepEqual(Array.from(splitRows(11, 'tail20').test), [8, 9, 10]);
  // The peers' figures: bank-full (45,211 rows) trains on 36,168 rows with tail20, 36,169 with mod5.
  assert.equal(splitRows(45_211, 'tail20').train.length, 36_168);
  assert.equal(splitRows(45_211, 'mod5').train.length, 36_169);
});
