/** Bad CSV input (missing file, ragged row, unknown column, ...): the message is one line a user can act on. */
export class CsvError extends Error {
  override name = 'CsvError';
}
