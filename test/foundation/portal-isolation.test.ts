import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrateUp } from '../../src/db/migrate.ts';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { syncStateModel } from '../../src/db/models/sync-state.ts';
import { isPortalScoped, UnscopedQueryError } from '../../src/db/portal-scope.ts';
import { toCrmRecord } from '../../src/sync/crm-record.ts';
import { storeRecords } from '../../src/sync/store-records.ts';
import { testDatabase } from '../helpers/mongo.ts';

const connection = await testDatabase('isolation');
await migrateUp(connection);
const objects = crmObjectModel(connection);

test('what counts as scoped', () => {
  assert.equal(isPortalScoped({ portalId: 1 }), true);
  assert.equal(isPortalScoped({ portalId: { $in: [1, 2] } }), true);
  assert.equal(isPortalScoped({ $and: [{ portalId: 3 }, { objectId: 'x' }] }), true);
  assert.equal(isPortalScoped({}), false);
  assert.equal(isPortalScoped({ portalId: { $ne: 1 } }), false);
  assert.equal(isPortalScoped({ portalId: { $exists: true } }), false);
  assert.equal(isPortalScoped({ portalId: '1' }), false);
  assert.equal(isPortalScoped({ $or: [{ portalId: 1 }, { objectId: 'x' }] }), false);
});

test('queries on portal data without a portalId are refused; scoped ones see only their portal', async () => {
  await storeRecords(connection, 1, [toCrmRecord('contacts', { id: '10', properties: { email: 'a@portal-one.example' } })]);
  await storeRecords(connection, 2, [toCrmRecord('contacts', { id: '10', properties: { email: 'b@portal-two.example' } })]);
  await assert.rejects(objects.find({ objectId: '10' }).lean(), UnscopedQueryError);
  await assert.rejects(objects.findOne({}).lean(), UnscopedQueryError);
  await assert.rejects(objects.countDocuments({ objectType: 'contacts' }), UnscopedQueryError);
  await assert.rejects(objects.deleteMany({}), UnscopedQueryError);
  await assert.rejects(objects.updateMany({ objectId: '10' }, { $set: { archived: true } }), UnscopedQueryError);
  await assert.rejects(objects.aggregate([{ $group: { _id: '$portalId' } }]).exec(), UnscopedQueryError);
  await assert.rejects(objects.bulkWrite([{ deleteMany: { filter: { objectId: '10' } } }]), UnscopedQueryError);
  await assert.rejects(syncStateModel(connection).find({}).lean(), UnscopedQueryError);
  const one = await objects.find({ portalId: 1 }).lean();
  assert.deepEqual(one.map((o) => o.properties[0].value), ['a@portal-one.example']);
  assert.equal(await objects.countDocuments({}).setOptions({ allPortals: true }), 2, 'a deliberate cross-portal read says so');
});
