/**
 * The 168 hours of the week: slot = day * 24 + hour, with Monday 00:00 as slot 0 (ISO weekday order).
 * Distances between slots wrap around the week (Sunday 23:00 is one hour before Monday 00:00).
 */
export const HOURS_PER_WEEK = 168;
export const HOURS_PER_DAY = 24;
export const DAYS_PER_WEEK = 7;

export const dayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** The slot of a wall-clock day of week (0 = Monday) and hour. */
export function slotOf(dayOfWeek: number, hour: number): number {
  return dayOfWeek * HOURS_PER_DAY + hour;
}

export function dayOfSlot(slot: number): number {
  return Math.floor(slot / HOURS_PER_DAY);
}

export function hourOfSlot(slot: number): number {
  return slot % HOURS_PER_DAY;
}

/** Hours between two slots, the short way round the week. */
export function slotDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % HOURS_PER_WEEK;
  return Math.min(d, HOURS_PER_WEEK - d);
}

/** The slot of an instant in a time zone given as minutes east of UTC (0 = the clock as written). */
export function slotOfInstant(ms: number, offsetMinutes = 0): number {
  const local = new Date(ms + offsetMinutes * 60_000);
  const day = (local.getUTCDay() + 6) % 7;
  return slotOf(day, local.getUTCHours());
}

/** A normalised copy of `weights` (all-zero gives the uniform week). */
export function normalise(weights: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  const out = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = total > 0 ? weights[i]! / total : 1 / weights.length;
  return out;
}
