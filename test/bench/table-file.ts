/**
 * A table and its labels in one binary file, for measuring training memory in a fresh process:
 * loading it allocates little more than the table itself (numeric columns are views of the file's
 * bytes, categorical columns share one string per level), so the process's peak RSS afterwards is
 * the training's.
 *
 * Layout: uint32 header length, JSON header, then 8-byte aligned: numeric columns (Float64),
 * categorical codes (Uint16, 0 = missing, k = levels[k - 1]), labels (Uint8).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Table } from '../../src/learners/table.ts';

interface Header {
  rowCount: number;
  numericNames: string[];
  categoricalNames: string[];
  levels: string[][];
}

const align = (n: number) => Math.ceil(n / 8) * 8;

export function writeTableFile(file: string, table: Table, labels: Uint8Array): void {
  const n = table.rowCount;
  const levels = table.categorical.map((column) => [...new Set(column.filter((v): v is string => v !== null))]);
  if (levels.some((l) => l.length >= 65535)) throw new Error('too many levels for a table file');
  const header = Buffer.from(JSON.stringify({ rowCount: n, numericNames: table.numericNames, categoricalNames: table.categoricalNames, levels } satisfies Header));
  const start = align(4 + header.length);
  const numericBytes = table.numeric.length * n * 8;
  const codeBytes = align(table.categorical.length * n * 2);
  const out = Buffer.alloc(start + numericBytes + codeBytes + n);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  table.numeric.forEach((column, j) => Buffer.from(column.buffer, column.byteOffset, column.byteLength).copy(out, start + j * n * 8));
  const codes = new Uint16Array(out.buffer, out.byteOffset + start + numericBytes, table.categorical.length * n);
  table.categorical.forEach((column, j) => {
    const code = new Map(levels[j].map((level, k) => [level, k + 1]));
    for (let i = 0; i < n; i++) codes[j * n + i] = column[i] === null ? 0 : code.get(column[i]!)!;
  });
  out.set(labels, start + numericBytes + codeBytes);
  writeFileSync(file, out);
}

export function readTableFile(file: string): { table: Table; labels: Uint8Array } {
  const bytes = readFileSync(file);
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as Header;
  const n = header.rowCount;
  const start = align(4 + headerLength);
  const numericBytes = header.numericNames.length * n * 8;
  const codeBytes = align(header.categoricalNames.length * n * 2);
  const base = bytes.byteOffset;
  const numeric = header.numericNames.map((_, j) => new Float64Array(bytes.buffer, base + start + j * n * 8, n));
  const codes = new Uint16Array(bytes.buffer, base + start + numericBytes, header.categoricalNames.length * n);
  const categorical = header.levels.map((levels, j) => {
    const column = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const k = codes[j * n + i];
      column[i] = k === 0 ? null : levels[k - 1];
    }
    return column;
  });
  const labels = new Uint8Array(bytes.buffer, base + start + numericBytes + codeBytes, n);
  return { table: { rowCount: n, numericNames: header.numericNames, numeric, categoricalNames: header.categoricalNames, categorical }, labels };
}
