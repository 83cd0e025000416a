/**
 * Two portals in one app: installed by OAuth against the sandbox, synced, trained, scored and
 * written back side by side by one worker. Portal A's records, scores and writes never show up in
 * portal B's copy, B's stored scores, B's sandbox portal, or B's page and JSON answers (and the other
 * way round); every command the app sent MongoDB for portal data during the whole run was scoped by
 * `portalId`; and an unscoped query on each collection of portal data is refused.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Model } from 'mongoose';
import { migrateUp } from '../../src/db/migrate.ts';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { jobModel } from '../../src/db/models/job.ts';
import { portalSettingsModel } from '../../src/db/models/portal-settings.ts';
import { recordScoreModel } from '../../src/db/models/record-score.ts';
import { syncStateModel } from '../../src/db/models/sync-state.ts';
import { trainedModelModel } from '../../src/db/models/trained-model.ts';
import { sendTimeSummaryModel } from '../../src/db/models/send-time-summary.ts';
import { webhookEventModel } from '../../src/db/models/webhook-event.ts';
import { ALL_PORTALS_COMMENT, isPortalScoped, movesPortal, UnscopedQueryError } from '../../src/db/portal-scope.ts';
import { portalDataCollections } from '../../src/install/portal-data.ts';
import { currentValue } from '../../src/sandbox/sandbox-store.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { outputPropertyNames } from '../../src/writeback/output-properties.ts';
import { monitoredTestDatabase } from '../helpers/mongo.ts';
import { eventually, installPortal, startPropensityApp, startTestWorker } from '../helpers/propensity.ts';

const sandbox = await startSandbox({ seed: 5, webhooks: { retryDelaysMs: [200, 400], flushMs: 20 } });
const { connection, commands } = await monitoredTestDatabase('isolation_two_portals');
await migrateUp(connection);
const propensity = await startPropensityApp(connection, sandbox, { hubspot: { backoffMs: 20 } });
const worker = await startTestWorker(propensity);
after(async () => {
  await worker.stop();
  await propensity.close();
  await sandbox.close();
});

// Two portals with different histories (the sandbox numbers objects across portals, so an object id
// tells its portal: a record, score or write of one portal found in the other is a leak).
const A = sandbox.addPortal({ contacts: 500, seed: 21 }).portalId;
const B = sandbox.addPortal({ contacts: 400, seed: 22 }).portalId;
const sandboxPortal = (portalId: number) => sandbox.state.portals.get(portalId)!;

const cookieOf = async (portalId: number) => {
  const installed = await installPortal(propensity, sandbox, portalId);
  assert.equal(installed.status, 303, `portal ${portalId} installed`);
  return installed.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
};
const cookies = { [A]: await cookieOf(A), [B]: await cookieOf(B) };
const written = (portalId: number) => jobModel(connection).countDocuments({ portalId, type: 'portal.write-scores', status: 'done' });
await eventually(async () => (await written(A)) >= 1 && (await written(B)) >= 1, 180_000, 'both portals synced, trained, scored and written back');
// A little activity in each portal, so webhooks, their inbox and rescoring run for both as well.
const inboxBusy = () => webhookEventModel(connection).countDocuments({ portalId: { $in: [A, B] }, status: { $in: ['pending', 'processing'] } });
for (const portalId of [A, B]) {
  for (const contactId of [...sandboxPortal(portalId).objects.contacts.keys()].slice(0, 3)) sandbox.simulate(portalId, { type: 'formSubmission', contactId });
}
await sandbox.webhooks.idle();
await eventually(async () => (await webhookEventModel(connection).countDocuments({ portalId: { $in: [A, B] } })) > 0 && (await inboxBusy()) === 0, 60_000, 'webhooks of both portals processed');
await eventually(async () => (await recordScoreModel(connection).countDocuments({ portalId: { $in: [A, B] }, $or: [{ writePending: true }, { rescoreRequested: true }] })) === 0, 60_000, 'every score written');

const other = (portalId: number) => (portalId === A ? B : A);
const emailsIn = (portalId: number) => new Set([...sandboxPortal(portalId).objects.contacts.values()].map((c) => currentValue('contacts', c, 'email')).filter((e): e is string => !!e));

test('the two portals have distinct data', () => {
  const a = emailsIn(A);
  const b = emailsIn(B);
  assert.ok(a.size > 100 && b.size > 100);
  assert.equal([...a].filter((e) => b.has(e)).length, 0, 'no email in both portals');
  const sharedIds = [...sandboxPortal(A).objects.contacts.keys()].filter((id) => sandboxPortal(B).objects.contacts.has(id));
  assert.deepEqual(sharedIds, [], 'no contact id in both portals');
});

for (const [name, portalId] of [['A', A], ['B', B]] as const) {
  test(`portal ${name}'s stored records are exactly its own sandbox portal's`, async () => {
    const contacts = await crmObjectModel(connection).find({ portalId, objectType: 'contacts' }, { objectId: 1, properties: 1 }).lean();
    const own = sandboxPortal(portalId).objects.contacts;
    assert.equal(contacts.length, own.size);
    let compared = 0;
    for (const contact of contacts) {
      const source = own.get(Number(contact.objectId));
      assert.ok(source, `stored contact ${contact.objectId} of portal ${portalId} is one of its own`);
      assert.ok(!sandboxPortal(other(portalId)).objects.contacts.has(Number(contact.objectId)));
      for (const { name: property, value } of contact.properties) {
        // Written after the sync by the app itself (the outputs, and the modification date they move).
        if (outputPropertyNames.includes(property) || /lastmodifieddate$/.test(property)) continue;
        assert.equal(value ?? undefined, currentValue('contacts', source, property) ?? undefined, `${property} of ${contact.objectId}`);
        compared++;
      }
    }
    assert.ok(compared > contacts.length, `${compared} stored values compared with the portal's own`);
  });

  test(`portal ${name}'s scores were made by its own models and written to its own sandbox portal only`, async () => {
    const models = await trainedModelModel(connection).find({ portalId, status: 'current' }).lean();
    assert.ok(models.length > 0, 'the portal has current models');
    const versions = new Set(models.map((m) => m.version));
    const scores = await recordScoreModel(connection).find({ portalId, objectType: 'contacts' }).lean();
    assert.equal(scores.length, sandboxPortal(portalId).objects.contacts.size, 'one score per contact of this portal');
    const contacts = sandboxPortal(portalId).objects.contacts;
    for (const score of scores) {
      assert.ok(versions.has(score.modelVersion ?? '') || /rules/.test(score.modelVersion ?? ''), `score of ${score.objectId} by ${score.modelVersion}, a model of this portal`);
      const contact = contacts.get(Number(score.objectId));
      assert.ok(contact, `scored contact ${score.objectId} exists in portal ${portalId}`);
      for (const { name: property, value } of score.values) assert.equal(currentValue('contacts', contact, property) ?? '', value, `${property} of ${score.objectId} in portal ${portalId}`);
    }
    const counters = sandbox.counters().portals[String(portalId)];
    const allScores = await recordScoreModel(connection).countDocuments({ portalId });
    assert.ok(counters.batchUpdateInputs >= scores.length && counters.batchUpdateInputs <= allScores + 100, `${counters.batchUpdateInputs} records written to portal ${portalId}, which has ${allScores} scores`);
    // Nothing Propensity writes exists on an object of this portal that it did not score here.
    for (const [id, contact] of contacts) {
      if (scores.some((s) => s.objectId === String(id))) continue;
      assert.ok(outputPropertyNames.every((p) => !currentValue('contacts', contact, p)), `contact ${id} has no output of another portal`);
    }
  });

  test(`portal ${name}'s page and JSON answer only about itself, and the other portal's are closed to its browser`, async () => {
    const theirs = other(portalId);
    const page = await fetch(`${propensity.url}/portals/${portalId}`, { headers: { cookie: cookies[portalId] } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes(`Portal ${portalId}`));
    assert.ok(!html.includes(String(theirs)) && !html.includes(sandbox.portals().find((p) => p.portalId === theirs)!.domain), 'nothing of the other portal on the page');
    const status = (await (await fetch(`${propensity.url}/portals/${portalId}/api/status`, { headers: { cookie: cookies[portalId] } })).json()) as { portalId: number; scoring: { scored: number; scoredCompanies: number } };
    assert.equal(status.portalId, portalId);
    assert.equal(status.scoring.scored, await recordScoreModel(connection).countDocuments({ portalId, objectType: 'contacts', target: { $exists: true } }), 'counts are this portal\'s');
    assert.equal(status.scoring.scoredCompanies, await recordScoreModel(connection).countDocuments({ portalId, objectType: 'companies', target: { $exists: true } }));
    assert.ok(!JSON.stringify(status).includes(String(theirs)), 'nothing of the other portal in the JSON');
    const contactEmails = [...emailsIn(theirs)].slice(0, 50);
    assert.ok(contactEmails.every((e) => !html.includes(e)));
    for (const path of [`/portals/${theirs}`, `/portals/${theirs}/api/status`]) {
      assert.equal((await fetch(`${propensity.url}${path}`, { headers: { cookie: cookies[portalId] } })).status, 403, `${path} with portal ${portalId}'s cookie`);
    }
  });
}

const workQueue = new Set(['jobs', 'job_turns']);

test('every command the app sent MongoDB for portal data during the run was scoped by portalId', () => {
  // `jobs` is the work queue and `job_turns` its record of whose turn it is: claiming the next job of
  // any portal is their purpose, and they hold no CRM data. Every other collection of portal data must
  // pin the portal in every command.
  const scopedCollections = new Set<string>(portalDataCollections.filter((c) => !workQueue.has(c)));
  const unscoped: string[] = [];
  const seen = new Map<string, number>();
  for (const { name, command } of commands) {
    const collection = command[name];
    if (typeof collection !== 'string' || !scopedCollections.has(collection)) continue;
    if (command.comment === ALL_PORTALS_COMMENT) continue;
    seen.set(`${name} ${collection}`, (seen.get(`${name} ${collection}`) ?? 0) + 1);
    const statements: [unknown, unknown][] = name === 'find' ? [[command.filter, undefined]]
      : name === 'count' || name === 'distinct' ? [[command.query, undefined]]
      : name === 'aggregate' ? [[(command.pipeline as { $match?: unknown }[])[0]?.$match, undefined]]
      : name === 'findAndModify' ? [[command.query, command.update]]
      : name === 'update' ? (command.updates as { q: unknown; u: unknown }[]).map((u) => [u.q, u.u])
      : name === 'delete' ? (command.deletes as { q: unknown }[]).map((d) => [d.q, undefined])
      : name === 'insert' ? (command.documents as { portalId?: unknown }[]).map((d) => [{ portalId: d.portalId }, undefined])
      : [];
    for (const [filter, update] of statements) {
      // An update statement without operators replaces the whole document.
      const replacement = update !== null && typeof update === 'object' && !Array.isArray(update) && Object.keys(update).every((key) => !key.startsWith('$'));
      if (!isPortalScoped(filter) || movesPortal(filter, update, replacement)) unscoped.push(`${name} ${collection}: ${JSON.stringify(filter)?.slice(0, 200)}`);
    }
  }
  assert.deepEqual(unscoped, []);
  // The run did reach every collection with reads and writes, so the check above saw real traffic.
  for (const kind of ['find crm_objects', 'update crm_objects', 'find scores', 'update scores', 'insert webhook_inbox', 'update sync_state', 'find models']) {
    assert.ok((seen.get(kind) ?? 0) > 0, `the run sent ${kind} (${[...seen.keys()].join(', ')})`);
  }
});

test('an unscoped query of any kind on any collection of portal data is refused', async () => {
  // Each model of portal data, with a filter that names a record but not its portal.
  // Any document type: the point is what each model refuses, whatever its fields.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type AnyModel = Model<any>;
  const models: [string, AnyModel][] = [
    ['crm_objects', crmObjectModel(connection) as AnyModel],
    ['scores', recordScoreModel(connection) as AnyModel],
    ['models', trainedModelModel(connection) as AnyModel],
    ['sync_state', syncStateModel(connection) as AnyModel],
    ['portal_settings', portalSettingsModel(connection) as AnyModel],
    ['webhook_inbox', webhookEventModel(connection) as AnyModel],
    ['send_time_summaries', sendTimeSummaryModel(connection) as AnyModel],
  ];
  assert.deepEqual(models.map(([c]) => c).sort(), portalDataCollections.filter((c) => !workQueue.has(c)).sort(), 'every collection of portal data is checked');
  const filter = { objectId: '1' };
  for (const [collection, model] of models) {
    const attempts: [string, () => Promise<unknown>][] = [
      ['find', () => model.find(filter).lean()],
      ['findOne', () => model.findOne(filter).lean()],
      ['findById', () => model.findById('1').lean()],
      ['countDocuments', () => model.countDocuments(filter)],
      ['estimatedDocumentCount', () => model.estimatedDocumentCount()],
      ['distinct', () => model.distinct('objectId', filter)],
      ['updateOne', () => model.updateOne(filter, { $set: { archived: true } })],
      ['updateMany', () => model.updateMany(filter, { $set: { archived: true } })],
      ['replaceOne', () => model.replaceOne(filter, { portalId: A })],
      ['deleteOne', () => model.deleteOne(filter)],
      ['deleteMany', () => model.deleteMany({})],
      ['findOneAndUpdate', () => model.findOneAndUpdate(filter, { $set: { archived: true } })],
      ['findOneAndDelete', () => model.findOneAndDelete(filter)],
      ['findOneAndReplace', () => model.findOneAndReplace(filter, { portalId: A })],
      ['find with $or', () => model.find({ $or: [{ portalId: A }, { objectId: '1' }] }).lean()],
      ['find with $ne', () => model.find({ portalId: { $ne: A } }).lean()],
      ['aggregate', () => model.aggregate([{ $group: { _id: '$portalId' } }]).exec()],
      ['aggregate with $lookup', () => model.aggregate([{ $match: { portalId: A } }, { $lookup: { from: 'scores', localField: 'objectId', foreignField: 'objectId', as: 'all' } }]).exec()],
      ['aggregate with $unionWith', () => model.aggregate([{ $match: { portalId: A } }, { $unionWith: collection }]).exec()],
      ['bulkWrite', () => model.bulkWrite([{ deleteMany: { filter } }])],
      ['bulkWrite insertOne', () => model.bulkWrite([{ insertOne: { document: {} } }])],
      ['insertMany', () => model.insertMany([{ objectId: '1' }])],
      ['updateOne moving a document', () => model.updateOne({ portalId: A }, { $set: { portalId: B } })],
      ['updateMany moving documents', () => model.updateMany({ portalId: A }, [{ $set: { portalId: B } }], { updatePipeline: true })],
      ['bulkWrite moving a document', () => model.bulkWrite([{ updateOne: { filter: { portalId: A }, update: { $set: { portalId: B } } } }])],
      ['replaceOne dropping the portal', () => model.replaceOne({ portalId: A }, { objectId: '1' })],
      ['findOneAndReplace into another portal', () => model.findOneAndReplace({ portalId: A }, { portalId: B })],
    ];
    for (const [kind, attempt] of attempts) await assert.rejects(attempt(), UnscopedQueryError, `${kind} on ${collection}`);
    // The same reads scoped to a portal, or saying they mean all portals, go through.
    await model.find({ portalId: A }).lean();
    await model.countDocuments({}).setOptions({ allPortals: true });
    await model.updateOne({ portalId: A }, { $setOnInsert: { portalId: A } });
  }
});
