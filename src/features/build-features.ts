/**
 * Point-in-time feature rows: each record's state as it was at snapshot time T, rebuilt from property
 * history (values with timestamp <= T only), its recent activity, its company's firmographics and its
 * deals so far. Pure: histories, a plan and times in; a FeatureTable out.
 */
import { parseTime, type RecordHistory } from './crm-history.ts';
import { wonBetween } from './deal-outcomes.ts';
import { FeatureTableBuilder, type FeatureTable } from './feature-table.ts';
import { DAY_MS, type LabelSettings, type Target } from './label-settings.ts';
import { inPopulation, outcome, type Subject } from './labels.ts';
import type { FeaturePlan } from './plan-features.ts';

export const ACTIVITY_WINDOWS_DAYS = [7, 30, 90];

export interface PortalHistory {
  records: RecordHistory[];
  companies: Map<string, RecordHistory>;
  /** Deals by the id of the record they are associated with. */
  dealsByRecord: Map<string, RecordHistory[]>;
}

export function featureNames(plan: FeaturePlan): { numeric: string[]; categorical: string[] } {
  const numeric = [
    'tenure days',
    ...plan.numeric,
    ...plan.counters.flatMap((name) => [...ACTIVITY_WINDOWS_DAYS.map((d) => `${name} (last ${d} days)`), `${name} (days since last change)`]),
    ...plan.dates.map((name) => `${name} (days ago)`),
    ...plan.companyNumeric.map((name) => `company ${name}`),
    'deals created', 'deals won', 'won amount', 'open deals', 'days since last won deal',
    ...ACTIVITY_WINDOWS_DAYS.flatMap((d) => [`deals won (last ${d} days)`, `won amount (last ${d} days)`]),
    'days since first won deal', 'average won amount', 'deals won per 30 days as a customer',
    'average days between won deals', 'days since last won deal over the average days between', 'days between the last two won deals',
  ];
  const categorical = [...plan.categorical, ...plan.companyCategorical.map((name) => `company ${name}`)];
  return { numeric, categorical };
}

function numberAt(record: RecordHistory, name: string, time: number): number {
  const value = record.valueAt(name, time);
  if (value === undefined || value === '') return Number.NaN;
  const n = Number(value);
  return Number.isFinite(n) ? n : Number.NaN;
}

function subjectOf(history: PortalHistory, record: RecordHistory): Subject {
  return { record, deals: history.dealsByRecord.get(record.objectId) ?? [] };
}

/** One row's values, in featureNames(plan) order. */
export function featureRow(plan: FeaturePlan, history: PortalHistory, record: RecordHistory, time: number): { numeric: number[]; categorical: (string | null)[] } {
  const numeric: number[] = [(time - record.createdAt) / DAY_MS];
  for (const name of plan.numeric) numeric.push(numberAt(record, name, time));
  for (const name of plan.counters) {
    const now = numberAt(record, name, time);
    for (const days of ACTIVITY_WINDOWS_DAYS) {
      const then = numberAt(record, name, time - days * DAY_MS);
      numeric.push(Number.isNaN(now) ? Number.NaN : now - (Number.isNaN(then) ? 0 : then));
    }
    const changed = record.lastChangeAt(name, time);
    numeric.push(changed === undefined ? Number.NaN : (time - changed) / DAY_MS);
  }
  for (const name of plan.dates) {
    const at = parseTime(record.valueAt(name, time));
    numeric.push(at === undefined ? Number.NaN : (time - at) / DAY_MS);
  }
  const company = history.companies.get(record.linked('companies')[0] ?? '');
  for (const name of plan.companyNumeric) numeric.push(company ? numberAt(company, name, time) : Number.NaN);

  numeric.push(...dealFeatures(history.dealsByRecord.get(record.objectId) ?? [], time));

  const categorical: (string | null)[] = plan.categorical.map((name) => record.valueAt(name, time) ?? null);
  for (const name of plan.companyCategorical) categorical.push(company?.valueAt(name, time) ?? null);
  return { numeric, categorical };
}

/**
 * What a record's deals say at `time`, in featureNames order: counts, amounts and recency of its
 * won deals overall and in each activity window, how long it has been a customer, how often it buys
 * and how long it usually waits between purchases (for a transactional business: recency, frequency,
 * monetary value, and recency against the customer's own rhythm).
 */
