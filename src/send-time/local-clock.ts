/**
 * Hours of the week on a contact's (or the portal's) clock: an IANA time zone (`Europe/London`), with
 * daylight saving handled by `Intl`. Unknown zones fall back to UTC; `isTimeZone` tells them apart.
 */
import { slotOf } from './hour-of-week.ts';

const HOUR_MS = 3_600_000;
const QUARTER_MS = 900_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  const timeZone = isTimeZone(zone) ? zone : 'UTC';
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' })));
  return f;
}

/**
 * Quarter-hour index -> hour of week, per zone (every zone's offset is a whole number of quarter
 * hours): histories cover few distinct quarter hours, asked about often.
 */
const slotCache = new Map<string, Map<number, number>>();
const MAX_CACHED_HOURS = 200_000;

/** The hour of week of an instant on the clock of `zone`. */
export function localSlot(ms: number, zone = 'UTC'): number {
  const hourIndex = Math.floor(ms / QUARTER_MS);
  let cache = slotCache.get(zone);
  if (!cache) slotCache.set(zone, (cache = new Map()));
  const cached = cache.get(hourIndex);
  if (cached !== undefined) return cached;
  const parts = formatter(zone).formatToParts(new Date(hourIndex * QUARTER_MS));
  const day = weekdays[parts.find((p) => p.type === 'weekday')!.value]!;
  const hour = Number(parts.find((p) => p.type === 'hour')!.value) % 24;
  if (cache.size >= MAX_CACHED_HOURS) cache.clear();
  const slot = slotOf(day, hour);
  cache.set(hourIndex, slot);
  return slot;
}

/**
 * The first whole hour strictly after `after` that falls in `slot` on the clock of `zone` (within
 * 8 days, so an hour the clock skips this week, lost to daylight saving, is next week's).
 */
export function nextTimeInSlot(slot: number, after: number, zone = 'UTC'): number {
  let t = Math.floor(after / HOUR_MS) * HOUR_MS + HOUR_MS;
  for (let i = 0; i < 8 * 24; i++, t += HOUR_MS) if (localSlot(t, zone) === slot) return t;
  throw new Error(`hour of week ${slot} does not occur in ${zone} within 8 days`);
}
