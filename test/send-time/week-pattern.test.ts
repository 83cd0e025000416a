import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../src/sandbox/random.ts';
import { backtestSendTime } from '../../src/send-time/backtest-send-time.ts';
import { slotOf } from '../../src/send-time/hour-of-week.ts';
import { localSlot, nextTimeInSlot } from '../../src/send-time/local-clock.ts';
import { parseEventTime } from '../../src/send-time/read-event-times.ts';
import { bestSlots, smoothCircular, type WeekEvent } from '../../src/send-time/week-pattern.ts';

test('hours of the week on a contact\'s clock, across daylight saving', () => {
  // 2026-03-29 is the night Berlin moves from +01:00 to +02:00 (a Sunday).
  assert.equal(localSlot(Date.parse('2026-03-28T08:30:00Z'), 'Europe/Berlin'), slotOf(5, 9));
  assert.equal(localSlot(Date.parse('2026-03-30T08:30:00Z'), 'Europe/Berlin'), slotOf(0, 10));
  assert.equal(localSlot(Date.parse('2026-03-30T08:30:00Z'), 'Asia/Kolkata'), slotOf(0, 14));
  const monday9 = nextTimeInSlot(slotOf(0, 9), Date.parse('2026-03-28T12:00:00Z'), 'Europe/Berlin');
  assert.equal(new Date(monday9).toISOString(), '2026-03-30T07:00:00.000Z');
  // 02:00 on the changeover Sunday does not exist in Berlin: the next Sunday's.
  const skipped = nextTimeInSlot(slotOf(6, 2), Date.parse('2026-03-28T12:00:00Z'), 'Europe/Berlin');
  assert.equal(new Date(skipped).toISOString(), '2026-04-05T00:00:00.000Z');
});

test('event times: ISO-8601 and YYYY-MM-DD HH:MM[:SS]; the hour of week is the clock as written', () => {
  assert.deepEqual(parseEventTime('2011-03-01 09:30'), { wallClock: Date.UTC(2011, 2, 1, 9, 30), instant: Date.UTC(2011, 2, 1, 9, 30) });
  assert.deepEqual(parseEventTime('2011-03-01T09:30:15+01:00'), { wallClock: Date.UTC(2011, 2, 1, 9, 30, 15), instant: Date.UTC(2011, 2, 1, 8, 30, 15) });
  for (const bad of ['2011-02-29 09:00', '2011-13-01 09:00', '2011-03-01', '09:30', '2011-03-01 24:00', 'yesterday']) assert.equal(parseEventTime(bad), undefined, bad);
});

test('smoothing wraps round the week and keeps the mass; the best hours cover distinct windows', () => {
  const week = new Float64Array(168);
  week[0] = 1;
  const smoothed = smoothCircular(week, 1);
  assert.ok(Math.abs(smoothed.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(smoothed[167]! > 0.2 && Math.abs(smoothed[167]! - smoothed[1]!) < 1e-12);
  const pattern = new Float64Array(168).fill(0.001);
  pattern[50] = 0.3;
  pattern[51] = 0.3;
  pattern[100] = 0.2;
  const [first, second] = bestSlots(pattern, 2, 1);
  assert.ok(first === 50 || first === 51, `${first}`);
  assert.ok(Math.abs(second! - 100) <= 1, `${second}: the other peak, not the first pick's neighbour`);
});

test('on planted habits (each person a few favourite hours, everyone a shared daily rhythm) the model beats all three baselines', () => {
  const random = mulberry32(5);
  const events: WeekEvent[] = [];
  const start = Date.UTC(2025, 0, 6);
  for (let p = 0; p < 300; p++) {
    const favourites = [0, 1].map(() => slotOf(Math.floor(random() * 5), 8 + Math.floor(random() * 10)));
    const n = 3 + Math.floor(random() * 25);
    for (let i = 0; i < n; i++) {
      const week = Math.floor(random() * 50);
      const slot = random() < 0.6 ? favourites[i % 2]! + (random() < 0.3 ? 1 : 0) : slotOf(Math.floor(random() * 7), 7 + Math.floor(random() * 14));
      events.push({ person: `p${p}`, slot, at: start + week * 7 * 86_400_000 + slot * 3_600_000 + Math.floor(random() * 3_600_000) });
    }
  }
  const { results } = backtestSendTime(events);
  const [model, ...baselines] = results;
  for (const baseline of baselines) {
    assert.ok(model!.logLikelihoodPerEvent > baseline.logLikelihoodPerEvent, `${baseline.method}: ${JSON.stringify(results)}`);
    assert.ok(model!.top3Within1h > baseline.top3Within1h, `${baseline.method}: ${JSON.stringify(results)}`);
  }
});
