/**
 * Reads a CSV file into a learner `Table`, deciding column types exactly as `peers.py` does: a column
 * whose non-blank values all parse as Python floats is numeric (blank -> NaN); any other column is
 * categorical (blank -> null). Columns named in `text` are kept verbatim as strings (a target, an id),
 * columns in `exclude` and columns with an empty header are left out.
 *
 * The file streams through in pieces, so half a million rows need little more memory than the table.
 * Bad input is a `CsvError` with one clear line: missing file, empty file, no data rows, a row with
 * the wrong number of fields, an unknown column.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Table } from '../learners/table.ts';
import { CsvError } from './csv-error.ts';
import { CsvParser, type CsvRecord } from './parse-csv.ts';
import { isBlank, parsePythonFloat } from './python-float.ts';

export interface ReadCsvOptions {
  separator?: string;
  /** Columns to leave out. Each must exist. */
  exclude?: string[];
  /** Columns to keep as their exact text (not features). Each must exist. */
  text?: string[];
}

export interface CsvTable {
  table: Table;
  /** The `text` columns, verbatim. */
  text: Record<string, string[]>;
  header: string[];
  rowCount: number;
}

const chunkBytes = 1 << 22;

/** Streams the records of a file through `onRecord`. */
export function forEachCsvRecord(file: string, separator: string, onRecord: (record: CsvRecord) => void): void {
  let fd: number;
  try {
    if (statSync(file).isDirectory()) throw new CsvError(`${file} is a directory, not a CSV file`);
    fd = openSync(file, 'r');
  } catch (error) {
    if (error instanceof CsvError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CsvError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const parser = new CsvParser(separator, onRecord);
    const decoder = new TextDecoder('utf-8');
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const bytes = readSync(fd, buffer, 0, chunkBytes, null);
      if (bytes === 0) break;
      parser.push(decoder.decode(buffer.subarray(0, bytes), { stream: true }));
    }
    parser.push(decoder.decode());
    parser.end();
  } finally {
    closeSync(fd);
  }
}

/** A growable Float64Array. */
class NumberColumn {
  values = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  finish(): Float64Array {
    return this.values.slice(0, this.length);
  }
}

/** Strings sharing one copy per distinct value (and none of the file's text buffers). */
class StringColumn {
  values: (string | null)[] = [];
  private readonly interned = new Map<string, string>();
  push(value: string | null): void {
    if (value === null) {
      this.values.push(null);
      return;
    }
    let own = this.interned.get(value);
    if (own === undefined) {
      own = value.length > 12 ? Buffer.from(value, 'utf8').toString('utf8') : value;
      this.interned.set(own, own);
    }
    this.values.push(own);
  }
}

interface FeatureColumn {
  name: string;
  index: number;
  numbers: NumberColumn | undefined;
  strings: StringColumn | undefined;
  /** The first data row with a non-blank value that is not a number. */
  becameCategoricalAt: number;
  /** Whether any cell was not blank (an all-blank column is categorical, as in peers.py). */
  filled: boolean;
}

function uniqueNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

export function readCsvTable(file: string, options: ReadCsvOptions = {}): CsvTable {
  const separator = options.separator ?? ',';
  let header: string[] | undefined;
  let names: string[] = [];
  let features: FeatureColumn[] = [];
  let textColumns: { name: string; index: number; values: StringColumn }[] = [];
  let rowCount = 0;
  let lateCategorical = false;

  const onHeader = (fields: string[]) => {
    header = fields;
    names = uniqueNames(fields);
    const known = new Set(fields);
    for (const name of [...(options.exclude ?? []), ...(options.text ?? [])]) {
      if (!known.has(name)) throw new CsvError(`no column "${name}" in ${file} (columns: ${fields.join(', ')})`);
    }
    const exclude = new Set(options.exclude ?? []);
    const text = new Set(options.text ?? []);
    textColumns = [...text].map((name) => ({ name, index: fields.indexOf(name), values: new StringColumn() }));
    features = [];
    fields.forEach((name, index) => {
      if (name === '' || exclude.has(name) || text.has(name)) return;
      features.push({ name: names[index], index, numbers: new NumberColumn(), strings: undefined, becameCategoricalAt: -1, filled: false });
    });
  };

  forEachCsvRecord(file, separator, ({ fields, line }) => {
    if (header === undefined) return onHeader(fields);
    if (fields.length !== header.length) {
      throw new CsvError(`line ${line} of ${file} has ${fields.length} fields, the header has ${header.length} (is the separator ${JSON.stringify(separator)} right?)`);
    }
    for (const column of textColumns) column.values.values.push(fields[column.index]);
    for (const column of features) {
      const raw = fields[column.index];
      if (column.numbers !== undefined) {
        if (isBlank(raw)) {
          column.numbers.push(Number.NaN);
          continue;
        }
        const heldNumbers = column.filled;
        column.filled = true;
        const value = parsePythonFloat(raw);
        if (value !== undefined) {
          column.numbers.push(value);
          continue;
        }
        // The column is categorical after all; if it held numbers (`nan` included: as text it is a
        // category, not a missing value), their text is read again below.
        column.becameCategoricalAt = rowCount;
        column.strings = new StringColumn();
        if (heldNumbers) lateCategorical = true;
        for (let i = 0; i < rowCount; i++) column.strings.values.push(null);
        column.numbers = undefined;
      }
      column.strings!.push(isBlank(raw) ? null : raw);
    }
    rowCount++;
  });

  if (header === undefined) throw new CsvError(`${file} is empty`);
  if (rowCount === 0) throw new CsvError(`${file} has a header but no data rows`);
  if (lateCategorical) refillNumbersAsText(file, separator, features);
  for (const column of features) {
    if (column.numbers !== undefined && !column.filled) {
      column.numbers = undefined;
      column.strings = new StringColumn();
      column.strings.values = new Array<string | null>(rowCount).fill(null);
    }
  }

  const numericColumns = features.filter((c) => c.numbers !== undefined);
  const categoricalColumns = features.filter((c) => c.strings !== undefined);
  const table: Table = {
    rowCount,
    numericNames: numericColumns.map((c) => c.name),
    numeric: numericColumns.map((c) => c.numbers!.finish()),
    categoricalNames: categoricalColumns.map((c) => c.name),
    categorical: categoricalColumns.map((c) => c.strings!.values),
  };
  const text: Record<string, string[]> = {};
  for (const column of textColumns) text[column.name] = column.values.values as string[];
  return { table, text, header, rowCount };
}

/** Second pass for columns that turned out categorical after some numbers: their earlier cells' exact text. */
function refillNumbersAsText(file: string, separator: string, features: FeatureColumn[]): void {
  const late = features.filter((c) => c.becameCategoricalAt > 0);
  let row = -1;
  forEachCsvRecord(file, separator, ({ fields }) => {
    if (row >= 0) {
      for (const column of late) {
        if (row < column.becameCategoricalAt) {
          const raw = fields[column.index];
          column.strings!.values[row] = isBlank(raw) ? null : raw;
        }
      }
    }
    row++;
  });
}
