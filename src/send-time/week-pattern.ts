/**
 * When each person engages, as a probability over the 168 hours of the week: a hierarchical
 * (empirical-Bayes) model in three layers, each shrunk towards the one above by a strength fitted on
 * held-out data (`fit-week-pattern.ts`).
 *
 * 1. Everyone's pattern (and, when people belong to segments, each segment's: everyone's shrunk
 *    towards the segment's counts): the weighted event counts per hour of week, smoothed with a circular kernel
 *    over neighbouring hours, shrunk towards a structured week (each day's share times the
 *    hour-of-day profile of weekdays or of weekends), so a sparse portal still gets a sensible week.
 * 2. The person's tilts: a day-of-week factor and an hour-of-day factor (hours kernel-smoothed round
 *    the clock), each the person's share shrunk towards everyone's share; the week is everyone's
 *    pattern times the two tilts. A handful of events moves the person's days and hours without
 *    needing an event in every slot.
 * 3. The person's own slots: their kernel-smoothed hour-of-week histogram, mixed in with weight
 *    n / (n + slotStrength), for people whose habit is one particular hour of one particular day.
 *
 * Events can carry weights (a proxy open counts less than a click) and older events count less
 * (recency half-life). A little exploration mass keeps every hour possible. Plain data in, plain data out.
 */
import { DAYS_PER_WEEK, dayOfSlot, HOURS_PER_DAY, HOURS_PER_WEEK, hourOfSlot, normalise } from './hour-of-week.ts';

export interface WeekEvent {
  person: string;
  /** Hour of week, 0..167 (`hour-of-week.ts`). */
  slot: number;
  /** When it happened (ms since epoch), for recency. */
  at: number;
  /** How much it says about when the person engages; 1 unless told. */
  weight?: number;
}

export interface WeekPatternParameters {
  /** Days after which an event counts half; Infinity: all events count the same. */
  halfLifeDays: number;
  /** Kernel bandwidth (hours) smoothing everyone's counts round the week. */
  globalBandwidth: number;
  /** Pseudo-events pulling everyone's pattern towards the structured (day share × weekday/weekend hours) week. */
  globalStrength: number;
  /** Pseudo-events pulling a person's day-of-week shares towards everyone's. */
  dayStrength: number;
  /** Pseudo-events pulling a person's hour-of-day shares towards everyone's. */
  hourStrength: number;
  /** Kernel bandwidth (hours) smoothing a person's hour-of-day counts round the clock. */
  hourBandwidth: number;
  /** The person's own slot histogram gets weight n / (n + slotStrength). */
  slotStrength: number;
  /** Kernel bandwidth (hours) smoothing a person's own hour-of-week counts. */
  slotBandwidth: number;
  /** Share of probability spread evenly over the week. */
  exploration: number;
  /** Pseudo-events pulling a segment's pattern towards everyone's (only with segments). */
  segmentStrength?: number;
}

export const defaultWeekPatternParameters: WeekPatternParameters = {
  halfLifeDays: 180,
  globalBandwidth: 1,
  globalStrength: 50,
  dayStrength: 4,
  hourStrength: 4,
  hourBandwidth: 1,
  slotStrength: 8,
  slotBandwidth: 1,
  exploration: 0.01,
  segmentStrength: 50,
};

export interface PersonCounts {
  /** Weighted (recency × signal) counts per hour of week. */
  slots: Float64Array;
  /** Their total: the person's effective number of events. */
  total: number;
  /** Unweighted number of events, for reasons. */
  events: number;
  firstAt: number;
}

export interface WeekPatternModel {
  parameters: WeekPatternParameters;
  asOf: number;
  /** Everyone's pattern (sums to 1). */
  everyone: Float64Array;
  everyoneDays: Float64Array;
  everyoneHours: Float64Array;
  people: Map<string, PersonCounts>;
  /** Each segment's pattern (everyone's shrunk towards the segment's counts) and its day and hour shares. */
  segments: Map<string, { pattern: Float64Array; days: Float64Array; hours: Float64Array }>;
  segmentOf: ReadonlyMap<string, string>;
}

const DAY_MS = 86_400_000;

