import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateEngagementHistory } from '../../src/sandbox/history/engagement-history.ts';
import { decideSendTimes } from '../../src/send-time/best-send-time.ts';
import { engagementEvidence } from '../../src/send-time/engagement-times.ts';
import { slotDistance } from '../../src/send-time/hour-of-week.ts';
import { localSlot } from '../../src/send-time/local-clock.ts';
import { bestSlots, fitWeekPattern, personPattern } from '../../src/send-time/week-pattern.ts';

const now = Date.UTC(2026, 5, 1, 12);
const planted = generateEngagementHistory({ contacts: 400, seed: 21, now, weeks: 26, timeZone: 'Europe/Berlin' });
const within1h = (got: Map<string, number>) => planted.filter((c) => slotDistance(got.get(c.contact)!, c.preferredSlot) <= 1).length / planted.length;

test('planted preferred hours (with send-time bias and proxy opens) are recovered: at least 75 % within ±1 h', () => {
  const plan = decideSendTimes(planted, { now, holdoutShare: 0 });
  const share = within1h(new Map(plan.decisions.map((d) => [d.contact, d.slot])));
  console.log(`send time within ±1 h of the planted preferred hour: ${(share * 100).toFixed(1)} % of ${planted.length} contacts`);
  assert.ok(share >= 0.75, `${share}`);
  for (const d of plan.decisions) {
    assert.ok(d.sendAt > now && d.sendAt <= now + 7 * 86_400_000 + 3_600_000, 'the next time that hour comes round');
    assert.equal(localSlot(d.sendAt, 'Europe/Berlin'), d.slot, 'on the contact\'s clock');
  }
});

test('without the send-relative correction and proxy-open weighting the send schedule wins: the correction is what recovers them', () => {
  const { events } = engagementEvidence(planted, { sendRelative: false });
  const raw = fitWeekPattern(events.map((e) => ({ ...e, weight: 1 })), now);
  const share = within1h(new Map(planted.map((c) => [c.contact, bestSlots(personPattern(raw, c.contact), 1, 1)[0]!])));
  assert.ok(share < 0.5, `raw open hours recover ${share}`);
});

test('reasons in words, holdout stable and marked, random hours spread over the week', () => {
  const a = decideSendTimes(planted, { now, holdoutShare: 0.2 });
  const b = decideSendTimes(planted, { now: now + 3_600_000, holdoutShare: 0.2 });
  const held = a.decisions.filter((d) => d.holdout);
  assert.ok(held.length > 50 && held.length < 110, `${held.length} of 400 in a 20 % holdout`);
  assert.deepEqual(b.decisions.filter((d) => d.holdout).map((d) => d.contact), held.map((d) => d.contact), 'the same contacts an hour later');
  assert.ok(new Set(held.map((d) => d.slot)).size > 30);
  assert.match(held[0]!.reason, /random time .*holdout/);
  const chosen = a.decisions.find((d) => !d.holdout)!;
  assert.match(chosen.reason, /^usually (opens|clicks) (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) (mornings|afternoons|evenings|nights); \d+ (opens|clicks) since [A-Z][a-z]+( \d{4})?$/);
  assert.equal(a.portalPattern.length, 168);
  const fresh = decideSendTimes([{ contact: 'new', sends: [], engagements: [] }, ...planted.slice(0, 50)], { now, holdoutShare: 0 });
  assert.match(fresh.decisions[0]!.reason, /^no engagement of their own yet/);
});
