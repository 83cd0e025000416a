/**
 * Property names and values as HubSpot could send them (`$` and `.` in names, huge strings, lone
 * surrogates and other odd Unicode, numbers, objects, bad timestamps) through the real storage path
 * (`toCrmRecord` → `storeRecords`) into MongoDB: read back equal to the record made of them, with no
 * key MongoDB would read as an operator or a path, and never an exception.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { migrateUp } from '../../src/db/migrate.ts';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { HISTORY_LIMIT, propertyOf, RECORD_TEXT_LIMIT, toCrmRecord, VALUE_LIMIT, type CrmRecord, type HubSpotObject } from '../../src/sync/crm-record.ts';
import { storeRecords } from '../../src/sync/store-records.ts';
import { testDatabase } from '../helpers/mongo.ts';
import { operatorKeys } from '../helpers/operator-keys.ts';

fc.configureGlobal({ endOnFailure: true, includeErrorInReport: true });

const connection = await testDatabase('fuzz_crm_records');
await migrateUp(connection);
const objects = crmObjectModel(connection);
const PORTAL = 31;

const hostileName = fc.oneof(
  { arbitrary: fc.constantFrom('$where', '$set', '$', 'a.b', '.', 'a..b', '__proto__', 'constructor', 'hasOwnProperty', '', 'email', 'lifecyclestage', '\u0000', '\ud800', 'x\udc00', 'é😀', '\u202e'), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 3 },
  { arbitrary: fc.string({ maxLength: 10 }).map((s) => `$${s}.${s}`), weight: 1 },
  { arbitrary: fc.constant('p'.repeat(5000)), weight: 1 },
);
const hostileValue = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 6 },
  { arbitrary: fc.constantFrom('', '$where', '{"$gt":""}', 'a.b', '\u0000', '\ud800', '\udfff\ud800', 'Ω≈ç√', '🧨🧨', 'null', 'true'), weight: 3 },
  { arbitrary: fc.integer({ min: VALUE_LIMIT - 3, max: VALUE_LIMIT + 3 }).map((n) => 'x'.repeat(n - 1) + '😀'), weight: 1 },
  { arbitrary: fc.integer({ min: 20_000, max: 100_000 }).map((n) => '€'.repeat(n)), weight: 1 },
  { arbitrary: fc.oneof(fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.dictionary(fc.constantFrom('$gt', 'a.b', 'x'), fc.string({ maxLength: 5 }))), weight: 2 },
);
const timestamp = fc.oneof(
  fc.date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.integer({ min: 0, max: 2e12 }).map(String),
  fc.integer({ min: 0, max: 2e12 }),
  fc.constantFrom('', 'yesterday', '$now', '9'.repeat(30), null, undefined, {}, -1, 8.64e15 + 1),
);
const historyEntry = fc.record({ value: hostileValue, timestamp, sourceType: fc.option(hostileValue, { nil: undefined }), sourceId: fc.option(hostileValue, { nil: undefined }) }, { requiredKeys: ['timestamp'] });
const hubspotObject: fc.Arbitrary<HubSpotObject> = fc.record({
  id: fc.oneof(fc.nat().map(String), fc.constantFrom('$where', 'a.b', '0'), fc.string({ maxLength: 8 })),
  properties: fc.dictionary(hostileName, hostileValue, { maxKeys: 12 }),
  propertiesWithHistory: fc.dictionary(hostileName, fc.oneof(fc.array(historyEntry, { maxLength: 8 }), fc.constantFrom(null, 'x', {})) as fc.Arbitrary<HubSpotObject['propertiesWithHistory'] extends Record<string, infer E> | undefined ? E : never>, { maxKeys: 5 }),
  createdAt: timestamp,
  updatedAt: timestamp,
  archived: fc.boolean(),
}, { requiredKeys: ['id'] });

/** A stored document in the record's own shape, for comparing. */
function asRecord(document: Record<string, unknown>): Omit<CrmRecord, 'objectType'> {
  const d = document as unknown as CrmRecord & { properties: { name: string; value?: string | null }[]; history: { name: string; entries: { value?: string | null; at: Date; sourceType?: string | null; sourceId?: string | null }[] }[] };
  return {
    objectId: d.objectId,
    properties: d.properties.map((p) => ({ name: p.name, value: p.value ?? undefined })),
    history: d.history.map((h) => ({ name: h.name, entries: h.entries.map((e) => ({ value: e.value ?? undefined, at: e.at, sourceType: e.sourceType ?? undefined, sourceId: e.sourceId ?? undefined })) })),
    createdAt: d.createdAt ?? undefined,
    updatedAt: d.updatedAt ?? undefined,
    archived: d.archived,
  };
}