/** Circular Gaussian smoothing of `values` (length n), bandwidth in positions; 0 leaves them as they are. */
export function smoothCircular(values: ArrayLike<number>, bandwidth: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (!(bandwidth > 0)) {
    for (let i = 0; i < n; i++) out[i] = values[i]!;
    return out;
  }
  const reach = Math.min(Math.ceil(3 * bandwidth), Math.floor((n - 1) / 2));
  const kernel: number[] = [];
  let kernelTotal = 0;
  for (let d = -reach; d <= reach; d++) {
    const w = Math.exp(-(d * d) / (2 * bandwidth * bandwidth));
    kernel.push(w);
    kernelTotal += w;
  }
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v === 0) continue;
    for (let d = -reach; d <= reach; d++) out[(i + d + n) % n]! += (v * kernel[d + reach]!) / kernelTotal;
  }
  return out;
}

function recencyWeight(at: number, asOf: number, halfLifeDays: number): number {
  if (!Number.isFinite(halfLifeDays)) return 1;
  const ageDays = Math.max(0, (asOf - at) / DAY_MS);
  return Math.pow(0.5, ageDays / halfLifeDays);
}

function dayTotals(week: ArrayLike<number>): Float64Array {
  const days = new Float64Array(DAYS_PER_WEEK);
  for (let s = 0; s < HOURS_PER_WEEK; s++) days[dayOfSlot(s)]! += week[s]!;
  return days;
}

function hourTotals(week: ArrayLike<number>, daysIncluded: (day: number) => boolean = () => true): Float64Array {
  const hours = new Float64Array(HOURS_PER_DAY);
  for (let s = 0; s < HOURS_PER_WEEK; s++) if (daysIncluded(dayOfSlot(s))) hours[hourOfSlot(s)]! += week[s]!;
  return hours;
}

const isWeekend = (day: number) => day >= 5;

/** Everyone's pattern from their weighted counts (see layer 1 above). */
function everyonePattern(counts: Float64Array, p: WeekPatternParameters): Float64Array {
  const total = counts.reduce((a, b) => a + b, 0);
  const smoothed = smoothCircular(counts, p.globalBandwidth);
  const days = normalise(dayTotals(smoothed));
  const weekdayHours = normalise(smoothCircular(hourTotals(smoothed, (d) => !isWeekend(d)), p.globalBandwidth));
  const weekendHours = normalise(smoothCircular(hourTotals(smoothed, isWeekend), p.globalBandwidth));
  const pattern = new Float64Array(HOURS_PER_WEEK);
  for (let s = 0; s < HOURS_PER_WEEK; s++) {
    const day = dayOfSlot(s);
    const structured = days[day]! * (isWeekend(day) ? weekendHours : weekdayHours)[hourOfSlot(s)]!;
    pattern[s] = (smoothed[s]! + p.globalStrength * structured) / (total + p.globalStrength || 1);
  }
  return normalise(pattern);
}

/**
 * Counts everyone's and each person's events as of `asOf` (events after it are ignored). With
 * `segmentOf` (person -> segment), a person's pattern is shrunk towards their segment's, and the
 * segment's towards everyone's.
 */
export function fitWeekPattern(
  events: readonly WeekEvent[],
  asOf: number,
  parameters: WeekPatternParameters = defaultWeekPatternParameters,
  segmentOf: ReadonlyMap<string, string> = new Map(),
): WeekPatternModel {
  const everyoneCounts = new Float64Array(HOURS_PER_WEEK);
  const people = new Map<string, PersonCounts>();
  for (const event of events) {
    if (event.at > asOf) continue;
    const w = (event.weight ?? 1) * recencyWeight(event.at, asOf, parameters.halfLifeDays);
    if (!(w > 0)) continue;
    everyoneCounts[event.slot]! += w;
    let person = people.get(event.person);
    if (person === undefined) {
      person = { slots: new Float64Array(HOURS_PER_WEEK), total: 0, events: 0, firstAt: event.at };
      people.set(event.person, person);
    }
    person.slots[event.slot]! += w;
    person.total += w;
    person.events += 1;
    person.firstAt = Math.min(person.firstAt, event.at);
  }
  const everyone = everyonePattern(everyoneCounts, parameters);
  const segmentCounts = new Map<string, { slots: Float64Array; total: number }>();
  for (const [person, counts] of people) {
    const segment = segmentOf.get(person);
    if (segment === undefined) continue;
    let sum = segmentCounts.get(segment);
    if (!sum) segmentCounts.set(segment, (sum = { slots: new Float64Array(HOURS_PER_WEEK), total: 0 }));
    for (let s = 0; s < HOURS_PER_WEEK; s++) sum.slots[s]! += counts.slots[s]!;
    sum.total += counts.total;
  }
  const segments: WeekPatternModel['segments'] = new Map();
  const strength = parameters.segmentStrength ?? 50;
  for (const [segment, sum] of segmentCounts) {
    const smoothed = smoothCircular(sum.slots, parameters.globalBandwidth);
    const pattern = normalise(Float64Array.from(everyone, (g, s) => smoothed[s]! + strength * g));
    segments.set(segment, { pattern, days: dayTotals(pattern), hours: hourTotals(pattern) });
  }
  return { parameters, asOf, everyone, everyoneDays: dayTotals(everyone), everyoneHours: hourTotals(everyone), people, segments, segmentOf };
}

