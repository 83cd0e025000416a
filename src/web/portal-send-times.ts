/**
 * The "Best send times" part of a portal's page and `GET /portals/:portalId/api/send-times`: the
 * portal's send-time summary (written by each whole-portal scoring run of its contacts) as plain
 * data — the engagement pattern over the 168 hours of the week in the portal's time zone, and the
 * engagement within 24 h of a send at chosen times vs random (holdout) times, with the difference
 * and its 95 % interval once both arms have enough sends. Read-only.
 */
import type { Connection } from 'mongoose';
import { sendTimeSummaryModel } from '../db/models/send-time-summary.ts';
import { HOURS_PER_WEEK } from '../send-time/hour-of-week.ts';

export const NO_SEND_TIMES_MESSAGE = 'No send times decided yet: they are decided at the next scoring run';

export interface SendTimeArm {
  sends: number;
  engaged: number;
}

export interface SendTimesSummary {
  /** True when the difference and its interval are there (both arms had enough sends). */
  measured: boolean;
  timeZone: string;
  /** 168 shares summing to 1, hour 0 = Monday 00:00–00:59 in `timeZone`. */
  pattern: number[];
  contacts: number;
  holdoutShare: number;
  chosen: SendTimeArm;
  random: SendTimeArm;
  /** Chosen minus random engagement rate (0..1 scale), null until measured. */
  difference: number | null;
  low: number | null;
  high: number | null;
  message: string;
  computedAt: Date;
}

export type SendTimesAnswer = SendTimesSummary | { measured: false; message: string };

export function hasSummary(answer: SendTimesAnswer): answer is SendTimesSummary {
  return 'pattern' in answer;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A share of the week read from the stored pattern: anything but a finite, non-negative number reads 0. */
const share = (x: unknown) => (finite(x) && x > 0 ? x : 0);

export async function portalSendTimes(connection: Connection, portalId: number): Promise<SendTimesAnswer> {
  const doc = await sendTimeSummaryModel(connection).findOne({ portalId }).lean();
  if (!doc) return { measured: false, message: NO_SEND_TIMES_MESSAGE };
  const measured = finite(doc.difference) && finite(doc.low) && finite(doc.high);
  return {
    measured,
    timeZone: doc.timeZone,
    pattern: Array.from({ length: HOURS_PER_WEEK }, (_, slot) => share(doc.pattern[slot])),
    contacts: doc.contacts,
    holdoutShare: doc.holdoutShare,
    chosen: { sends: doc.chosen.sends, engaged: doc.chosen.engaged },
    random: { sends: doc.random.sends, engaged: doc.random.engaged },
    difference: measured ? doc.difference! : null,
    low: measured ? doc.low! : null,
    high: measured ? doc.high! : null,
    message: doc.message,
    computedAt: doc.computedAt,
  };
}
