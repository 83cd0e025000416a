/**
 * Reads timestamped activity from a CSV (one row per event) into week events: a person column, a time
 * column (ISO-8601 `2011-03-01T09:30[:00][Z|+01:00]` or `2011-03-01 09:30[:00]`), and optional
 * `column=value` filters a row must match. The hour of week is the clock time as written (the
 * person's or the portal's own clock); an offset, when given, only orders events in time.
 * Bad input is a `CsvError` with one line naming the file line.
 */
import { CsvError, forEachCsvRecord } from '../tabular/index.ts';
import { slotOfInstant } from './hour-of-week.ts';
import type { WeekEvent } from './week-pattern.ts';

export interface ReadEventTimesOptions {
  file: string;
  separator: string;
  person: string;
  time: string;
  /** Keep only rows where each column equals its value. */
  where?: { column: string; value: string }[];
}

const timePattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The wall-clock time as UTC milliseconds and the instant, or undefined when `text` is no such time. */
export function parseEventTime(text: string): { wallClock: number; instant: number } | undefined {
  const m = timePattern.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(wallClock).getUTCDate() !== day) return undefined;
  let offsetMinutes = 0;
  const zone = m[7];
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 18 || minutes > 59) return undefined;
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  return { wallClock, instant: wallClock - offsetMinutes * 60_000 };
}

export function readEventTimes(options: ReadEventTimesOptions): WeekEvent[] {
  const events: WeekEvent[] = [];
  let header: string[] | undefined;
  let personAt = -1;
  let timeAt = -1;
  let filters: { at: number; value: string }[] = [];
  forEachCsvRecord(options.file, options.separator, ({ fields, line }) => {
    if (header === undefined) {
      header = fields;
      const find = (name: string, what: string) => {
        const at = fields.indexOf(name);
        if (at < 0) throw new CsvError(`${what} column "${name}" is not in ${options.file} (columns: ${fields.join(', ')})`);
        return at;
      };
      personAt = find(options.person, '--person');
      timeAt = find(options.time, '--time');
      filters = (options.where ?? []).map((w) => ({ at: find(w.column, '--where'), value: w.value }));
      return;
    }
    if (fields.length !== header.length) throw new CsvError(`line ${line} of ${options.file} has ${fields.length} fields, the header has ${header.length}`);
    if (!filters.every((f) => fields[f.at] === f.value)) return;
    const person = fields[personAt]!.trim();
    if (person === '') throw new CsvError(`line ${line} of ${options.file}: the person ("${options.person}") is blank`);
    const time = parseEventTime(fields[timeAt]!);
    if (time === undefined) {
      throw new CsvError(`line ${line} of ${options.file}: "${fields[timeAt]}" is not a time (ISO-8601 or YYYY-MM-DD HH:MM[:SS])`);
    }
    events.push({ person, at: time.instant, slot: slotOfInstant(time.wallClock) });
  });
  if (header === undefined) throw new CsvError(`${options.file} is empty`);
  if (events.length === 0) throw new CsvError(`${options.file} has no event rows${filters.length ? ' matching --where' : ''}`);
  return events;
}
