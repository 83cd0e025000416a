/**
 * The CSV readers of `propensity evaluate` and `backtest` under random text: quotes, separators, a
 * BOM, empty input, ragged rows, huge fields, odd Unicode. The parser agrees with a plain reference
 * reading of the rules it documents, in one piece or in many; a whole file is read into the table
 * its cells say, or refused with a dataset error (`isBadDatasetInput`), never another exception.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { planBacktestPortal } from '../../src/backtest/plan-backtest-portal.ts';
import { evaluateCsv } from '../../src/cli/commands/evaluate.ts';
import { isBadDatasetInput } from '../../src/cli/dataset-options.ts';
import { isMissingCategory } from '../../src/learners/index.ts';
import { CsvError, CsvParser, labelsFromColumn, parseCsvText, parsePythonFloat, readCsvTable, splitRows, type CsvRecord } from '../../src/tabular/index.ts';

fc.configureGlobal({ endOnFailure: true, includeErrorInReport: true });

const dir = mkdtempSync(path.join(tmpdir(), 'propensity-csv-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function csvFile(text: string | Buffer): string {
  const file = path.join(dir, `${fileCount++}.csv`);
  writeFileSync(file, text);
  return file;
}

/**
 * The documented rules, read one character at a time: RFC 4180 quotes, text after a closing quote
 * joins the field, LF / CRLF / CR end a record, blank lines are skipped, an unclosed quote is an error.
 */
function referenceRecords(text: string, sep: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  const isEol = (k: number) => text[k] === '\n' || text[k] === '\r';
  const eolLength = (k: number) => (text[k] === '\r' && text[k + 1] === '\n' ? 2 : 1);
  let i = 0;
  let line = 1;
  while (i < n) {
    if (isEol(i)) {
      i += eolLength(i);
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) throw new CsvError(`unclosed quote from line ${quoteLine}`);
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (isEol(i)) {
            const length = eolLength(i);
            field += text.slice(i, i + length);
            i += length;
            line++;
            continue;
          }
          field += text[i++];
        }
      }
      while (i < n && text[i] !== sep && !isEol(i)) field += text[i++];
      fields.push(field);
      if (i < n && text[i] === sep) {
        i++;
        if (i >= n) {
          fields.push('');
          break;
        }
        continue;
      }
      if (i < n) {
        i += eolLength(i);
        line++;
      }
      break;
    }
    records.push({ fields, line: start });
  }
  return records;
}

const separators = [',', ';', '\t', '|'];
const csvPiece = fc.oneof(
  { arbitrary: fc.constantFrom('a', 'b', '1', '2.5', ' ', '"', '""', ',', ';', '\t', '|', '\n', '\r', '\r\n', 'é', '😀', '\ufeff', '\u0000', '\u2028', 'nan', '-inf', '1_0', '0x1'), weight: 20 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 4 }), weight: 2 },
  { arbitrary: fc.constantFrom('\ud800', '\udc00'), weight: 1 },
);
const csvText = fc.array(csvPiece, { maxLength: 80 }).map((pieces) => pieces.join(''));
/** Cut points for feeding the parser in pieces, any of them inside a CRLF or a doubled quote. */
const cuts = fc.array(fc.nat(), { maxLength: 6 });

function parseInPieces(text: string, sep: string, at: number[]): CsvRecord[] {
  const records: CsvRecord[] = [];
  const parser = new CsvParser(sep, (r) => records.push(r));
  const points = [...new Set(at.map((a) => (text.length === 0 ? 0 : a % (text.length + 1))))].sort((a, b) => a - b);
  let from = 0;
  for (const point of points) {
    parser.push(text.slice(from, point));
    from = point;
  }
  parser.push(text.slice(from));
  parser.end();
  return records;
}

/** A record list or the error class, so outcomes compare whole. */
function outcome(read: () => CsvRecord[]): CsvRecord[] | string {
  try {
    return read();
  } catch (error) {
    if (error instanceof CsvError) return 'CsvError';
    throw error;
  }
}

