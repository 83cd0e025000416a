/**
 * `GET /portals/:portalId/api/send-times` and the page's "Best send times" section: the portal's
 * send-time summary for people signed in to that portal only (another portal's session, or none,
 * gets 403 and none of it); before any summary, the answer and the page say when there will be one;
 * the difference and its interval appear only once measured; a portal never sees another's summary.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { portalModel } from '../../src/db/models/portal.ts';
import { sendTimeSummaryModel } from '../../src/db/models/send-time-summary.ts';
import { NO_SEND_TIMES_MESSAGE } from '../../src/web/portal-send-times.ts';
import { testWebApp } from '../helpers/app.ts';
import { signedInSession } from '../helpers/session.ts';

const { web, services, connection } = await testWebApp('web_send_times_api');
const A = 63_000_001;
const B = 63_000_002;
const now = new Date();
await portalModel(connection).create([A, B].map((portalId) => ({ portalId, status: 'installed' as const, firstInstalledAt: now, installedAt: now })));
const userOfA = (await signedInSession(connection, services.keyring, [A])).cookie;
const userOfB = (await signedInSession(connection, services.keyring, [B])).cookie;

/** A week where Tuesday 10:00 (slot 34) has 20 times the engagement of any other hour. */
const TUESDAY_10 = 34;
const weights = Array.from({ length: 168 }, (_, slot) => (slot === TUESDAY_10 ? 20 : 1));
const pattern = weights.map((w) => w / weights.reduce((a, b) => a + b, 0));
const computedAt = new Date('2026-12-07T12:00:00Z');
const notMeasured = {
  portalId: A, timeZone: 'Europe/Berlin', pattern, contacts: 140, holdoutShare: 0.1,
  chosen: { sends: 4, engaged: 1 }, random: { sends: 0, engaged: 0 },
  message: 'not measured yet: 4 sends at chosen times and 0 at random times since 2026-12-01; each side needs 30', computedAt,
};

const api = (portalId: number, cookie?: string) => {
  const r = request(web).get(`/portals/${portalId}/api/send-times`).set('accept', 'application/json');
  return cookie ? r.set('cookie', cookie) : r;
};
const pageOf = (portalId: number, cookie: string) => request(web).get(`/portals/${portalId}`).set('accept', 'text/html').set('cookie', cookie);

test('before any scoring run decided send times: the answer and the page say when there will be some', async () => {
  const answer = await api(A, userOfA);
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body, { measured: false, message: NO_SEND_TIMES_MESSAGE });
  const page = await pageOf(A, userOfA);
  assert.equal(page.status, 200);
  assert.match(page.text, /<h2>Best send times<\/h2>/);
  assert.match(page.text, /<p id="send-time-message" role="status">No send times decided yet: they are decided at the next scoring run\.<\/p>/);
  assert.doesNotMatch(page.text, /send-time-heatmap|send-time-difference/, 'no empty grid and no figure before there is a summary');
  assert.match(page.text, /data-send-times=""/);
});

test('another portal\'s session, or none, is refused: 403 and nothing of the summary', async () => {
  await sendTimeSummaryModel(connection).create(notMeasured);
  for (const [who, answer] of [['a user of portal B', await api(A, userOfB)], ['no session', await api(A)]] as const) {
    assert.equal(answer.status, 403, who);
    assert.match((answer.body as { message: string }).message, /Sign in/, who);
    assert.doesNotMatch(answer.text, /Europe\/Berlin|pattern|not measured/, who);
  }
  assert.equal((await pageOf(A, userOfB)).status, 403);
  assert.equal((await api(Number.NaN, userOfA)).status, 404, 'a portal id that is not a number');
});

