/**
 * A CSV as a HubSpot portal's history, for a backtest through the whole app. Every column becomes a
 * contact property (its name made a valid HubSpot property name), every row a contact. Training rows
 * are contacts created 170 days ago whose outcome is real lifecycle history: positives became
 * customers 60 days ago, inside the horizon of both snapshots the app trains and validates on.
 * Test rows are contacts created 10 days ago, after every training snapshot, with no outcome: the app
 * must score them from what it learned. Pure.
 */
import { isMissingCategory, type Table } from '../learners/index.ts';
import type { ImportedProperty, ImportedRecord } from '../sandbox/history/import-records.ts';

export const DAY_MS = 86_400_000;
export const TRAIN_CREATED_DAYS_AGO = 170;
export const CONVERTED_DAYS_AGO = 60;
export const TEST_CREATED_DAYS_AGO = 10;

/** `Monthly Charges` → `csv_monthly_charges`; unique among `taken`. */
export function propertyNameFor(column: string, taken: Set<string>): string {
  const base = `csv_${column.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'column'}`.slice(0, 90);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(15)));
}

export interface BacktestPortalPlan {
  properties: ImportedProperty[];
  /** Records in row order: the training rows first, then the test rows. */
  records: ImportedRecord[];
  /** For each record, its row in the CSV. */
  rows: number[];
  testCount: number;
}

export function planBacktestPortal(table: Table, labels: ArrayLike<number>, split: { train: ArrayLike<number>; test: ArrayLike<number> }, now: number): BacktestPortalPlan {
  const taken = new Set<string>();
  const numeric = table.numericNames.map((column) => ({ column, name: propertyNameFor(column, taken) }));
  const categorical = table.categoricalNames.map((column) => ({ column, name: propertyNameFor(column, taken) }));
  const properties: ImportedProperty[] = [
    ...numeric.map(({ column, name }) => ({ name, label: column, type: 'number' as const })),
    ...categorical.map(({ column, name }) => ({ name, label: column, type: 'string' as const })),
  ];
  const valuesOf = (row: number): Record<string, string> => {
    const values: Record<string, string> = { lifecyclestage: 'lead' };
    numeric.forEach(({ name }, j) => {
      const x = table.numeric[j][row];
      if (!Number.isNaN(x)) values[name] = formatNumber(x);
    });
    categorical.forEach(({ name }, j) => {
      const v = table.categorical[j][row];
      if (!isMissingCategory(v)) values[name] = v;
    });
    return values;
  };
  const records: ImportedRecord[] = [];
  for (const row of Array.from(split.train)) {
    records.push({
      createdAt: now - TRAIN_CREATED_DAYS_AGO * DAY_MS,
      values: valuesOf(row),
      changes: labels[row] === 1 ? [{ at: now - CONVERTED_DAYS_AGO * DAY_MS, values: { lifecyclestage: 'customer' } }] : [],
    });
  }
  for (const row of Array.from(split.test)) records.push({ createdAt: now - TEST_CREATED_DAYS_AGO * DAY_MS, values: valuesOf(row) });
  return { properties, records, rows: [...Array.from(split.train), ...Array.from(split.test)], testCount: split.test.length };
}
