/**
 * Pages of one record's associations, as HubSpot pages them per record: the v4 batch read puts a
 * `paging.next.after` on each result that has more, the v3 object endpoints on each inline
 * `associations.{type}`. The cursor is opaque to the caller (HubSpot's are base64 too).
 */
import { validationError } from '../errors.ts';

export function associationCursor(offset: number): string {
  return Buffer.from(`assoc-${offset}`).toString('base64url');
}

/** The offset an `after` cursor names; a cursor HubSpot did not hand out is refused. */
export function associationOffset(after: unknown, field = 'after'): number {
  if (after === undefined || after === null || after === '') return 0;
  const match = typeof after === 'string' ? /^assoc-(\d{1,9})$/.exec(Buffer.from(after, 'base64url').toString()) : null;
  if (!match) throw validationError(`Invalid paging cursor in ${field}: ${String(after)}`, [{ message: 'not a paging cursor this API returned', in: field }]);
  return Number(match[1]);
}

export function pageOfLinks<T>(links: T[], after: unknown, pageSize: number, field?: string): { page: T[]; next: string | undefined } {
  const offset = associationOffset(after, field);
  const page = links.slice(offset, offset + pageSize);
  return { page, next: offset + pageSize < links.length ? associationCursor(offset + pageSize) : undefined };
}
