import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAhead } from '../../src/sync/read-ahead.ts';

interface Page {
  items: number[];
  next: string | undefined;
}

/** A listing of `pages` pages; records when each read starts and ends. */
function listing(pages: number, events: string[], failAt?: number) {
  return async (cursor: string | undefined): Promise<Page> => {
    const n = Number(cursor ?? 0);
    events.push(`read ${n}`);
    await new Promise((r) => setTimeout(r, 20));
    if (n === failAt) throw new Error(`page ${n} failed`);
    events.push(`got ${n}`);
    return { items: [n], next: n + 1 < pages ? String(n + 1) : undefined };
  };
}

test('the next page is being read while the caller handles this one; every page once, in order', async () => {
  const events: string[] = [];
  const seen: number[] = [];
  for await (const page of readAhead(listing(4, events), undefined)) {
    events.push(`store ${page.items[0]} start`);
    await new Promise((r) => setTimeout(r, 40));
    events.push(`store ${page.items[0]} end`);
    seen.push(...page.items);
  }
  assert.deepEqual(seen, [0, 1, 2, 3]);
  assert.equal(events.filter((e) => e.startsWith('read')).length, 4, 'each page read once');
  for (const n of [0, 1, 2]) {
    assert.ok(events.indexOf(`read ${n + 1}`) < events.indexOf(`store ${n} end`), `page ${n + 1} was requested before page ${n} was stored`);
  }
});

test('a caller that stops early leaves no unhandled failure of the read under way', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const events: string[] = [];
    for await (const page of readAhead(listing(5, events, 1), undefined)) {
      assert.equal(page.items[0], 0);
      await new Promise((r) => setTimeout(r, 60)); // page 1 fails meanwhile
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('a failed read surfaces to the caller at its page', async () => {
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const page of readAhead(listing(5, [], 2), '0')) seen.push(...page.items);
  }, /page 2 failed/);
  assert.deepEqual(seen, [0, 1]);
});
