/**
 * A purchase history as a HubSpot portal's CRM history as of a day, for a churn backtest: each
 * customer a contact (a lead that becomes a customer at the first purchase), each purchase on or
 * before the as-of day a closed-won deal dated at the purchase, with its amount, associated to the
 * contact. Purchases after the as-of day are left out entirely: the portal's history ends where the
 * backtest's outcome window starts, so nothing about the outcome can reach training. Times are moved
 * so that the end of the as-of day is `now` (the app trains and scores as of its own clock). Pure.
 */
import type { ImportedRecord } from '../sandbox/history/import-records.ts';
import { compareCustomerIds, DAY_MS, dayStart } from './customers-as-of.ts';
import type { Purchase } from './read-purchase-history.ts';

export interface PurchasePortalPlan {
  /** One per customer who bought on or before the as-of day, in customer-id order. */
  contacts: ImportedRecord[];
  customerIds: string[];
  /** Each with the index (in `contacts`) of the contact it belongs to. */
  deals: (ImportedRecord & { contact: number })[];
  /** Purchases after the as-of day, not loaded. */
  hiddenPurchases: number;
  /** What a time in the purchase history becomes in the portal: `time + shift`. */
  shift: number;
}

/** Purchases are placed at noon of their day (the file knows only the day). */
const PURCHASE_HOUR_MS = 12 * 3_600_000;

export function planPurchasePortal(purchases: Purchase[], asOf: string, now: number): PurchasePortalPlan {
  const asOfEnd = dayStart(asOf) + DAY_MS;
  const shift = now - asOfEnd;
  const visible = purchases
    .map((p) => ({ ...p, at: dayStart(p.day) + PURCHASE_HOUR_MS + shift }))
    .filter((p) => p.at <= now)
    .sort((a, b) => compareCustomerIds(a.customerId, b.customerId) || a.at - b.at);
  const customerIds: string[] = [];
  const contacts: ImportedRecord[] = [];
  const deals: PurchasePortalPlan['deals'] = [];
  for (const p of visible) {
    if (customerIds[customerIds.length - 1] !== p.customerId) {
      customerIds.push(p.customerId);
      contacts.push({
        createdAt: dayStart(p.day) + shift,
        values: { lifecyclestage: 'lead' },
        changes: [{ at: p.at, values: { lifecyclestage: 'customer' } }],
      });
    }
    deals.push({
      contact: customerIds.length - 1,
      createdAt: p.at,
      values: {
        dealname: `Order of ${p.quantity} CD${p.quantity === 1 ? '' : 's'}`,
        pipeline: 'default',
        dealstage: 'closedwon',
        hs_is_closed: 'true',
        hs_is_closed_won: 'true',
        amount: String(p.amount),
        closedate: new Date(p.at).toISOString(),
      },
    });
  }
  return { contacts, customerIds, deals, hiddenPurchases: purchases.length - visible.length, shift };
}
