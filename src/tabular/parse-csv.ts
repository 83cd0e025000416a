/**
 * CSV records the way Python's `csv.reader` (excel dialect) reads them, which is what `peers.py`
 * uses: RFC 4180 quoting (`""` inside quotes is a quote, separators and line breaks inside quotes
 * are data), a quote inside an unquoted field is a plain character, text after a closing quote joins
 * the field, LF, CRLF and CR end records, and blank lines are skipped. An unterminated quote is an error.
 *
 * `CsvParser` takes text in pieces of any size, so a file of any length streams through it.
 */
import { CsvError } from './csv-error.ts';

export interface CsvRecord {
  fields: string[];
  /** 1-based line of the file where the record starts. */
  line: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvParser {
  private readonly sep: number;
  private carry = '';
  private carryLine = 1;

  constructor(separator: string, private readonly onRecord: (record: CsvRecord) => void) {
    if (separator.length !== 1 || separator === '"' || separator === '\n' || separator === '\r') {
      throw new CsvError(`the separator must be one character other than a quote or a line break, got ${JSON.stringify(separator)}`);
    }
    this.sep = separator.charCodeAt(0);
  }

  /** Parses `text` after what came before; a record cut at the end waits for the next piece. */
  push(text: string): void {
    this.parse(this.carry + text, false);
  }

  /** The input is complete: the last record needs no line break. */
  end(): void {
    this.parse(this.carry, true);
    this.carry = '';
  }

  private parse(text: string, final: boolean): void {
    const sep = this.sep;
    const n = text.length;
    let line = this.carryLine;
    let i = 0;
    while (i < n) {
      const recordStart = i;
      const recordLine = line;
      const fields: string[] = [];
      let complete = false;
      let blank = true;
      // One record: fields until a line break outside quotes.
      for (;;) {
        if (i >= n) {
          if (!blank || fields.length > 0) fields.push('');
          complete = final;
          break;
        }
        let c = text.charCodeAt(i);
        if (c === LF || c === CR) {
          if (!blank || fields.length > 0) fields.push('');
          if (c === CR) {
            if (i + 1 >= n && !final) break; // a CRLF may be split across pieces
            if (text.charCodeAt(i + 1) === LF) i++;
          }
          i++;
          line++;
          complete = true;
          break;
        }
        blank = false;
        if (c !== QUOTE) {
          // Unquoted field: up to the separator or the end of the line.
          const start = i;
          while (i < n && (c = text.charCodeAt(i)) !== sep && c !== LF && c !== CR) i++;
          const value = text.slice(start, i);
          if (i < n && c === sep) {
            fields.push(value);
            i++;
            if (i >= n && !final) break;
            continue;
          }
          if (i >= n && !final) break;
          fields.push(value);
          if (i >= n) { complete = true; break; }
          if (c === CR) {
            if (i + 1 >= n && !final) break;
            if (text.charCodeAt(i + 1) === LF) i++;
          }
          i++;
          line++;
          complete = true;
          break;
        }
        // Quoted field.
        let value = '';
        i++;
        let pieceStart = i;
        let closed = false;
        while (i < n) {
          c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (i + 1 < n && text.charCodeAt(i + 1) === QUOTE) {
              value += text.slice(pieceStart, i + 1);
              i += 2;
              pieceStart = i;
              continue;
            }
            if (i + 1 >= n && !final) break; // could be the first half of ""
            value += text.slice(pieceStart, i);
            i++;
            closed = true;
            break;
          }
          if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
          i++;
        }
        if (!closed) {
          if (final) throw new CsvError(`a quoted field starting on line ${recordLine} is never closed`);
          break;
        }
        // Text after the closing quote joins the field.
        const afterStart = i;
        while (i < n && (c = text.charCodeAt(i)) !== sep && c !== LF && c !== CR) i++;
        if (i >= n && !final) break;
        fields.push(afterStart < i ? value + text.slice(afterStart, i) : value);
        if (i >= n) { complete = true; break; }
        if (c === sep) {
          i++;
          if (i >= n) {
            if (!final) break;
            fields.push('');
            complete = true;
            break;
          }
          continue;
        }
        if (c === CR) {
          if (i + 1 >= n && !final) break;
          if (text.charCodeAt(i + 1) === LF) i++;
        }
        i++;
        line++;
        complete = true;
        break;
      }
      if (!complete) {
        this.carry = text.slice(recordStart);
        this.carryLine = recordLine;
        return;
      }
      if (fields.length > 0) this.onRecord({ fields, line: recordLine });
    }
    this.carry = '';
    this.carryLine = line;
  }
}

/** Every record of a whole text. @example parseCsvText('a,b\n1,"x,y"\n') // => [['a','b'],['1','x,y']] */
export function parseCsvText(text: string, separator = ','): string[][] {
  const records: string[][] = [];
  const parser = new CsvParser(separator, (r) => records.push(r.fields));
  parser.push(text);
  parser.end();
  return records;
}
