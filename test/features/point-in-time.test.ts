import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildScoringTable, buildTrainingTable, featureNames, type PortalHistory } from '../../src/features/build-features.ts';
import { RecordHistory, type StoredRecord } from '../../src/features/crm-history.ts';
import { DAY_MS, defaultLabelSettings } from '../../src/features/label-settings.ts';
import { planFeatures } from '../../src/features/plan-features.ts';

const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * DAY_MS);

function contact(id: string, props: Record<string, [number, string][]>): StoredRecord {
  const history = Object.entries(props).map(([name, changes]) => ({ name, entries: changes.map(([d, value]) => ({ value, at: day(d) })).reverse() }));
  const properties = Object.entries(props).filter(([, changes]) => changes.length > 0).map(([name, changes]) => ({ name, value: changes[changes.length - 1][1] }));
  return { objectId: id, properties, history, createdAt: day(0), updatedAt: day(400) };
}

test('values are read as they were at T, never after', () => {
  const record = new RecordHistory(contact('1', { hs_analytics_num_page_views: [[0, '1'], [50, '5'], [120, '40']] }));
  assert.equal(record.valueAt('hs_analytics_num_page_views', day(10).getTime()), '1');
  assert.equal(record.valueAt('hs_analytics_num_page_views', day(50).getTime()), '5');
  assert.equal(record.valueAt('hs_analytics_num_page_views', day(119).getTime()), '5');
  assert.equal(record.valueAt('hs_analytics_num_page_views', day(-1).getTime()), undefined);
});

function portal(n: number): PortalHistory {
  const records: RecordHistory[] = [];
  for (let i = 0; i < n; i++) {
    const converts = i % 3 === 0;
    const convertDay = 200 + (i % 40);
    records.push(new RecordHistory(contact(String(i), {
      lifecyclestage: converts ? [[0, 'lead'], [convertDay, 'customer']] : [[0, 'lead']],
      hs_analytics_num_page_views: [[0, '0'], [150, String(converts ? 30 + (i % 7) : i % 5)]],
      hs_analytics_source: [[0, i % 2 ? 'ORGANIC_SEARCH' : 'PAID_SOCIAL']],
      // Leaky: written by sales at the moment of conversion.
      converted_flag: converts ? [[convertDay, 'yes']] : [[convertDay, 'no']],
      // Leaky by rule: the label's own property and a stage date.
      hs_lifecyclestage_customer_date: converts ? [[convertDay, day(convertDay).toISOString()]] : [],
      propensity_lead_score: [[100, converts ? '99' : '1']],
    })));
  }
  return { records, companies: new Map(), dealsByRecord: new Map() };
}

test('a planted leaky property is never a feature, and is invisible before the outcome', () => {
  const history = portal(300);
  const plan = planFeatures(history.records, [], 'lead', defaultLabelSettings);
  const names = featureNames(plan);
  const all = [...names.numeric, ...names.categorical];
  assert.ok(!all.some((n) => n.startsWith('lifecyclestage')), 'the label\'s own property is excluded');
  assert.ok(!all.some((n) => n.includes('hs_lifecyclestage_customer_date')), 'stage dates are excluded');
  assert.ok(!all.some((n) => n.includes('propensity_')), 'the app\'s outputs are excluded');
  assert.ok(all.includes('hs_analytics_source'));
  assert.ok(all.includes('hs_analytics_num_page_views (last 30 days)'));

  const snapshot = day(180).getTime();
  const table = buildTrainingTable(plan, history, 'lead', defaultLabelSettings, [snapshot], day(400).getTime());
  assert.ok(table.labels, 'labelled');
  assert.equal(table.rowCount, 300);
  const leak = table.categoricalNames.indexOf('converted_flag');
  if (leak >= 0) {
    // A value written after T must be missing at T for every row.
    assert.ok(table.categorical[leak].every((v) => v === null), 'converted_flag is unknown at T');
  }
  const positives = table.labels!.reduce((a, b) => a + b, 0);
  assert.equal(positives, 100, 'the converters (1 in 3) are labelled 1');
  const views = table.numericNames.indexOf('hs_analytics_num_page_views');
  for (let r = 0; r < table.rowCount; r++) {
    assert.ok(table.numeric[views][r] <= 36, 'page view counts are the values at T');
  }
});

test('the population excludes customers and records created after T; rows to score use now', () => {
  const history = portal(30);
  const plan = planFeatures(history.records, [], 'lead', defaultLabelSettings);
  const scoring = buildScoringTable(plan, history, 'lead', defaultLabelSettings, day(400).getTime());
  assert.equal(scoring.rowCount, 20, 'the 10 customers are not scored for conversion');
  assert.equal(scoring.labels, undefined);
  const early = buildTrainingTable(plan, history, 'lead', defaultLabelSettings, [day(-10).getTime()], day(400).getTime());
  assert.equal(early.rowCount, 0, 'nobody existed yet');
  const churn = buildScoringTable(planFeatures(history.records, [], 'churn', defaultLabelSettings), history, 'churn', defaultLabelSettings, day(400).getTime());
  assert.equal(churn.rowCount, 10, 'only customers are scored for churn');
});

test('no training row whose horizon has not passed', () => {
  const history = portal(30);
  const plan = planFeatures(history.records, [], 'lead', defaultLabelSettings);
  const table = buildTrainingTable(plan, history, 'lead', defaultLabelSettings, [day(350).getTime()], day(400).getTime());
  assert.equal(table.rowCount, 0);
});

test('a customer\'s won deals as of T: counts and amounts per window, recency, tenure as a customer, how often it buys; later deals unseen', () => {
  const deal = (id: string, wonDay: number, amount: string): RecordHistory => new RecordHistory({
    objectId: id, createdAt: day(wonDay), updatedAt: day(wonDay),
    properties: [{ name: 'dealstage', value: 'closedwon' }, { name: 'amount', value: amount }],
    history: [{ name: 'dealstage', entries: [{ value: 'closedwon', at: day(wonDay) }] }, { name: 'amount', entries: [{ value: amount, at: day(wonDay) }] }],
  });
  const customer = new RecordHistory(contact('c', { lifecyclestage: [[0, 'lead'], [10, 'customer']] }));
  const deals = [deal('d1', 10, '100'), deal('d2', 71, '50'), deal('d3', 95, '30'), deal('d4', 101, '999')];
  const history: PortalHistory = { records: [customer], companies: new Map(), dealsByRecord: new Map([['c', deals]]) };
  const plan = planFeatures([customer], [], 'churn', { ...defaultLabelSettings, churn: { kind: 'no-new-won-deal' } });
  const table = buildScoringTable(plan, history, 'churn', { ...defaultLabelSettings, churn: { kind: 'no-new-won-deal' } }, day(100).getTime());
  const value = (name: string) => table.numeric[table.numericNames.indexOf(name)][0];
  assert.equal(value('deals won'), 3, 'the deal won on day 101 is not known on day 100');
  assert.equal(value('won amount'), 180);
  assert.equal(value('days since last won deal'), 5);
  assert.equal(value('deals won (last 7 days)'), 1);
  assert.equal(value('won amount (last 30 days)'), 80);
  assert.equal(value('deals won (last 90 days)'), 2);
  assert.equal(value('days since first won deal'), 90);
  assert.equal(value('average won amount'), 60);
  assert.equal(value('deals won per 30 days as a customer'), 1);
  assert.equal(value('average days between won deals'), 42.5);
  assert.equal(value('days since last won deal over the average days between'), 5 / 42.5);
  assert.equal(value('days between the last two won deals'), 24);
});