test('the parser reads random text as the documented rules do, whole or in pieces', () => {
  fc.assert(
    fc.property(csvText, fc.constantFrom(...separators), cuts, (text, sep, at) => {
      const expected = outcome(() => referenceRecords(text, sep));
      assert.deepEqual(outcome(() => parseInPieces(text, sep, [])), expected, 'whole');
      assert.deepEqual(outcome(() => parseInPieces(text, sep, at)), expected, 'in pieces');
      if (typeof expected !== 'string') assert.deepEqual(parseCsvText(text, sep), expected.map((r) => r.fields));
    }),
    { numRuns: 3000 },
  );
});

// --- whole files -------------------------------------------------------------------------------
const columnName = fc.oneof(
  { arbitrary: fc.constantFrom('y', 'age', 'plan', 'y', '', '$where', 'a.b', '__proto__', 'constructor', 'Monthly Charges', 'é😀', '\ud800', 'a (2)', 'lifecyclestage'), weight: 5 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
);
const cell = fc.oneof(
  { arbitrary: fc.constantFrom('0', '1', '2.5', '-3', '1e5', ' 7 ', 'nan', 'inf', '1_000', '', ' ', 'yes', 'no', 'x,y', 'a"b', 'line\nbreak', '😀', '\ud800', '$gt', 'a.b'), weight: 10 },
  { arbitrary: fc.double().map(String), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 10 }), weight: 2 },
  { arbitrary: fc.integer({ min: 10_000, max: 100_000 }).map((n) => 'z'.repeat(n)), weight: 1 },
);
/**
 * A table-shaped file: a header with a target column `y` of yes/no somewhere in it, rows (some
 * ragged), written with a separator, quoting and line ends of its own; or random text.
 */
const csvFileText = fc.record({
  header: fc.array(columnName, { minLength: 0, maxLength: 5 }),
  targetAt: fc.nat(),
  rows: fc.array(fc.tuple(fc.constantFrom('yes', 'no', 'no', 'yes ', ''), fc.array(cell, { minLength: 0, maxLength: 6 })), { maxLength: 30 }),
  ragged: fc.boolean(),
  sep: fc.constantFrom(...separators),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  bom: fc.boolean(),
  quoteAll: fc.boolean(),
  trailingEol: fc.boolean(),
  garbage: fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: csvText, weight: 1 }),
}).map(({ header, targetAt, rows, ragged, sep, eol, bom, quoteAll, trailingEol, garbage }) => {
  const at = targetAt % (header.length + 1);
  const withTarget = [...header.slice(0, at), 'y', ...header.slice(at)];
  if (garbage !== null) return { text: (bom ? '\ufeff' : '') + garbage, sep, header: withTarget };
  const shaped = rows.map(([target, r]) => {
    const cells = ragged && r.length % 3 === 0 ? r : Array.from({ length: header.length }, (_, k) => r[k] ?? '');
    return [...cells.slice(0, at), target, ...cells.slice(at)];
  });
  const quote = (v: string) => (quoteAll || /[",\n\r;\t|]/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [withTarget, ...shaped].map((r) => r.map(quote).join(sep));
  return { text: (bom ? '\ufeff' : '') + lines.join(eol) + (trailingEol ? eol : ''), sep, header: withTarget };
});

/** What `evaluate` and `backtest` do with a file before they train: read, check, label, split, plan the portal. */
function readLikeTheDatasetCommands(file: string, sep: string, target: string, positive: string, drop: string[]) {
  const csv = readCsvTable(file, { separator: sep, exclude: drop, text: [target] });
  if (csv.table.numericNames.length + csv.table.categoricalNames.length === 0) throw new CsvError('no feature columns');
  const labels = labelsFromColumn(csv.text[target], positive, target);
  const split = splitRows(csv.rowCount, 'mod5');
  const plan = planBacktestPortal(csv.table, labels, split, Date.now());
  return { csv, plan };
}

test('random files: read into the table their cells say, or refused with a dataset error', () => {
  const outcomes = { read: 0, refused: 0 };
  fc.assert(
    fc.property(csvFileText, fc.nat(), fc.constantFrom('yes', 'yes', 'yes', 'no', '1', ''), fc.boolean(), ({ text, sep, header }, pick, positive, dropOne) => {
      const file = csvFile(text);
      const target = pick % 8 === 0 ? header[pick % header.length] : 'y';
      const names = header;
      const drop = dropOne ? names.filter((n) => n !== target && n !== '').slice(0, 1) : [];
      let result: ReturnType<typeof readLikeTheDatasetCommands>;
      try {
        result = readLikeTheDatasetCommands(file, sep, target, positive, drop);
      } catch (error) {
        assert.ok(isBadDatasetInput(error), `only dataset errors: ${(error as Error)?.stack}`);
        assert.ok(error.message.length > 0 && !error.message.includes('\n  at '), 'one readable line');
        outcomes.refused++;
        return;
      }
      outcomes.read++;
      // The reference reading of the same text (a leading BOM is not data) says what each cell must be.
      const records = referenceRecords(text.replace(/^\ufeff/, '').replace(/\p{Surrogate}/gu, '\ufffd'), sep).map((r) => r.fields);
      const [head, ...rows] = records;
      const { csv } = result;
      assert.deepEqual(csv.header, head);
      assert.equal(csv.rowCount, rows.length);
      assert.deepEqual(csv.text[target], rows.map((r) => r[head.indexOf(target)]));
      const features = [...csv.table.numericNames.map((name, j) => ({ name, values: Array.from(csv.table.numeric[j]) as (number | string | null)[] })),
        ...csv.table.categoricalNames.map((name, j) => ({ name, values: csv.table.categorical[j] as (number | string | null)[] }))];
      assert.equal(features.length, head.filter((n) => n !== '' && n !== target && !drop.includes(n)).length, 'every other named column is a feature');
      for (const { values } of features) {
        assert.equal(values.length, rows.length);
        const column = head.findIndex((_, k) => rows.every((r, i) => matches(values[i], r[k])));
        assert.ok(column >= 0, `a feature column holds some column's cells: ${JSON.stringify(values.slice(0, 5))}`);
      }
      assert.equal(result.plan.records.length, rows.length);
    }),
    // FC_SEED and FC_PATH (from a failure's report) replay one failing case.
    { numRuns: 1000, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}) },
  );
  assert.ok(outcomes.read > 50 && outcomes.refused > 100, JSON.stringify(outcomes));
});

