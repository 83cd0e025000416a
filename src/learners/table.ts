/**
 * What every learner takes: named numeric columns (NaN = missing) and named categorical columns
 * (null or "NA" = missing), all `rowCount` long. A `FeatureTable` from `src/features` is one, and so
 * is a CSV read by `src/tabular`.
 */
import { TrainingDataError } from './training-data-error.ts';
export interface Table {
  rowCount: number;
  numericNames: string[];
  numeric: Float64Array[];
  categoricalNames: string[];
  categorical: (string | null)[][];
}

/** How a categorical cell is read: null, the empty string and "NA" are missing. */
export function isMissingCategory(value: string | null | undefined): value is null | undefined | '' | 'NA' {
  return value === null || value === undefined || value === '' || value === 'NA';
}

/** Every feature of a table, numeric first, in column order. */
export function featureNames(table: Table): string[] {
  return [...table.numericNames, ...table.categoricalNames];
}

/** The rows `rows` of `table`, in that order, as a new table. */
export function takeRows(table: Table, rows: ArrayLike<number>): Table {
  const n = rows.length;
  const numeric = table.numeric.map((column) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = column[rows[i]];
    return out;
  });
  const categorical = table.categorical.map((column) => {
    const out = new Array<string | null>(n);
    for (let i = 0; i < n; i++) out[i] = column[rows[i]];
    return out;
  });
  return { rowCount: n, numericNames: table.numericNames, numeric, categoricalNames: table.categoricalNames, categorical };
}

/** Throws unless every column has `rowCount` values and names are unique. */
export function checkTable(table: Table): void {
  const names = featureNames(table);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new TrainingDataError(`feature "${name}" appears twice`);
    seen.add(name);
  }
  if (table.numeric.length !== table.numericNames.length || table.categorical.length !== table.categoricalNames.length) {
    throw new TrainingDataError('each column needs a name and each name a column');
  }
  for (let j = 0; j < table.numeric.length; j++) {
    if (table.numeric[j].length !== table.rowCount) throw new TrainingDataError(`column "${table.numericNames[j]}" has ${table.numeric[j].length} values, expected ${table.rowCount}`);
  }
  for (let j = 0; j < table.categorical.length; j++) {
    if (table.categorical[j].length !== table.rowCount) throw new TrainingDataError(`column "${table.categoricalNames[j]}" has ${table.categorical[j].length} values, expected ${table.rowCount}`);
  }
}
