/**
 * Realistic e-mail send and engagement histories for the sandbox and the tests: each contact has a
 * latent preferred hour of week; the portal sends mostly at its own habitual hour (send-time bias)
 * and sometimes at other times; after a send, a contact may open soon after it arrives (the
 * impulse opens that make raw open hours echo the send schedule), or later, at their preferred
 * hour; clicks follow some opens; Apple Mail Privacy Protection users produce an open at delivery
 * for every send. Seeded, so the same seed gives the same history.
 */
import type { ContactEngagement } from '../../send-time/engagement-times.ts';
import { nextTimeInSlot } from '../../send-time/local-clock.ts';
import { mulberry32 } from '../random.ts';

export interface EngagementHistoryOptions {
  contacts: number;
  seed: number;
  /** The end of the history (ms). */
  now: number;
  weeks?: number;
  /** The portal's habitual send hour of week (default Tuesday 10:00). */
  portalSendSlot?: number;
  /** Share of sends at the portal's habitual hour. */
  sendBias?: number;
  /** Share of contacts whose mail client prefetches (an open at delivery for every send). */
  proxyShare?: number;
  /** Chance that a send gets an impulse open within two hours of delivery. */
  impulseOpen?: number;
  /** Chance that a send gets an open at the contact's preferred hour. */
  preferredOpen?: number;
  timeZone?: string;
}

export interface PlantedContact extends ContactEngagement {
  preferredSlot: number;
  proxy: boolean;
}

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

export function generateEngagementHistory(options: EngagementHistoryOptions): PlantedContact[] {
  const random = mulberry32(options.seed);
  const weeks = options.weeks ?? 26;
  const portalSendSlot = options.portalSendSlot ?? 24 + 10;
  const sendBias = options.sendBias ?? 0.7;
  const proxyShare = options.proxyShare ?? 0.4;
  const impulseOpen = options.impulseOpen ?? 0.45;
  const preferredOpen = options.preferredOpen ?? 0.3;
  const zone = options.timeZone ?? 'UTC';
  const start = options.now - weeks * WEEK_MS;
  const contacts: PlantedContact[] = [];
  for (let i = 0; i < options.contacts; i++) {
    // People prefer waking hours: a preferred day, an hour between 7:00 and 21:59.
    const preferredSlot = Math.floor(random() * 7) * 24 + 7 + Math.floor(random() * 15);
    const proxy = random() < proxyShare;
    const contact: PlantedContact = { contact: `c${i}`, timeZone: zone, sends: [], engagements: [], preferredSlot, proxy };
    const sendsPerWeek = 0.5 + random() * 1.5;
    for (let t = start + random() * WEEK_MS; t < options.now - 3 * 24 * HOUR_MS; t += WEEK_MS / sendsPerWeek) {
      const slot = random() < sendBias ? portalSendSlot : Math.floor(random() * 168);
      const send = nextTimeInSlot(slot, t, zone) + Math.floor(random() * 10) * 60_000;
      if (send >= options.now) break;
      contact.sends.push(send);
      if (proxy) contact.engagements.push({ at: send + Math.floor(random() * 3) * 60_000, kind: 'open' });
      const engage = (at: number) => {
        if (at >= options.now) return;
        contact.engagements.push({ at, kind: 'open' });
        if (random() < 0.3) contact.engagements.push({ at: at + Math.floor(random() * 20) * 60_000, kind: 'click' });
      };
      if (random() < impulseOpen) engage(send + (10 + random() * 110) * 60_000);
      if (random() < preferredOpen) engage(nextTimeInSlot(preferredSlot, send, zone) + Math.floor(random() * 60) * 60_000);
    }
    contacts.push(contact);
  }
  return contacts;
}
