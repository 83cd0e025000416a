import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RollingWindowLimiter } from '../../src/hubspot/rate-limiter.ts';

test('never more than `limit` starts in any window, and starts resume as the window rolls', async () => {
  const limiter = new RollingWindowLimiter(5, 200);
  const starts: number[] = [];
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 12 }, () => limiter.take().then(() => starts.push(Date.now() - t0))));
  starts.sort((a, b) => a - b);
  for (let i = 0; i < starts.length; i++) {
    // Start times are read a moment after each start, so allow a few ms of measurement slack.
    const inWindow = starts.filter((s) => s > starts[i] - 190 && s <= starts[i]).length;
    assert.ok(inWindow <= 5, `at most 5 starts in a 200 ms window (got ${inWindow} ending at ${starts[i]} ms)`);
  }
  assert.ok(starts[11] >= 400, 'the 11th and 12th starts wait for the second window to roll');
  assert.ok(starts[11] < 1000, 'and not much longer');
});

test('holdUntil pauses all starts until then', async () => {
  const limiter = new RollingWindowLimiter(100, 1000);
  const t0 = Date.now();
  limiter.holdUntil(t0 + 150);
  await limiter.take();
  assert.ok(Date.now() - t0 >= 140);
});
