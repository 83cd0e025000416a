import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uplift } from '../../src/decisions/uplift.ts';

test('uplift is the difference of outcome rates with a 95 % interval that narrows with more records', () => {
  const small = uplift({ n: 40, hits: 8 }, { n: 10, hits: 1 })!;
  const large = uplift({ n: 4000, hits: 800 }, { n: 1000, hits: 100 })!;
  assert.ok(Math.abs(small.difference - 0.1) < 1e-12 && Math.abs(large.difference - 0.1) < 1e-12);
  assert.ok(small.low < 0 && small.high > 0.2, 'few records: the interval includes no effect');
  assert.ok(large.low > 0.07 && large.high < 0.13, 'many records: the effect is clear');
  // 0.1 ± 1.96 × sqrt(0.2·0.8/4000 + 0.1·0.9/1000)
  assert.ok(Math.abs(large.high - large.low - 2 * 1.959963984540054 * Math.sqrt(0.16 / 4000 + 0.09 / 1000)) < 1e-12);
  assert.equal(uplift({ n: 0, hits: 0 }, { n: 5, hits: 1 }), null);
});
