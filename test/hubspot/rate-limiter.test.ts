import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RollingWindowLimiter } from '../../src/hubspot/rate-limiter.ts';

/** Start times (ms since `t0`) of `count` takes made at once. */
async function startTimes(limiter: RollingWindowLimiter, count: number): Promise<number[]> {
  const t0 = Date.now();
  const starts = await Promise.all(Array.from({ length: count }, () => limiter.take()));
  return starts.map((s) => s - t0);
}

test('never more than `limit` starts in any window, and starts resume as the window rolls', async () => {
  const starts = await startTimes(new RollingWindowLimiter(5, 200), 12);
  for (let i = 0; i < starts.length; i++) {
    const inWindow = starts.filter((s) => s > starts[i] - 200 && s <= starts[i]).length;
    assert.ok(inWindow <= 5, `at most 5 starts in a 200 ms window (got ${inWindow} ending at ${starts[i]} ms)`);
  }
  assert.ok(starts[11] >= 400, 'the 11th and 12th starts wait for the second window to roll');
  assert.ok(starts[11] < 1000, 'and not much longer');
});

test('the whole budget runs back to back, then one start each time the oldest leaves the window', async () => {
  const starts = await startTimes(new RollingWindowLimiter(5, 300), 7);
  assert.ok(starts[4] < 50, `the first 5 start at once (the 5th at ${starts[4]} ms)`);
  assert.ok(starts[5] >= 300 && starts[5] < 360, `the 6th starts as the 1st leaves the window (${starts[5]} ms)`);
  assert.ok(starts[6] >= 300 && starts[6] < 360, `and the 7th as the 2nd does (${starts[6]} ms)`);
});

test('holdUntil pauses all starts until then', async () => {
  const limiter = new RollingWindowLimiter(100, 1000);
  const t0 = Date.now();
  limiter.holdUntil(t0 + 150);
  await limiter.take();
  assert.ok(Date.now() - t0 >= 140);
});

test('what HubSpot counts beyond its own starts is booked as spent by others, and leaves less room', async () => {
  const limiter = new RollingWindowLimiter(10, 400);
  const [first, second] = [await limiter.take(), await limiter.take()];
  assert.equal(limiter.observeServerBudget(first, 10, 9), 0, 'one request counted: ours');
  assert.equal(limiter.observeServerBudget(second, 10, 3), 5, 'seven counted, two of them ours: five spent elsewhere');
  const starts = await startTimes(limiter, 4);
  assert.ok(starts[2] < 50, 'three more start at once');
  assert.ok(starts[3] >= 300, `the fourth waits for the window to roll (${starts[3]} ms)`);
});

test('its own requests in flight never count as spent by others', async () => {
  const limiter = new RollingWindowLimiter(10, 400);
  const starts = [await limiter.take(), await limiter.take(), await limiter.take()];
  // HubSpot answered the first request before the other two arrived: it counted one.
  assert.equal(limiter.observeServerBudget(starts[0], 10, 9), 0);
  assert.equal(limiter.observeServerBudget(starts[2], 10, 7), 0);
});

test("HubSpot's own limit, when lower, becomes the limiter's", async () => {
  const limiter = new RollingWindowLimiter(10, 300);
  limiter.observeServerBudget(await limiter.take(), 3, 2);
  const starts = await startTimes(limiter, 3);
  assert.ok(starts[1] < 50, 'two more start at once');
  assert.ok(starts[2] >= 250, `the fourth waits for the window (${starts[2]} ms)`);
});
