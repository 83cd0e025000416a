/**
 * The pages of a cursor-paged listing, each handed out while the next one is already being read, so
 * that reading from HubSpot overlaps with what the caller does with a page (storing it). At most
 * two pages are held at once; a page is read once.
 *
 * @example
 * for await (const page of readAhead((after) => readPage(hubspot, 'contacts', after, names), undefined)) {
 *   await storeRecords(connection, portalId, page.records); // page N+1 is being read meanwhile
 * }
 */
export async function* readAhead<Page extends { next: string | undefined }>(
  read: (cursor: string | undefined) => Promise<Page>,
  cursor: string | undefined,
): AsyncGenerator<Page> {
  const start = (from: string | undefined) => {
    const reading = read(from);
    // Handled when awaited below; until then a failure must not count as an unhandled rejection,
    // nor after the caller stopped early (a pause, a failed store).
    reading.catch(() => {});
    return reading;
  };
  let reading: Promise<Page> | undefined = start(cursor);
  while (reading) {
    const page: Page = await reading;
    reading = page.next ? start(page.next) : undefined;
    yield page;
  }
}
