import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { trainedModelModel } from '../../src/db/models/trained-model.ts';
import { customersAsOf, DAY_MS, dayStart, rfmCsv } from '../../src/backtest/customers-as-of.ts';
import { planPurchasePortal } from '../../src/backtest/plan-purchase-portal.ts';
import { parseCdnowPurchases, readPurchaseHistory, type Purchase } from '../../src/backtest/read-purchase-history.ts';
import { runHistoryBacktest } from '../../src/backtest/run-history-backtest.ts';
import { projectRoot } from '../../src/install/app-definition.ts';
import { CsvError } from '../../src/tabular/index.ts';
import { testMongoUri } from '../helpers/mongo.ts';

const AS_OF = '1997-09-30';
const cdnowLine = (p: Purchase) => ` ${p.customerId} ${p.day.replaceAll('-', '')}  ${p.quantity}   ${p.amount.toFixed(2)}`;
const header = ' customer_id  date number_of_cds  dollar_value';

/** Customers whose label can be checked by hand against the 90-day window (1997-09-30, 1997-12-29]. */
const handChecked: Purchase[] = [
  { customerId: '00001', day: '1997-01-05', quantity: 1, amount: 11.77 }, // one purchase, none later: churned
  { customerId: '00002', day: '1997-02-01', quantity: 2, amount: 20 },
  { customerId: '00002', day: '1997-10-15', quantity: 1, amount: 9.5 }, // bought in the window: stays
  { customerId: '00003', day: '1997-09-30', quantity: 3, amount: 30 }, // bought on the as-of day itself
  { customerId: '00003', day: '1997-12-30', quantity: 1, amount: 10 }, // a day after the window: churned
  { customerId: '00004', day: '1997-03-01', quantity: 1, amount: 15 },
  { customerId: '00004', day: '1997-12-29', quantity: 1, amount: 15 }, // the window's last day: stays
  { customerId: '00005', day: '1997-11-01', quantity: 1, amount: 12 }, // first bought after the as-of day: not a customer yet
];

test('the CDNOW file parses to purchases; a bad line says where and why', () => {
  const purchases = parseCdnowPurchases(`${header}\r\n 00002 19970112  5   77.00\r\n\r\n`);
  assert.deepEqual(purchases, [{ customerId: '00002', day: '1997-01-12', quantity: 5, amount: 77 }]);
  assert.throws(() => parseCdnowPurchases(`${header}\n 00002 19970231 1 7.00\n`, 'f.txt'), (e: Error) => e instanceof CsvError && /f\.txt line 2: "19970231" is not a date/.test(e.message));
  assert.throws(() => parseCdnowPurchases(`${header}\n 00002 19970201 1\n`, 'f.txt'), /line 2: expected 4 fields/);
  assert.throws(() => parseCdnowPurchases(`${header}\n 00002 19970201 1 x\n`, 'f.txt'), /line 2: "x" is not a dollar value/);
  assert.throws(() => parseCdnowPurchases(header), /no purchases/);
  assert.throws(() => readPurchaseHistory('/nonexistent/cdnow.txt', 'cdnow'), /cannot read \/nonexistent\/cdnow\.txt: ENOENT/);
});

test('customers as of a day: RFM and tenure from what came before, churn = no purchase in (as-of, as-of + horizon]', () => {
  const customers = customersAsOf(handChecked, AS_OF, 90);
  assert.deepEqual(customers.map((c) => c.customerId), ['00001', '00002', '00003', '00004'], 'a customer who first bought later is not in the table');
  const byId = new Map(customers.map((c) => [c.customerId, c]));
  assert.deepEqual(byId.get('00001'), { customerId: '00001', recencyDays: 268, frequency: 1, monetary: 11.77, tenureDays: 268, churned: 1 });
  assert.deepEqual(byId.get('00002'), { customerId: '00002', recencyDays: 241, frequency: 1, monetary: 20, tenureDays: 241, churned: 0 });
  assert.deepEqual(byId.get('00003'), { customerId: '00003', recencyDays: 0, frequency: 1, monetary: 30, tenureDays: 0, churned: 1 });
  assert.equal(byId.get('00004')!.churned, 0);
  assert.equal(customersAsOf(handChecked, AS_OF, 91).find((c) => c.customerId === '00003')!.churned, 0, 'a longer horizon reaches the purchase');
  assert.equal(rfmCsv(customers).split('\n')[0], 'customer_id,recency_days,frequency,monetary,tenure_days,churned');
  assert.equal(rfmCsv(customers).split('\n')[1], '00001,268,1,11.77,268,1');
});

