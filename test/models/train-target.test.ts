import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeatureTableBuilder } from '../../src/features/feature-table.ts';
import { autoDefaults } from '../../src/learners/index.ts';
import { latestSnapshotShare } from '../../src/models/train-target.ts';

test('the learners choose between themselves on the whole latest training snapshot, whatever the order of the records', () => {
  const table = (times: number[]) => {
    const builder = new FeatureTableBuilder(['x'], []);
    times.forEach((t, i) => builder.add(String(i), t, [i], [], 0));
    return builder.build();
  };
  assert.equal(latestSnapshotShare(table([1, 1, 1, 2, 2, 2, 3, 3, 4, 4])), 0.2);
  assert.equal(latestSnapshotShare(table([1, 1, 1, 1, 1, 2, 2, 2])), 3 / 8);
  assert.equal(latestSnapshotShare(table([1, 2, 2])), autoDefaults.holdoutFraction, 'half the rows or more: the learners\' own share');
  assert.equal(latestSnapshotShare(table([])), autoDefaults.holdoutFraction);
});
