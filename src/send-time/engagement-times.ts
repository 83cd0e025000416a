/**
 * A contact's e-mail sends and engagements turned into week-pattern evidence, corrected for when the
 * messages were sent: opens cluster in the hours after any send, so the raw histogram of open hours
 * mostly records the send schedule. Each engagement after a send counts as evidence of engaging in
 * its hour *given a message was waiting*, weighted by a shrunk inverse of how much waiting there was
 * in that hour of week:
 *   exposure(s) = Σ over the contact's sends of lag(hours since the send) in hour of week s
 *   weight      = 2·ē / (exposure(s) + ē),  ē the contact's mean exposure per hour of week
 * where lag(k) is the portal's share of engagements k hours after the latest send (k < 72), pooled
 * over all contacts. So an hour in which messages were always waiting counts less than an hour a
 * contact engages in although messages rarely were. Weights stay between 0 and 2.
 *
 * Signals differ in trust: a click or a visit counts fully, an open less, and an open at delivery
 * (within `PROXY_OPEN_MINUTES` of the send, what Apple Mail Privacy Protection's prefetch creates)
 * very little. Engagements without a send before them (visits, sales activity) count by signal only.
 */
import { localSlot } from './local-clock.ts';
import type { WeekEvent } from './week-pattern.ts';

export type EngagementKind = 'open' | 'click' | 'visit' | 'activity';

export interface ContactEngagement {
  contact: string;
  /** IANA time zone of the contact, or undefined for the portal's. */
  timeZone?: string;
  sends: number[];
  engagements: { at: number; kind: EngagementKind }[];
}

export const signalWeights: Record<EngagementKind | 'proxy-open', number> = {
  click: 1,
  visit: 1,
  activity: 0.8,
  open: 0.5,
  'proxy-open': 0.05,
};

export const PROXY_OPEN_MINUTES = 5;
export const WAITING_HOURS = 72;
const HOUR_MS = 3_600_000;

/** The latest send at or before `at`, or undefined. `sends` sorted ascending. */
function latestSendBefore(sends: readonly number[], at: number): number | undefined {
  let lo = 0;
  let hi = sends.length - 1;
  let found: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sends[mid]! <= at) {
      found = sends[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The portal's pooled lag profile: share of e-mail engagements 0..71 hours after the latest send (add-one smoothed). */
export function lagProfile(contacts: readonly ContactEngagement[]): Float64Array {
  const counts = new Float64Array(WAITING_HOURS).fill(1);
  for (const c of contacts) {
    const sends = [...c.sends].sort((a, b) => a - b);
    for (const e of c.engagements) {
      if (e.kind !== 'open' && e.kind !== 'click') continue;
      const send = latestSendBefore(sends, e.at);
      if (send === undefined) continue;
      const lag = Math.floor((e.at - send) / HOUR_MS);
      if (lag < WAITING_HOURS) counts[lag]! += 1;
    }
  }
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / total);
}

export interface EngagementEvidence {
  events: WeekEvent[];
  /** Per contact: how many of each kind of engagement, and since when (for reasons). */
  tallies: Map<string, { opens: number; clicks: number; visits: number; activities: number; proxyOpens: number; since: number }>;
}

export function engagementEvidence(contacts: readonly ContactEngagement[], options: { portalTimeZone?: string; sendRelative?: boolean } = {}): EngagementEvidence {
  const lag = lagProfile(contacts);
  const sendRelative = options.sendRelative ?? true;
  const events: WeekEvent[] = [];
  const tallies: EngagementEvidence['tallies'] = new Map();
  for (const c of contacts) {
    const zone = c.timeZone ?? options.portalTimeZone ?? 'UTC';
    const sends = [...c.sends].sort((a, b) => a - b);
    const exposure = new Float64Array(168);
    for (const send of sends) {
      for (let k = 0; k < WAITING_HOURS; k++) exposure[localSlot(send + k * HOUR_MS, zone)]! += lag[k]!;
    }
    const meanExposure = exposure.reduce((a, b) => a + b, 0) / 168;
    const tally = { opens: 0, clicks: 0, visits: 0, activities: 0, proxyOpens: 0, since: Infinity };
    for (const e of c.engagements) {
      const slot = localSlot(e.at, zone);
      const send = latestSendBefore(sends, e.at);
      const isEmail = e.kind === 'open' || e.kind === 'click';
      const proxy = e.kind === 'open' && send !== undefined && e.at - send <= PROXY_OPEN_MINUTES * 60_000;
      let weight = signalWeights[proxy ? 'proxy-open' : e.kind];
      if (sendRelative && isEmail && send !== undefined && e.at - send < WAITING_HOURS * HOUR_MS && meanExposure > 0) {
        weight *= (2 * meanExposure) / (exposure[slot]! + meanExposure);
      }
      events.push({ person: c.contact, slot, at: e.at, weight });
      if (proxy) tally.proxyOpens += 1;
      else if (e.kind === 'open') tally.opens += 1;
      else if (e.kind === 'click') tally.clicks += 1;
      else if (e.kind === 'visit') tally.visits += 1;
      else tally.activities += 1;
      if (!proxy) tally.since = Math.min(tally.since, e.at);
    }
    tallies.set(c.contact, tally);
  }
  return { events, tallies };
}