test('the portal holds each customer as a contact that becomes a customer at its first purchase, and only purchases up to the as-of day', () => {
  const now = Date.UTC(2026, 5, 1);
  const plan = planPurchasePortal(handChecked, AS_OF, now);
  assert.deepEqual(plan.customerIds, ['00001', '00002', '00003', '00004']);
  assert.equal(plan.deals.length, 4);
  assert.equal(plan.hiddenPurchases, 4);
  assert.ok(plan.deals.every((d) => d.createdAt <= now), 'nothing after the as-of day');
  assert.equal(plan.shift, now - (dayStart(AS_OF) + DAY_MS));
  const second = plan.contacts[1];
  assert.equal(second.values.lifecyclestage, 'lead');
  assert.deepEqual(second.changes, [{ at: dayStart('1997-02-01') + 12 * 3_600_000 + plan.shift, values: { lifecyclestage: 'customer' } }]);
  const deal = plan.deals.find((d) => d.contact === 1)!;
  assert.deepEqual({ stage: deal.values.dealstage, amount: deal.values.amount, at: deal.createdAt }, { stage: 'closedwon', amount: '20', at: second.changes![0].at });
});

/**
 * A store's customers over 18 months, in CDNOW's format: each buys at a rate of their own until a
 * lifetime of their own ends, so recent and frequent buyers tend to buy again. Every purchase's
 * amount is unique (cents count the purchases), so a synced deal says which purchase it is.
 */
function syntheticPurchases(customers: number): Purchase[] {
  let seed = 11;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const end = dayStart('1998-06-30');
  const purchases: Purchase[] = [];
  for (let c = 1; c <= customers; c++) {
    const customerId = String(c).padStart(5, '0');
    let day = dayStart('1997-01-01') + Math.floor(rand() * 90) * DAY_MS;
    const lastDay = day + Math.floor(-Math.log(1 - rand()) * 200) * DAY_MS;
    const gapDays = 10 + rand() * 80;
    while (day <= Math.min(lastDay, end)) {
      purchases.push({ customerId, day: new Date(day).toISOString().slice(0, 10), quantity: 1 + Math.floor(rand() * 4), amount: 10 + purchases.length / 100 });
      day += Math.max(1, Math.round(-Math.log(1 - rand()) * gapDays)) * DAY_MS;
    }
  }
  return purchases;
}

function writeHistory(purchases: Purchase[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'propensity-history-')), 'transactions.txt');
  writeFileSync(file, [header, ...purchases.map(cdnowLine)].join('\n'));
  return file;
}

