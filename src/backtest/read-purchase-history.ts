/**
 * A retailer's purchase history as plain data: the CDNOW file (`customer_id date(YYYYMMDD)
 * number_of_cds dollar_value`, whitespace-separated, a header line) parsed into purchases, one per
 * line. Bad input says which line and why. Pure apart from reading the file.
 */
import { readFileSync } from 'node:fs';
import { CsvError } from '../tabular/index.ts';

export interface Purchase {
  customerId: string;
  /** The day of the purchase, `YYYY-MM-DD`. */
  day: string;
  quantity: number;
  amount: number;
}

export const historyFormats = ['cdnow'] as const;
export type HistoryFormat = (typeof historyFormats)[number];

/** `19970930` → `1997-09-30`, or undefined when it is not a real day. */
export function dayFromCompact(text: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return undefined;
  const day = `${match[1]}-${match[2]}-${match[3]}`;
  return isDay(day) ? day : undefined;
}

/** Whether `text` is a real calendar day written `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === text;
}

/**
 * @example parseCdnowPurchases(' customer_id  date number_of_cds  dollar_value\n 00002 19970112  5   77.00\n')
 * // => [{ customerId: '00002', day: '1997-01-12', quantity: 5, amount: 77 }]
 */
export function parseCdnowPurchases(text: string, source = 'the CDNOW file'): Purchase[] {
  const purchases: Purchase[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i].trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === '') continue;
    if (i === 0 && fields[0] === 'customer_id') continue;
    const where = `${source} line ${i + 1}`;
    if (fields.length !== 4) throw new CsvError(`${where}: expected 4 fields (customer_id date number_of_cds dollar_value), found ${fields.length}`);
    const [customerId, date, cds, dollars] = fields;
    const day = dayFromCompact(date);
    if (!day) throw new CsvError(`${where}: "${date}" is not a date written YYYYMMDD`);
    const quantity = Number(cds);
    const amount = Number(dollars);
    if (!Number.isFinite(quantity) || quantity < 0) throw new CsvError(`${where}: "${cds}" is not a number of CDs`);
    if (!Number.isFinite(amount) || amount < 0) throw new CsvError(`${where}: "${dollars}" is not a dollar value`);
    purchases.push({ customerId, day, quantity, amount });
  }
  if (purchases.length === 0) throw new CsvError(`${source} holds no purchases`);
  return purchases;
}

export function readPurchaseHistory(file: string, format: HistoryFormat): Purchase[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CsvError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (format !== 'cdnow') throw new CsvError(`unknown history format "${format as string}"`);
  return parseCdnowPurchases(text, file);
}