test('a summary not measured yet: the doc\'s fields, no difference; the page\'s heat map has 168 labelled cells and the message', async () => {
  const answer = await api(A, userOfA);
  assert.equal(answer.status, 200);
  const { pattern: got, ...rest } = answer.body as Record<string, unknown> & { pattern: number[] };
  assert.deepEqual(rest, {
    measured: false, timeZone: 'Europe/Berlin', contacts: 140, holdoutShare: 0.1, chosen: { sends: 4, engaged: 1 }, random: { sends: 0, engaged: 0 },
    difference: null, low: null, high: null, message: notMeasured.message, computedAt: computedAt.toISOString(),
  });
  assert.equal(got.length, 168);
  got.forEach((share, slot) => assert.ok(Math.abs(share - pattern[slot]!) < 1e-12, `slot ${slot}`));

  const page = (await pageOf(A, userOfA)).text;
  const cells = [...page.matchAll(/<td data-slot="(\d+)"([^>]*)>/g)];
  assert.equal(cells.length, 168);
  assert.deepEqual(cells.map((c) => Number(c[1])), Array.from({ length: 168 }, (_, i) => i), 'Monday 00:00 first, row by row');
  const peak = cells.filter((c) => /class="peak"/.test(c[2]!));
  assert.equal(peak.length, 1);
  assert.equal(Number(peak[0]![1]), TUESDAY_10);
  const label = `Tuesday 10:00–11:00: ${(pattern[TUESDAY_10]! * 100).toFixed(1)} % of engagement`;
  assert.match(peak[0]![2]!, new RegExp(`aria-label="${label}"`));
  assert.match(peak[0]![2]!, new RegExp(`title="${label}"`));
  assert.match(page, /aria-label="Monday 00:00–01:00: 0\.5 % of engagement"/);
  assert.match(page, /id="send-time-zone">Europe\/Berlin</);
  assert.match(page, new RegExp(`<p id="send-time-peaks">Most engagement: ${label.replace(/: .*/, '')} \\(${(pattern[TUESDAY_10]! * 100).toFixed(1)} %\\)\\.</p>`), 'only the hour above an even spread is named');
  assert.match(page, /<p id="send-time-message" role="status">not measured yet: 4 sends at chosen times and 0 at random times/);
  assert.doesNotMatch(page, /id="send-time-difference"/);
  assert.match(page, /<tr id="lift-chosen"><td>[^<]*<\/td><td class="sends">4<\/td><td class="engaged">1<\/td><td class="rate">25\.0 %<\/td>/);
  assert.match(page, /<tr id="lift-random"><td>[^<]*<\/td><td class="sends">0<\/td><td class="engaged">0<\/td><td class="rate">–<\/td>/);
  assert.match(page, new RegExp(`data-send-times="${computedAt.toISOString()}"`));
});

test('measured: the difference with its 95 % interval, in percentage points; portal B\'s own summary stays B\'s', async () => {
  await sendTimeSummaryModel(connection).updateOne({ portalId: A }, {
    $set: { chosen: { sends: 400, engaged: 120 }, random: { sends: 45, engaged: 9 }, difference: 0.1, low: -0.021, high: 0.221, message: 'chosen times: 30.0 % engaged within 24 h, random times 20.0 %' },
  });
  await sendTimeSummaryModel(connection).create({ ...notMeasured, portalId: B, timeZone: 'Asia/Tokyo', difference: 0.5, low: 0.4, high: 0.6 });
  const answer = (await api(A, userOfA)).body as Record<string, unknown>;
  assert.equal(answer.measured, true);
  assert.deepEqual([answer.difference, answer.low, answer.high, answer.timeZone], [0.1, -0.021, 0.221, 'Europe/Berlin']);
  const page = (await pageOf(A, userOfA)).text;
  assert.match(page, /<p id="send-time-difference">Chosen minus random: <strong>\+10\.0 percentage points<\/strong> \(95 % interval −2\.1 to \+22\.1\): the interval includes 0/);
  assert.match(page, /<p id="send-time-message">chosen times: 30\.0 % engaged/);
  assert.doesNotMatch(page, /Asia\/Tokyo/);
  assert.equal(((await api(B, userOfB)).body as Record<string, unknown>).timeZone, 'Asia/Tokyo');
});