/** A person's pattern (sums to 1); someone without events gets everyone's pattern (with the exploration share). */
export function personPattern(model: WeekPatternModel, person: string): Float64Array {
  const p = model.parameters;
  const counts = model.people.get(person);
  const out = new Float64Array(HOURS_PER_WEEK);
  const uniform = p.exploration / HOURS_PER_WEEK;
  const segmentName = model.segmentOf.get(person);
  const segment = segmentName === undefined ? undefined : model.segments.get(segmentName);
  const base = segment?.pattern ?? model.everyone;
  const baseDays = segment?.days ?? model.everyoneDays;
  const baseHours = segment?.hours ?? model.everyoneHours;
  if (counts === undefined || counts.total <= 0) {
    for (let s = 0; s < HOURS_PER_WEEK; s++) out[s] = (1 - p.exploration) * base[s]! + uniform;
    return out;
  }
  const n = counts.total;
  const days = dayTotals(counts.slots);
  const hours = smoothCircular(hourTotals(counts.slots), p.hourBandwidth);
  const tilted = new Float64Array(HOURS_PER_WEEK);
  for (let s = 0; s < HOURS_PER_WEEK; s++) {
    const day = dayOfSlot(s);
    const hour = hourOfSlot(s);
    const gd = baseDays[day]!;
    const gh = baseHours[hour]!;
    const dayShare = (days[day]! + p.dayStrength * gd) / (n + p.dayStrength);
    const hourShare = (hours[hour]! + p.hourStrength * gh) / (n + p.hourStrength);
    tilted[s] = gd > 0 && gh > 0 ? base[s]! * (dayShare / gd) * (hourShare / gh) : 0;
  }
  const tiltedPattern = normalise(tilted);
  const own = normalise(smoothCircular(counts.slots, p.slotBandwidth));
  const ownWeight = n / (n + p.slotStrength);
  for (let s = 0; s < HOURS_PER_WEEK; s++) {
    out[s] = (1 - p.exploration) * (ownWeight * own[s]! + (1 - ownWeight) * tiltedPattern[s]!) + uniform;
  }
  return out;
}

/**
 * The `count` best hours to reach someone when an engagement within ±`windowHours` counts: each pick
 * is the hour whose window holds the most probability not already covered by earlier picks.
 */
export function bestSlots(pattern: ArrayLike<number>, count = 3, windowHours = 1): number[] {
  const covered = new Uint8Array(HOURS_PER_WEEK);
  const picks: number[] = [];
  for (let k = 0; k < count; k++) {
    let best = -1;
    let bestMass = -1;
    for (let s = 0; s < HOURS_PER_WEEK; s++) {
      if (picks.includes(s)) continue;
      let mass = 0;
      for (let d = -windowHours; d <= windowHours; d++) {
        const t = (s + d + HOURS_PER_WEEK) % HOURS_PER_WEEK;
        if (!covered[t]) mass += pattern[t]!;
      }
      if (mass > bestMass) {
        bestMass = mass;
        best = s;
      }
    }
    picks.push(best);
    for (let d = -windowHours; d <= windowHours; d++) covered[(best + d + HOURS_PER_WEEK) % HOURS_PER_WEEK] = 1;
  }
  return picks;
}
