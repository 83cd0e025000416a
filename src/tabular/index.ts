/** Tables from CSV files, and the reproducible train/test splits of peers.py. */
export { CsvError } from './csv-error.ts';
export { CsvParser, parseCsvText, type CsvRecord } from './parse-csv.ts';
export { readCsvTable, forEachCsvRecord, type CsvTable, type ReadCsvOptions } from './read-csv-table.ts';
export { labelsFromColumn } from './labels-from-column.ts';
export { splitRows, isTestRow, splitRules, type SplitRule } from './split-rows.ts';
export { parsePythonFloat } from './python-float.ts';
