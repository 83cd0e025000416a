/**
 * A churn backtest of a purchase history through the whole app: the purchases up to the as-of day
 * become a sandbox portal's contacts and closed-won deals (plan-purchase-portal.ts), the portal's
 * churn outcome is set to "no new closed-won deal within the horizon" (how a transactional business
 * sees churn), the app runs on it (run-in-sandbox-portal.ts), and the churn risk it wrote is scored
 * against what each customer really did in (as-of, as-of + horizon] (customers-as-of.ts). The test
 * rows are the customers peers.py tests on in the RFM table of the same history.
 */
import { writeFileSync } from 'node:fs';
import type { Connection } from 'mongoose';
import { importRecords } from '../sandbox/history/import-records.ts';
import { CsvError, splitRows, type SplitRule } from '../tabular/index.ts';
import { customersAsOf, rfmCsv } from './customers-as-of.ts';
import { planPurchasePortal } from './plan-purchase-portal.ts';
import { isDay, readPurchaseHistory, type HistoryFormat } from './read-purchase-history.ts';
import { scoreWritten, type BacktestResult } from './run-backtest.ts';
import { runInSandboxPortal, type AppRunOptions } from './run-in-sandbox-portal.ts';

/** The app's default horizon: CDNOW's history (from 1997-01-01) leaves 5 training snapshots before 1997-09-30 with it. */
export const DEFAULT_HISTORY_HORIZON_DAYS = 90;

export interface HistoryBacktestOptions extends AppRunOptions {
  history: HistoryFormat;
  file: string;
  asOf: string;
  horizonDays: number;
  split: SplitRule;
  /** Also writes the customers' RFM features and churn labels here, for peers.py. */
  rfmCsvFile?: string;
  /** Looks at the app's database before it is dropped (tests). */
  inspect?: (connection: Connection, portalId: number) => Promise<void>;
}

export interface HistoryBacktestResult extends BacktestResult {
  as_of: string;
  horizon_days: number;
  customers: number;
  purchases_loaded: number;
  /** Purchases after the as-of day, never loaded into the portal. */
  purchases_hidden: number;
}

export async function runHistoryBacktest(o: HistoryBacktestOptions): Promise<HistoryBacktestResult> {
  if (!isDay(o.asOf)) throw new CsvError(`--as-of must be a day written YYYY-MM-DD, not "${o.asOf}"`);
  const purchases = readPurchaseHistory(o.file, o.history);
  const customers = customersAsOf(purchases, o.asOf, o.horizonDays);
  if (customers.length === 0) throw new CsvError(`${o.file} has no purchase on or before ${o.asOf}`);
  if (o.rfmCsvFile) writeFileSync(o.rfmCsvFile, rfmCsv(customers));
  const plan = planPurchasePortal(purchases, o.asOf, Date.now());
  if (plan.customerIds.join() !== customers.map((c) => c.customerId).join()) throw new Error('the portal plan and the outcomes disagree on the customers');
  const split = splitRows(customers.length, o.split);
  const outcome = await runInSandboxPortal(o, {
    target: 'churn',
    property: 'propensity_churn_risk',
    settings: { labels: { churn: { kind: 'no-new-won-deal' }, horizonDays: o.horizonDays } },
    inspect: o.inspect,
    load(portal) {
      const contactIds = importRecords(portal, 'contacts', [], plan.contacts);
      importRecords(portal, 'deals', [], plan.deals.map(({ contact, ...deal }) => ({ ...deal, associations: [{ toType: 'contacts', toId: contactIds[contact] }] })));
      return {
        readIds: Array.from(split.test, (i) => contactIds[i]),
        loaded: `loaded ${customers.length} customers as contacts and their ${plan.deals.length} purchases up to ${o.asOf} as closed-won deals (${plan.hiddenPurchases} later purchases left out)`,
      };
    },
  });
  const labels = Array.from(split.test, (i) => customers[i].churned as number);
  // The churn risk is written as a whole score, 0–100.
  return {
    ...scoreWritten(outcome, outcome.values.map((v) => Number(v) / 100), labels, o.split),
    as_of: o.asOf,
    horizon_days: o.horizonDays,
    customers: customers.length,
    purchases_loaded: plan.deals.length,
    purchases_hidden: plan.hiddenPurchases,
  };
}
