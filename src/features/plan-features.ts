/**
 * Decides, from a portal's own data, which properties become which kind of feature: numbers (with
 * their recent change when they have history, e.g. page views in the last 30 days), dates (as days
 * before the snapshot), categories (with few enough values to learn from). Nothing about a portal's
 * columns is hard-coded; the input rules drop the leaky ones.
 */
import { parseTime, type RecordHistory } from './crm-history.ts';
import { isAllowedInput } from './input-rules.ts';
import type { LabelSettings, Target } from './label-settings.ts';

export interface FeaturePlan {
  numeric: string[];
  /** Numeric properties with history: their change over 7/30/90 days and the days since they changed. */
  counters: string[];
  dates: string[];
  categorical: string[];
  companyNumeric: string[];
  companyCategorical: string[];
}

export const MAX_CATEGORIES = 200;
const MIN_PRESENCE = 0.01;
const DATE_NAME = /(date|timestamp|_at|_time)$/i;

interface Kind {
  kind: 'numeric' | 'date' | 'categorical' | 'skip';
  hasHistory: boolean;
}

/** @example classifyProperty('amount', ['10', '20.5']) → numeric */
export function classifyProperty(name: string, values: string[], historyDepth: number): Kind {
  const present = values.filter((v) => v !== '');
  const hasHistory = historyDepth > 1;
  if (present.length === 0) return { kind: 'skip', hasHistory };
  const numeric = present.filter((v) => Number.isFinite(Number(v))).length;
  const dates = present.filter((v) => parseTime(v) !== undefined && (DATE_NAME.test(name) || /^\d{4}-\d{2}-\d{2}/.test(v))).length;
  if (dates >= present.length * 0.95 && (DATE_NAME.test(name) || numeric < present.length)) return { kind: 'date', hasHistory };
  if (numeric >= present.length * 0.95) return { kind: 'numeric', hasHistory };
  const distinct = new Set(present).size;
  if (distinct <= MAX_CATEGORIES) return { kind: 'categorical', hasHistory };
  return { kind: 'skip', hasHistory };
}

function classifyAll(records: RecordHistory[], allowed: (name: string) => boolean): Map<string, Kind> {
  const values = new Map<string, string[]>();
  const depth = new Map<string, number>();
  const sample = records.length > 5_000 ? records.filter((_, i) => i % Math.ceil(records.length / 5_000) === 0) : records;
  for (const record of sample) {
    for (const name of record.propertyNames()) {
      if (!allowed(name)) continue;
      const value = record.valueAt(name, Number.POSITIVE_INFINITY);
      if (value === undefined) continue;
      let list = values.get(name);
      if (!list) values.set(name, (list = []));
      list.push(value);
      depth.set(name, Math.max(depth.get(name) ?? 0, record.changesBetween(name, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY).length));
    }
  }
  const kinds = new Map<string, Kind>();
  for (const [name, list] of values) {
    if (list.length < sample.length * MIN_PRESENCE) continue;
    kinds.set(name, classifyProperty(name, list, depth.get(name) ?? 0));
  }
  return kinds;
}

export function planFeatures(records: RecordHistory[], companies: RecordHistory[], target: Target, settings: LabelSettings): FeaturePlan {
  const allowed = (name: string) => isAllowedInput(name, target, settings);
  const plan: FeaturePlan = { numeric: [], counters: [], dates: [], categorical: [], companyNumeric: [], companyCategorical: [] };
  for (const [name, { kind, hasHistory }] of [...classifyAll(records, allowed)].sort(([a], [b]) => a.localeCompare(b))) {
    if (kind === 'numeric') {
      plan.numeric.push(name);
      if (hasHistory) plan.counters.push(name);
    } else if (kind === 'date') plan.dates.push(name);
    else if (kind === 'categorical') plan.categorical.push(name);
  }
  for (const [name, { kind }] of [...classifyAll(companies, allowed)].sort(([a], [b]) => a.localeCompare(b))) {
    if (kind === 'numeric') plan.companyNumeric.push(name);
    else if (kind === 'categorical') plan.companyCategorical.push(name);
  }
  return plan;
}
