import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { migrateUp } from '../../src/db/migrate.ts';
import { HISTORY_LIMIT, propertyOf, storedValue, toCrmRecord, VALUE_LIMIT } from '../../src/sync/crm-record.ts';
import { storeRecords } from '../../src/sync/store-records.ts';
import { chooseSyncedProperties } from '../../src/sync/synced-properties.ts';
import { testDatabase } from '../helpers/mongo.ts';

test('a HubSpot object becomes a record: values as strings, history newest first and bounded', () => {
  const history = Array.from({ length: HISTORY_LIMIT + 20 }, (_, i) => ({ value: String(i), timestamp: new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString(), sourceType: 'CRM_UI' }));
  const record = toCrmRecord('contacts', {
    id: '51',
    properties: { lifecyclestage: 'lead', hs_analytics_num_page_views: 7 as unknown as string, empty: null as unknown as string },
    propertiesWithHistory: { lifecyclestage: history },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: new Date('2025-06-01T00:00:00.000Z'),
  });
  assert.equal(record.objectId, '51');
  assert.equal(propertyOf(record, 'lifecyclestage'), 'lead');
  assert.equal(propertyOf(record, 'hs_analytics_num_page_views'), '7');
  assert.equal(propertyOf(record, 'empty'), undefined);
  const entries = record.history[0].entries;
  assert.equal(entries.length, HISTORY_LIMIT);
  assert.equal(entries[0].value, String(HISTORY_LIMIT + 19), 'newest first');
  assert.ok(entries.every((e, i) => i === 0 || e.at <= entries[i - 1].at));
  assert.equal(record.createdAt?.toISOString(), '2025-01-01T00:00:00.000Z');
});

test('huge strings are truncated with a marker; objects and numbers become strings', () => {
  const huge = 'x'.repeat(VALUE_LIMIT + 10);
  assert.ok(storedValue(huge)!.endsWith('…[10 more characters]'));
  assert.equal(storedValue({ $gt: 1 }), '{"$gt":1}');
  assert.equal(storedValue(12.5), '12.5');
  assert.equal(storedValue(true), 'true');
});

test('property names like $where and a.b are stored and read back as plain data', async () => {
  const connection = await testDatabase('crm_record');
  await migrateUp(connection);
  const record = toCrmRecord('contacts', {
    id: '1',
    properties: { $where: 'function(){return true}', 'a.b': 'dotted', 'odd\u0000name': 'nul', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢': '\u202eevil' },
    propertiesWithHistory: { $where: [{ value: '$set', timestamp: '2025-01-01T00:00:00Z', sourceType: 'API' }] },
  });
  await storeRecords(connection, 5, [record]);
  await storeRecords(connection, 5, [record]);
  const stored = await crmObjectModel(connection).find({ portalId: 5 }).lean();
  assert.equal(stored.length, 1, 'upsert: stored once however often');
  assert.equal(propertyOf(stored[0], '$where'), 'function(){return true}');
  assert.equal(propertyOf(stored[0], 'a.b'), 'dotted');
  assert.equal(propertyOf(stored[0], 'odd\u0000name'), 'nul');
  assert.equal(propertyOf(stored[0], '𝔘𝔫𝔦𝔠𝔬𝔡𝔢'), '\u202eevil');
  assert.equal(stored[0].history[0].entries[0].value, '$set');
  const raw = await connection.db!.collection('crm_objects').findOne({ portalId: 5 });
  assert.ok(!Object.keys(raw!).some((k) => k.startsWith('$') || k.includes('.')), 'no field name came from HubSpot');
});

test('synced properties: standard ones that exist, custom ones, never outputs, within the URL budget', () => {
  const definitions = [
    { name: 'lifecyclestage', hubspotDefined: true },
    { name: 'hs_email_open', hubspotDefined: true },
    { name: 'some_internal_hubspot_field', hubspotDefined: true },
    { name: 'plan_tier', hubspotDefined: false },
    { name: 'propensity_lead_score', hubspotDefined: false },
    ...Array.from({ length: 500 }, (_, i) => ({ name: `custom_field_number_${i}`, hubspotDefined: false })),
  ];
  const { names, left } = chooseSyncedProperties('contacts', definitions, 400);
  assert.ok(names.includes('lifecyclestage'));
  assert.ok(names.includes('plan_tier') || left.includes('plan_tier'));
  assert.ok(!names.includes('some_internal_hubspot_field'));
  assert.ok(!names.includes('propensity_lead_score') && !left.includes('propensity_lead_score'));
  assert.ok(names.join(',').length <= 400);
  assert.ok(left.length > 0);
});