test('hostile names and values are stored as data and read back equal', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(hubspotObject, { minLength: 1, maxLength: 4 }), async (page) => {
      run++;
      // Ids made unique within the page, as HubSpot's are.
      const records = page.map((o, i) => toCrmRecord('contacts', { ...o, id: `${run}-${i}-${o.id}` }));
      for (const record of records) {
        for (const p of record.properties) assert.ok(p.value === undefined || p.value.length <= VALUE_LIMIT + 40, 'values are bounded');
        for (const h of record.history) assert.ok(h.entries.length <= HISTORY_LIMIT && h.entries.every((e) => !Number.isNaN(e.at.getTime())));
      }
      await storeRecords(connection, PORTAL, records);
      const stored = await objects.find({ portalId: PORTAL, objectId: { $in: records.map((r) => r.objectId) } }).lean();
      assert.equal(stored.length, records.length);
      for (const record of records) {
        const document = stored.find((d) => d.objectId === record.objectId)!;
        assert.deepEqual(operatorKeys(document), [], 'no operator or dotted key stored');
        const { objectType: _type, ...expected } = record;
        assert.deepEqual(asRecord(document as unknown as Record<string, unknown>), expected);
        for (const p of record.properties) assert.equal(propertyOf(document, p.name), record.properties.find((q) => q.name === p.name)!.value);
      }
    }),
    { numRuns: 1000 },
  );
});

test('a record whose history would pass MongoDB\'s 16 MB document limit is stored with its newest history (found while fuzzing sizes)', async () => {
  const long = '€'.repeat(VALUE_LIMIT);
  const history = Object.fromEntries(Array.from({ length: 12 }, (_, p) => [`notes_${p}`, Array.from({ length: HISTORY_LIMIT }, (_, i) => ({ value: `${i}${long}`, timestamp: String(1_600_000_000_000 + i * 1000 + p) }))]));
  const record = toCrmRecord('contacts', { id: 'huge-history', properties: { email: 'a@example.com', notes_0: long }, propertiesWithHistory: history });
  const kept = record.history.flatMap((h) => h.entries);
  assert.ok(kept.length > 50 && kept.length < 12 * HISTORY_LIMIT, `${kept.length} of ${12 * HISTORY_LIMIT} entries kept`);
  const oldestKept = Math.min(...kept.map((e) => e.at.getTime()));
  const dropped = Object.values(history).flat().filter((e) => Number(e.timestamp) < oldestKept);
  assert.ok(dropped.length > 0 && record.history.every((h) => h.entries.every((e) => e.at.getTime() >= oldestKept)), 'the oldest entries go first, across properties');
  const text = record.properties.reduce((n, p) => n + p.name.length + (p.value?.length ?? 0), 0) + kept.reduce((n, e) => n + (e.value?.length ?? 0), 0);
  assert.ok(text <= RECORD_TEXT_LIMIT);
  await storeRecords(connection, PORTAL, [record]);
  const stored = await objects.findOne({ portalId: PORTAL, objectId: 'huge-history' }).lean();
  assert.equal(stored?.history.flatMap((h) => h.entries).length, kept.length);
});
