/**
 * Each customer as of a day, from purchase history alone: recency, frequency, monetary value and
 * tenure from the purchases on or before that day, and the transactional churn label — no purchase
 * in the horizon after it, (as-of, as-of + horizon] — from the purchases after. The one definition
 * both the backtest's true outcomes and the peers' RFM table use. Pure.
 */
import type { Purchase } from './read-purchase-history.ts';

export const DAY_MS = 86_400_000;

/** Midnight UTC at the start of a `YYYY-MM-DD` day, in ms. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export interface CustomerAsOf {
  customerId: string;
  /** Days from the last purchase to the as-of day (0: bought that day). */
  recencyDays: number;
  /** Purchases on or before the as-of day. */
  frequency: number;
  /** Dollars spent on or before the as-of day. */
  monetary: number;
  /** Days from the first purchase to the as-of day. */
  tenureDays: number;
  /** 1 when the customer made no purchase in (as-of, as-of + horizon]. */
  churned: 0 | 1;
}

/** Customer ids in a stable order: numerically when they are numbers, else as text. */
export function compareCustomerIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * Every customer who bought on or before `asOf`, in customer-id order.
 *
 * @example customersAsOf([{ customerId: '1', day: '1997-01-01', quantity: 1, amount: 10 }, { customerId: '1', day: '1997-02-01', quantity: 1, amount: 5 }], '1997-01-31', 90)
 * // => [{ customerId: '1', recencyDays: 30, frequency: 1, monetary: 10, tenureDays: 30, churned: 0 }]
 */
export function customersAsOf(purchases: Purchase[], asOf: string, horizonDays: number): CustomerAsOf[] {
  const asOfDay = dayStart(asOf);
  const horizonEnd = asOfDay + horizonDays * DAY_MS;
  const byCustomer = new Map<string, { first: number; last: number; frequency: number; monetary: number; boughtInHorizon: boolean }>();
  for (const p of purchases) {
    const day = dayStart(p.day);
    if (day > asOfDay) continue;
    const c = byCustomer.get(p.customerId);
    if (!c) byCustomer.set(p.customerId, { first: day, last: day, frequency: 1, monetary: p.amount, boughtInHorizon: false });
    else {
      c.first = Math.min(c.first, day);
      c.last = Math.max(c.last, day);
      c.frequency += 1;
      c.monetary += p.amount;
    }
  }
  for (const p of purchases) {
    const day = dayStart(p.day);
    const c = byCustomer.get(p.customerId);
    if (c && day > asOfDay && day <= horizonEnd) c.boughtInHorizon = true;
  }
  return [...byCustomer]
    .sort(([a], [b]) => compareCustomerIds(a, b))
    .map(([customerId, c]) => ({
      customerId,
      recencyDays: (asOfDay - c.last) / DAY_MS,
      frequency: c.frequency,
      monetary: Math.round(c.monetary * 100) / 100,
      tenureDays: (asOfDay - c.first) / DAY_MS,
      churned: c.boughtInHorizon ? 0 : 1,
    }));
}

/** The customers as a CSV for `peers.py` (target `churned`, positive `1`, drop `customer_id`). */
export function rfmCsv(customers: CustomerAsOf[]): string {
  const lines = ['customer_id,recency_days,frequency,monetary,tenure_days,churned'];
  for (const c of customers) lines.push(`${c.customerId},${c.recencyDays},${c.frequency},${c.monetary},${c.tenureDays},${c.churned}`);
  return `${lines.join('\n')}\n`;
}
