import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mean, variance } from 'simple-statistics';
import { seededRandom } from '../../src/learners/random.ts';
import { assignTrack, betaSample, trackEstimates, trackListSchema, type TrackResults } from '../../src/uplift/index.ts';

const tracks = [
  { value: 'case_studies', label: 'Case studies' },
  { value: 'webinar_series', label: 'Webinar series' },
  { value: 'product_tour', label: 'Product tour' },
];

test('Beta draws have the Beta distribution\'s mean and variance', () => {
  const random = seededRandom(3);
  const draws = Array.from({ length: 20_000 }, () => betaSample(3, 9, random));
  assert.ok(Math.abs(mean(draws) - 3 / 12) < 0.005);
  assert.ok(Math.abs(variance(draws) - (3 * 9) / (144 * 13)) < 0.001);
});

test('Thompson sampling: every track is tried, then each segment mostly gets its best track; the control arm keeps its share', () => {
  // True goal rates by segment: tier A does best with the product tour, tier B with the webinars.
  const truth: Record<string, Record<string, number>> = {
    A: { case_studies: 0.1, webinar_series: 0.2, product_tour: 0.35 },
    B: { case_studies: 0.15, webinar_series: 0.3, product_tour: 0.05 },
  };
  const results: TrackResults = { A: {}, B: {} };
  const random = seededRandom(11);
  const counts = () => ({ A: {} as Record<string, number>, B: {} as Record<string, number> });
  const early = counts(), late = counts();
  let control = 0;
  for (let i = 0; i < 6000; i++) {
    const segment = i % 2 === 0 ? 'A' : 'B';
    const a = assignTrack({ recordKey: `7:contacts:${i}`, segment, tracks, results, controlShare: 0.1, random });
    if (a.control) { control++; continue; }
    const bucket = i < 150 ? early : i >= 5000 ? late : undefined;
    if (bucket) bucket[segment as 'A' | 'B'][a.track] = (bucket[segment as 'A' | 'B'][a.track] ?? 0) + 1;
    const tally = (results[segment][a.track] ??= { records: 0, outcomes: 0 });
    tally.records++;
    if (random() < truth[segment][a.track]) tally.outcomes++;
  }
  assert.ok(Math.abs(control / 6000 - 0.1) < 0.015, `control ${control}`);
  for (const segment of ['A', 'B'] as const) assert.equal(Object.keys(early[segment]).length, 3, `all tried early in ${segment}: ${JSON.stringify(early)}`);
  const share = (segment: 'A' | 'B', track: string) => (late[segment][track] ?? 0) / Object.values(late[segment]).reduce((s, n) => s + n, 0);
  assert.ok(share('A', 'product_tour') > 0.8, JSON.stringify(late));
  assert.ok(share('B', 'webinar_series') > 0.8, JSON.stringify(late));
  const estimates = trackEstimates(tracks, results.B);
  const webinars = estimates.find((e) => e.track === 'webinar_series')!;
  assert.ok(webinars.low < 0.3 && webinars.high > 0.3 && webinars.records > 1000);
});

test('the reason names the track, its evidence and the rule; the control arm is stable per record', () => {
  const results: TrackResults = { B: { webinar_series: { records: 400, outcomes: 120 }, case_studies: { records: 400, outcomes: 20 }, product_tour: { records: 400, outcomes: 16 } } };
  const key = Array.from({ length: 50 }, (_, i) => `7:contacts:${i}`).find((k) => !assignTrack({ recordKey: k, segment: 'B', tracks, results, controlShare: 0.1, random: seededRandom(1) }).control)!;
  const a = assignTrack({ recordKey: key, segment: 'B', tracks, results, controlShare: 0.1, random: seededRandom(1) });
  assert.deepEqual(a, { track: 'webinar_series', reason: 'Webinar series: 120 of 400 B records reached the goal (30 %), the best of 3 tracks in this draw (Thompson sampling)', control: false });
  const fresh = assignTrack({ recordKey: key, segment: 'C', tracks, results, controlShare: 0.1, random: seededRandom(2) });
  assert.match(fresh.reason, /: not tried yet on C records, the best of 3 tracks/);
  const controls = Array.from({ length: 200 }, (_, i) => assignTrack({ recordKey: `7:contacts:${i}`, segment: 'B', tracks, results, controlShare: 0.1, random: seededRandom(i) }).control);
  const again = Array.from({ length: 200 }, (_, i) => assignTrack({ recordKey: `7:contacts:${i}`, segment: 'A', tracks, results, controlShare: 0.1, random: seededRandom(i + 99) }).control);
  assert.deepEqual(again, controls, 'the control arm depends on the record alone');
});

test('the admin names one to five tracks, each with its own value', () => {
  assert.equal(trackListSchema.safeParse(tracks).success, true);
  const six = Array.from({ length: 6 }, (_, i) => ({ value: `track_${i}`, label: `Track ${i}` }));
  assert.match(trackListSchema.safeParse(six).error!.issues[0].message, /at most 5 tracks per goal/);
  assert.equal(trackListSchema.safeParse([]).success, false);
  assert.match(trackListSchema.safeParse([tracks[0], { ...tracks[0], label: 'Again' }]).error!.issues[0].message, /its own value/);
  assert.equal(trackListSchema.safeParse([{ value: 'control', label: 'No track' }]).success, false);
  assert.equal(trackListSchema.safeParse([{ value: 'Has Spaces', label: 'x' }]).success, false);
  assert.equal(trackListSchema.safeParse([{ value: 'ok', label: 'x', $where: '1' }]).success, false, 'nothing else is stored');
});
