import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeatureTableBuilder } from '../../src/features/feature-table.ts';
import { autoDefaults } from '../../src/learners/index.ts';
import { choiceRows, latestSnapshotShare } from '../../src/models/train-target.ts';

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

test('the learners are compared as the model is used: fitted on snapshots the scoring gap older than the newest, judged on the newest', () => {
  const builder = new FeatureTableBuilder(['x'], []);
  // Snapshots a step of 30 apart, in no particular row order.
  const times = [150, 0, 30, 60, 90, 120, 150, 0, 60, 120];
  times.forEach((t, i) => builder.add(String(i), t, [i], [], 0));
  const table = builder.build();
  // Scores are used 120 after the newest training snapshot: fit on the snapshots at 30 and before.
  assert.deepEqual(choiceRows(table, 120), { fit: [1, 2, 7], holdout: [0, 6] });
  assert.deepEqual(choiceRows(table, 30), { fit: [1, 2, 3, 4, 5, 7, 8, 9], holdout: [0, 6] }, 'a gap of one step: every older snapshot');
  assert.deepEqual(choiceRows(table, 1000), { fit: [1, 7], holdout: [0, 6] }, 'a history shorter than the gap: the oldest snapshot');
  const single = new FeatureTableBuilder(['x'], []);
  single.add('a', 5, [1], [], 0);
  single.add('b', 5, [2], [], 1);
  assert.equal(choiceRows(single.build(), 120), undefined, 'one snapshot: nothing to go back to');
});