test('a purchase history backtest through the whole app: churn risk written for every test customer, scored against the true outcome, nothing after the as-of day synced', async () => {
  const purchases = syntheticPurchases(600);
  const file = writeHistory(purchases);
  const rfmFile = path.join(path.dirname(file), 'rfm.csv');
  const visibleAmounts = purchases.filter((p) => p.day <= AS_OF).map((p) => p.amount.toFixed(2)).sort();
  let synced: { amounts: string[]; latestDeal: number; trainedAt: number; holdoutEnd: number; churnKind: string } | undefined;
  const result = await runHistoryBacktest({
    history: 'cdnow', file, asOf: AS_OF, horizonDays: 90, split: 'mod5', rfmCsvFile: rfmFile,
    dataDir: path.join(projectRoot, '.data'), mongodbUri: await testMongoUri(), unthrottled: true, timeoutMs: 240_000,
    async inspect(connection, portalId) {
      const deals = await crmObjectModel(connection).find({ portalId, objectType: 'deals' }).lean();
      const model = await trainedModelModel(connection).findOne({ portalId, objectType: 'contacts', target: 'churn', status: 'current' }).lean();
      synced = {
        amounts: deals.map((d) => Number(d.properties.find((p) => p.name === 'amount')?.value).toFixed(2)).sort(),
        latestDeal: Math.max(...deals.map((d) => d.createdAt!.getTime())),
        trainedAt: model!.trainedAt.getTime(),
        holdoutEnd: model!.window!.holdoutAt!.getTime() + 90 * DAY_MS,
        churnKind: (model!.labelSettings as { churn: { kind: string } }).churn.kind,
      };
    },
  });
  const customers = customersAsOf(purchases, AS_OF, 90);
  assert.equal(result.customers, customers.length);
  assert.equal(result.n_test, customers.filter((_, i) => i % 5 === 4).length);
  assert.equal(result.positives_test, customers.filter((c, i) => i % 5 === 4 && c.churned === 1).length);
  assert.equal(result.purchases_loaded + result.purchases_hidden, purchases.length);
  assert.match(result.model, /churn-1/, 'a learned churn model, not the rule model');
  assert.ok(result.auc > 0.7, `AUC of the written churn risk ${result.auc}`);
  for (const key of ['auc', 'logloss', 'brier', 'train_s', 'score_s', 'n_train', 'n_test', 'positives_test', 'split', 'sync_s', 'hubspot_calls', 'as_of', 'horizon_days']) assert.ok(key in result, key);
  assert.equal(result.split, 'mod5');
  assert.equal(result.horizon_days, 90);

  assert.ok(synced);
  assert.equal(synced.churnKind, 'no-new-won-deal', 'trained on the transactional churn definition');
  assert.deepEqual(synced.amounts, visibleAmounts, 'exactly the purchases up to the as-of day were synced, none after');
  assert.ok(synced.latestDeal <= synced.trainedAt, 'no deal is dated after the training run');
  assert.ok(synced.holdoutEnd <= synced.trainedAt, 'every training label lies before the as-of day');
  assert.equal(readFileSync(rfmFile, 'utf8'), rfmCsv(customers), 'the peers\' table is the same customers with the same labels');
});

const cdnow = path.resolve(projectRoot, '../shared/datasets/cdnow-transactions/CDNOW_master.txt');

test('CDNOW: real customers\' labels check by hand, and a slice of the real history backtests through the app', { skip: !existsSync(cdnow) && 'the shared CDNOW data set is not here' }, async () => {
  const purchases = readPurchaseHistory(cdnow, 'cdnow');
  assert.equal(purchases.length, 69_659);
  const customers = customersAsOf(purchases, AS_OF, 90);
  assert.equal(customers.length, 23_570, 'every CDNOW customer first bought in Q1 1997');
  const byId = new Map(customers.map((c) => [c.customerId, c]));
  // 00001 bought once on 1997-01-01; 00003 again on 1997-11-15; 00009 not until 1998-06-08.
  assert.equal(byId.get('00001')!.churned, 1);
  assert.deepEqual(byId.get('00003'), { customerId: '00003', recencyDays: 181, frequency: 3, monetary: 61.06, tenureDays: 271, churned: 0 });
  assert.equal(byId.get('00009')!.churned, 1);
  assert.equal(customersAsOf(purchases, AS_OF, 273).filter((c) => c.churned === 1).length / customers.length > 0.7, true, 'the data set\'s common label (no purchase to 1998-06-30) is about 70 % positive');

  // Every 20th customer: a real history small enough for a test.
  const slice = purchases.filter((p) => Number(p.customerId) % 20 === 0);
  const result = await runHistoryBacktest({
    history: 'cdnow', file: writeHistory(slice), asOf: AS_OF, horizonDays: 90, split: 'mod5',
    dataDir: path.join(projectRoot, '.data'), mongodbUri: await testMongoUri(), unthrottled: true, timeoutMs: 240_000,
  });
  assert.equal(result.customers, 1_178);
  assert.match(result.model, /churn-1/);
  assert.ok(result.auc > 0.7, `AUC ${result.auc}`);
});