/** A table cell against its text: a number column holds the Python float (blank → NaN), a text column the text (blank → missing). */
function matches(value: number | string | null, raw: string): boolean {
  if (typeof value === 'number') return raw.trim() === '' ? Number.isNaN(value) : Object.is(value, parsePythonFloat(raw)) || (Number.isNaN(value) && Number.isNaN(parsePythonFloat(raw)));
  return raw.trim() === '' ? isMissingCategory(value) : value === raw;
}

test('random small files through evaluate end to end: result lines or a dataset error', () => {
  let evaluated = 0;
  const small = fc.record({
    rows: fc.array(fc.tuple(fc.constantFrom('yes', 'no'), fc.oneof(fc.double({ noNaN: false }).map(String), fc.constantFrom('', 'a', 'b')), fc.constantFrom('p', 'q', '', '😀')), { minLength: 0, maxLength: 40, size: 'max' }),
    header: fc.constantFrom(['y', 'x', 'c'], ['y', 'x', 'x'], ['y', '', 'c'], ['y', 'x']),
  });
  fc.assert(
    fc.property(small, fc.constantFrom('gbdt', 'logistic', 'auto') as fc.Arbitrary<'gbdt' | 'logistic' | 'auto'>, ({ rows, header }, model) => {
      const text = [header.join(','), ...rows.map((r) => r.slice(0, header.length).map((v) => `"${v}"`).join(','))].join('\n');
      try {
        const lines = [...evaluateCsv({ csv: csvFile(text), target: 'y', positive: 'yes', separator: ',', drop: [], split: 'mod5', json: true, model })];
        assert.ok(lines.length > 0 && lines.every((l) => l.n_train + l.n_test === rows.length && l.auc >= 0 && l.auc <= 1));
        evaluated++;
      } catch (error) {
        assert.ok(isBadDatasetInput(error), `only dataset errors: ${(error as Error)?.stack}`);
      }
    }),
    { numRuns: 150 },
  );
  assert.ok(evaluated > 10, `${evaluated} files trained and scored`);
});