function dealFeatures(allDeals: RecordHistory[], time: number): number[] {
  const deals = allDeals.filter((d) => d.createdAt <= time);
  let won = 0;
  let wonAmount = 0;
  let firstWon = Number.POSITIVE_INFINITY;
  let lastWon = Number.NEGATIVE_INFINITY;
  let open = 0;
  let previousWon = Number.NEGATIVE_INFINITY;
  const windows = ACTIVITY_WINDOWS_DAYS.map(() => ({ won: 0, amount: 0 }));
  for (const deal of deals) {
    const wins = wonBetween(deal, Number.NEGATIVE_INFINITY, time);
    const stage = deal.valueAt('dealstage', time);
    if (wins.length > 0) {
      const amount = numberAt(deal, 'amount', time);
      const wonAt = Math.min(...wins);
      won += 1;
      if (!Number.isNaN(amount)) wonAmount += amount;
      firstWon = Math.min(firstWon, wonAt);
      const latestWin = Math.max(...wins);
      if (latestWin > lastWon) [previousWon, lastWon] = [lastWon, latestWin];
      else if (latestWin > previousWon) previousWon = latestWin;
      ACTIVITY_WINDOWS_DAYS.forEach((days, w) => {
        if (wins.some((at) => at > time - days * DAY_MS)) {
          windows[w].won += 1;
          if (!Number.isNaN(amount)) windows[w].amount += amount;
        }
      });
    } else if (stage !== 'closedlost') open += 1;
  }
  const customerDays = Number.isFinite(firstWon) ? (time - firstWon) / DAY_MS : Number.NaN;
  const recency = Number.isFinite(lastWon) ? (time - lastWon) / DAY_MS : Number.NaN;
  const gap = won > 1 ? (lastWon - firstWon) / DAY_MS / (won - 1) : Number.NaN;
  return [
    deals.length, won, wonAmount, open, recency,
    ...windows.flatMap((w) => [w.won, w.amount]),
    customerDays,
    won > 0 ? wonAmount / won : Number.NaN,
    won > 0 ? (won * 30) / Math.max(30, customerDays) : Number.NaN,
    gap,
    gap > 0 ? recency / gap : Number.NaN,
    Number.isFinite(previousWon) ? (lastWon - previousWon) / DAY_MS : Number.NaN,
  ];
}

/**
 * Training rows: every record in the target's population at each snapshot time whose horizon has
 * passed by `now`, labelled with what happened in (T, T + horizon].
 */
export function buildTrainingTable(
  plan: FeaturePlan,
  history: PortalHistory,
  target: Target,
  settings: LabelSettings,
  snapshotTimes: number[],
  now: number,
  /** Keeps a sample of the rows (large portals); every row when absent. */
  include?: (recordId: string, time: number) => boolean,
): FeatureTable {
  const names = featureNames(plan);
  const builder = new FeatureTableBuilder(names.numeric, names.categorical);
  const horizon = settings.horizonDays * DAY_MS;
  for (const time of snapshotTimes) {
    if (time + horizon > now) continue;
    for (const record of history.records) {
      const subject = subjectOf(history, record);
      if (!inPopulation(target, subject, settings, time)) continue;
      if (include && !include(record.objectId, time)) continue;
      const row = featureRow(plan, history, record, time);
      builder.add(record.objectId, time, row.numeric, row.categorical, outcome(target, subject, settings, time));
    }
  }
  return builder.build();
}

/** Rows to score now: every record in the target's population at `now`. */
export function buildScoringTable(plan: FeaturePlan, history: PortalHistory, target: Target, settings: LabelSettings, now: number): FeatureTable {
  const names = featureNames(plan);
  const builder = new FeatureTableBuilder(names.numeric, names.categorical);
  for (const record of history.records) {
    if (!inPopulation(target, subjectOf(history, record), settings, now)) continue;
    const row = featureRow(plan, history, record, now);
    builder.add(record.objectId, now, row.numeric, row.categorical);
  }
  return builder.build();
}

/** Snapshot times spread over the history: every `stepDays` back from `now - horizon`, at most `count`. */
export function snapshotTimes(earliest: number, now: number, settings: LabelSettings, stepDays = 30, count = 12): number[] {
  const times: number[] = [];
  for (let t = now - settings.horizonDays * DAY_MS; t > earliest + stepDays * DAY_MS && times.length < count; t -= stepDays * DAY_MS) times.push(t);
  return times.reverse();
}
