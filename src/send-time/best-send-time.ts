/**
 * Each contact's next best send time: their engagement pattern over the week (send-relative
 * evidence, `engagement-times.ts`, shrunk towards their segment's and the portal's pattern,
 * `week-pattern.ts`), its best hour (`bestSlots`, an hour with the most engagement within ±1 h), and
 * the next time that hour comes round on the contact's clock — always in the future, so a periodic
 * job that re-decides keeps it ahead of now. A stable share of contacts (the holdout, chosen by a
 * hash of the contact id) gets a random hour of the same week-ahead window instead, so chosen and
 * random times can be compared. Plain data in, plain data out.
 */
import { createHash } from 'node:crypto';
import { dayNames, dayOfSlot, hourOfSlot } from './hour-of-week.ts';
import { engagementEvidence, type ContactEngagement } from './engagement-times.ts';
import { fitWeekPatternParameters } from './fit-week-pattern.ts';
import { nextTimeInSlot } from './local-clock.ts';
import { bestSlots, defaultWeekPatternParameters, fitWeekPattern, personPattern, type WeekPatternParameters } from './week-pattern.ts';

export interface SendTimeDecision {
  contact: string;
  /** Hour of week (0 = Monday 00:00) on the contact's clock. */
  slot: number;
  /** The next time that hour comes round (ms since epoch), after `now`. */
  sendAt: number;
  /** In the holdout: a random hour of the week ahead, for measuring lift. */
  holdout: boolean;
  reason: string;
}

export interface SendTimeOptions {
  now: number;
  /** Share of contacts in the random-time holdout, 0..1. */
  holdoutShare: number;
  portalTimeZone?: string;
  /** Contact -> segment (e.g. lifecycle stage), for shrinking towards the segment's pattern. */
  segmentOf?: ReadonlyMap<string, string>;
  /** Fitted on held-out engagement when there is enough of it, else the defaults. */
  parameters?: WeekPatternParameters;
}

/** Fewest weighted engagement events for fitting the settings on held-out data. */
export const MIN_EVENTS_TO_FIT = 300;
const WEEK_MS = 7 * 86_400_000;

/** A stable number in [0, 1) from `text`. */
export function stableUniform(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

export function isSendTimeHoldout(contact: string, share: number): boolean {
  return stableUniform(`send-time-holdout:${contact}`) < share;
}

export function partOfDay(hour: number): string {
  if (hour < 5) return 'nights';
  if (hour < 12) return 'mornings';
  if (hour < 17) return 'afternoons';
  if (hour < 22) return 'evenings';
  return 'nights';
}

/** "Tuesday mornings" for an hour of week. */
export function describeSlot(slot: number): string {
  return `${dayNames[dayOfSlot(slot)]} ${partOfDay(hourOfSlot(slot))}`;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface SendTimePlan {
  decisions: SendTimeDecision[];
  /** The portal's engagement pattern over the week (sums to 1), for the heat map. */
  portalPattern: number[];
  parameters: WeekPatternParameters;
}

export function decideSendTimes(contacts: readonly ContactEngagement[], options: SendTimeOptions): SendTimePlan {
  const { events, tallies } = engagementEvidence(contacts, { portalTimeZone: options.portalTimeZone });
  const parameters = options.parameters
    ?? (events.length >= MIN_EVENTS_TO_FIT ? fitWeekPatternParameters(events, options.segmentOf).parameters : defaultWeekPatternParameters);
  const model = fitWeekPattern(events, options.now, parameters, options.segmentOf);
  const week = Math.floor(options.now / WEEK_MS);
  const decisions = contacts.map((c): SendTimeDecision => {
    const zone = c.timeZone ?? options.portalTimeZone ?? 'UTC';
    if (isSendTimeHoldout(c.contact, options.holdoutShare)) {
      const slot = Math.floor(stableUniform(`send-time-random:${c.contact}:${week}`) * 168);
      return { contact: c.contact, slot, sendAt: nextTimeInSlot(slot, options.now, zone), holdout: true, reason: 'random time in the week ahead (send-time holdout, for measuring lift)' };
    }
    const [slot] = bestSlots(personPattern(model, c.contact), 1, 1) as [number];
    const tally = tallies.get(c.contact);
    const counted = tally ? [[tally.clicks, 'click'], [tally.opens, 'open'], [tally.visits, 'visit'], [tally.activities, 'activity']] as const : [];
    const main = [...counted].sort((a, b) => b[0] - a[0])[0];
    let reason: string;
    if (!tally || !main || main[0] === 0) {
      reason = `no engagement of their own yet: when this portal's contacts engage most (${describeSlot(slot)})`;
    } else {
      const verb = { click: 'clicks', open: 'opens', visit: 'visits', activity: 'engages' }[main[1]];
      const since = new Date(tally.since);
      const sameYear = since.getUTCFullYear() === new Date(options.now).getUTCFullYear();
      const sinceText = `${monthNames[since.getUTCMonth()]}${sameYear ? '' : ` ${since.getUTCFullYear()}`}`;
      const what = main[1] === 'activity' ? plural(main[0], 'activity').replace('activitys', 'activities') : plural(main[0], main[1]);
      reason = `usually ${verb} ${describeSlot(slot)}; ${what} since ${sinceText}`;
    }
    return { contact: c.contact, slot, sendAt: nextTimeInSlot(slot, options.now, zone), holdout: false, reason };
  });
  return { decisions, portalPattern: Array.from(model.everyone), parameters };
}
