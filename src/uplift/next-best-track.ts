/**
 * The next best nurture track: the admin names up to five tracks for a goal; each record gets the
 * track with the best expected outcome for records like it (same segment, e.g. the lead tier), by
 * Thompson sampling (Thompson 1933; Chapelle & Li 2011): every track's outcome rate in the segment
 * has a Beta(1 + outcomes, 1 + non-outcomes) posterior, one draw is taken from each, and the highest
 * draw wins. A track nobody has tried yet is drawn from the flat prior, so it gets tried; as outcomes
 * come in, the better track wins more and more of the draws, and a track that is clearly worse is
 * still drawn now and then while the evidence is thin. A fixed share of the records (a stable hash,
 * not the bandit) gets the control arm, so what the tracks add over no track stays measurable.
 * Pure: the records' counts and a random source in, the assignment and its reason out.
 *
 * @example
 * assignTrack({ recordKey: '1:contacts:7', segment: 'B', tracks, results, controlShare: 0.1, random: seededRandom(1) })
 * // => { track: 'webinar_series', reason: 'webinar_series: 14 of 60 tier-B records converted (23 %), the best of 3 tracks in this draw', ... }
 */
import { z } from 'zod';
import { isInControlGroup } from '../decisions/control-group.ts';

export const maxTracks = 5;
export const controlTrack = 'control';

/** A track's value is the enumeration option HubSpot workflows branch on; its label is what people read. */
export const trackSchema = z.object({
  value: z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'a track value is 1–50 lowercase letters, digits or _, starting with a letter').refine((v) => v !== controlTrack && v !== 'none', 'control and none are kept for the control arm'),
  label: z.string().trim().min(1).max(100),
}).strict();

export const trackListSchema = z.array(trackSchema).min(1).max(maxTracks, `at most ${maxTracks} tracks per goal`)
  .refine((tracks) => new Set(tracks.map((t) => t.value)).size === tracks.length, 'each track needs its own value');

export type Track = z.infer<typeof trackSchema>;

export interface TrackTally {
  records: number;
  outcomes: number;
}

/** Per segment, per track value: how many records had the track and how many reached the goal. */
export type TrackResults = Record<string, Record<string, TrackTally>>;

export interface TrackAssignment {
  track: string;
  reason: string;
  control: boolean;
}

export interface AssignTrackInput {
  recordKey: string;
  segment: string;
  tracks: Track[];
  results: TrackResults;
  controlShare: number;
  random: () => number;
}

export function assignTrack({ recordKey, segment, tracks, results, controlShare, random }: AssignTrackInput): TrackAssignment {
  if (isInControlGroup(`${recordKey}:track`, controlShare)) return { track: controlTrack, reason: 'control arm (no track), to measure what the tracks add', control: true };
  const tallies = results[segment] ?? {};
  const draws = tracks.map((t) => {
    const tally = tallies[t.value] ?? { records: 0, outcomes: 0 };
    return { track: t, tally, draw: betaSample(1 + tally.outcomes, 1 + Math.max(0, tally.records - tally.outcomes), random) };
  });
  const best = draws.reduce((a, c) => (c.draw > a.draw ? c : a));
  const { records, outcomes } = best.tally;
  const evidence = records === 0 ? `not tried yet on ${segment} records` : `${outcomes} of ${records} ${segment} records reached the goal (${Math.round((100 * outcomes) / records)} %)`;
  return { track: best.track.value, reason: `${best.track.label}: ${evidence}, the best of ${tracks.length} tracks in this draw (Thompson sampling)`, control: false };
}

/** The posterior mean and central 95 % interval of each track's rate in a segment, for the page (normal approximation of the Beta). */
export function trackEstimates(tracks: Track[], tallies: Record<string, TrackTally> = {}): { track: string; records: number; outcomes: number; mean: number; low: number; high: number }[] {
  return tracks.map((t) => {
    const { records, outcomes } = tallies[t.value] ?? { records: 0, outcomes: 0 };
    const a = 1 + outcomes, b = 1 + Math.max(0, records - outcomes);
    const mean = a / (a + b);
    const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
    return { track: t.value, records, outcomes, mean, low: Math.max(0, mean - 1.96 * sd), high: Math.min(1, mean + 1.96 * sd) };
  });
}

/** A Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaSample(a: number, b: number, random: () => number): number {
  const x = gammaSample(a, random);
  const y = gammaSample(b, random);
  return x / (x + y);
}

/** Marsaglia & Tsang (2000) for shape >= 1 (ours always are: 1 + a count). */
function gammaSample(shape: number, random: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = normalSample(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Box–Muller. */
function normalSample(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
