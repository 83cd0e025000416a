import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordHistory } from '../../src/features/crm-history.ts';
import { engagementFromHistory } from '../../src/send-time/engagement-from-history.ts';

test('each change of the last send/open/click/visit properties is one event at the time its value names; later ones are not seen', () => {
  const iso = (s: string) => new Date(s).toISOString();
  const entry = (value: string, at: string) => ({ value, at: new Date(at) });
  const record = new RecordHistory({
    objectId: '7',
    properties: [],
    history: [
      { name: 'hs_email_last_send_date', entries: [entry(iso('2026-03-03T10:00:00Z'), '2026-03-03T10:00:05Z'), entry(iso('2026-03-10T10:00:00Z'), '2026-03-10T10:00:05Z'), entry(iso('2026-04-10T10:00:00Z'), '2026-04-10T10:00:05Z')] },
      { name: 'hs_email_last_open_date', entries: [entry(iso('2026-03-03T19:30:00Z'), '2026-03-03T19:31:00Z'), entry(String(Date.parse('2026-03-10T10:01:00Z')), '2026-03-10T10:02:00Z'), entry('', '2026-03-11T00:00:00Z')] },
      { name: 'hs_email_last_click_date', entries: [entry(iso('2026-03-03T19:32:00Z'), '2026-03-03T19:33:00Z')] },
      { name: 'hs_analytics_last_visit_timestamp', entries: [entry(iso('2026-03-04T08:00:00Z'), '2026-03-04T08:10:00Z')] },
    ],
  });
  const got = engagementFromHistory(record, Date.parse('2026-04-01T00:00:00Z'), 'Europe/Paris');
  assert.equal(got.contact, '7');
  assert.equal(got.timeZone, 'Europe/Paris');
  assert.deepEqual(got.sends.map((t) => new Date(t).toISOString()), ['2026-03-03T10:00:00.000Z', '2026-03-10T10:00:00.000Z']);
  assert.deepEqual(got.engagements.map((e) => [e.kind, new Date(e.at).toISOString()]), [
    ['open', '2026-03-03T19:30:00.000Z'], ['click', '2026-03-03T19:32:00.000Z'], ['visit', '2026-03-04T08:00:00.000Z'], ['open', '2026-03-10T10:01:00.000Z'],
  ]);
});
