import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { jobModel } from '../../src/db/models/job.ts';
import { recordScoreModel } from '../../src/db/models/record-score.ts';
import { trainedModelModel } from '../../src/db/models/trained-model.ts';
import { currentValue } from '../../src/sandbox/sandbox-store.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { scorePortal } from '../../src/scoring/score-portal.ts';
import { outputPropertyNames } from '../../src/writeback/output-properties.ts';
import { writePendingScores } from '../../src/writeback/write-scores.ts';
import { eventually, installPortal, startTestPropensity, startTestWorker } from '../helpers/propensity.ts';

const sandbox = await startSandbox({ seed: 77, webhooks: { retryDelaysMs: [200, 400], flushMs: 20 } });
const propensity = await startTestPropensity(sandbox, 'score_and_write', { hubspot: { backoffMs: 20 } });
const worker = await startTestWorker(propensity);
after(async () => {
  await worker.stop();
  await propensity.close();
  await sandbox.close();
});
const { connection, services } = propensity;
const p = sandbox.addPortal({ contacts: 1000, seed: 77 });
const portal = sandbox.state.portals.get(p.portalId)!;
const batchUpdates = () => sandbox.counters().portals[String(p.portalId)].batchUpdates;
const jobDone = async (type: string, count = 1) => (await jobModel(connection).countDocuments({ portalId: p.portalId, type, status: 'done' })) >= count;

const installed = await installPortal(propensity, sandbox, p.portalId);
assert.equal(installed.status, 303);
const cookie = installed.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
await eventually(() => jobDone('portal.write-scores'), 120_000, 'install → sync → train → score → write-back').catch(async (e) => { console.log(JSON.stringify(await jobModel(connection).find({ portalId: p.portalId }, { type: 1, status: 1, lastError: 1, attempts: 1 }).lean())); throw e; });

test('install to written scores: every contact and company scored, written 100 a batch call', async () => {
  const models = await trainedModelModel(connection).find({ portalId: p.portalId, status: 'current' }).lean();
  assert.deepEqual(models.map((m) => `${m.objectType} ${m.target}`).sort(), ['companies churn', 'companies lead', 'contacts churn', 'contacts lead']);
  assert.ok(models.every((m) => m.decision?.promoted && m.decision.reason.length > 0), 'each promotion is recorded with its reason');
  assert.equal(await recordScoreModel(connection).countDocuments({ portalId: p.portalId, objectType: 'contacts' }), 1000);
  assert.equal(await recordScoreModel(connection).countDocuments({ portalId: p.portalId, objectType: 'companies' }), p.companies);
  assert.equal(await recordScoreModel(connection).countDocuments({ portalId: p.portalId, writePending: true }), 0);
  assert.equal(batchUpdates(), 10 + Math.ceil(p.companies / 100));
  for (const contact of portal.objects.contacts.values()) {
    const enrolment = currentValue('contacts', contact, 'propensity_enrolment');
    assert.ok(['sales_fast_track', 'marketing_nurture', 'retention_playbook', 'none'].includes(enrolment ?? ''), `contact ${contact.id} has an enrolment`);
    const lead = currentValue('contacts', contact, 'propensity_lead_score');
    const churn = currentValue('contacts', contact, 'propensity_churn_risk');
    assert.ok((lead ?? '') !== '' || (churn ?? '') !== '', `contact ${contact.id} has a lead score or a churn risk`);
    assert.match(currentValue('contacts', contact, 'propensity_model_version') ?? '', /^(lead|churn)-/);
    assert.ok(currentValue('contacts', contact, 'propensity_scored_at'));
  }
  for (const company of portal.objects.companies.values()) {
    assert.ok(['sales_fast_track', 'marketing_nurture', 'retention_playbook', 'none'].includes(currentValue('companies', company, 'propensity_enrolment') ?? ''), `company ${company.id} has an enrolment`);
    const stage = currentValue('companies', company, 'lifecyclestage');
    const scoreProperty = stage === 'customer' ? 'propensity_churn_risk' : 'propensity_lead_score';
    assert.notEqual(currentValue('companies', company, scoreProperty) ?? '', '', `company ${company.id} (${stage}) has its ${scoreProperty}`);
    assert.match(currentValue('companies', company, 'propensity_model_version') ?? '', /^company-(lead|churn)-/);
  }
});

test('what is written is what was concluded, and opted-out contacts are never enrolled', async () => {
  const scores = await recordScoreModel(connection).find({ portalId: p.portalId }).lean();
  let optedOut = 0;
  for (const score of scores) {
    const type = score.objectType as 'contacts' | 'companies';
    const record = portal.objects[type].get(Number(score.objectId))!;
    for (const { name, value } of score.values) assert.equal(currentValue(type, record, name) ?? '', value, `${name} of ${type} ${score.objectId}`);
    if (currentValue(type, record, 'hs_email_optout') === 'true') {
      optedOut += 1;
      assert.equal(score.enrolment, 'none');
    }
  }
  assert.ok(optedOut > 0, 'the generated portal has opted-out contacts to check');
});

test('rescoring with the same results writes nothing, and the app\'s writes cause no webhook or further write', async () => {
  const before = batchUpdates();
  const delivered = sandbox.counters().webhooks;
  const again = await scorePortal(connection, p.portalId, 'all');
  assert.equal(again.scored, 1000);
  assert.equal(again.changed, 0);
  const companies = await scorePortal(connection, p.portalId, 'all', new Date(), undefined, 'companies');
  assert.deepEqual({ scored: companies.scored, changed: companies.changed }, { scored: p.companies, changed: 0 });
  const written = await writePendingScores(connection, services.hubspot.forPortal(p.portalId));
  assert.deepEqual({ batches: written.batches, written: written.written }, { batches: 0, written: 0 });
  await sandbox.webhooks.idle();
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(batchUpdates(), before);
  assert.deepEqual(sandbox.counters().webhooks, delivered, 'no webhook was sent for the app\'s own properties');
});

test('a changed contact is rescored through its webhook, and only what changed is written', async () => {
  const contact = [...portal.objects.contacts.values()].find((c) => currentValue('contacts', c, 'lifecyclestage') === 'lead' && currentValue('contacts', c, 'hs_email_optout') !== 'true')!;
  const before = batchUpdates();
  const scoredBefore = await recordScoreModel(connection).findOne({ portalId: p.portalId, objectId: String(contact.id) }).lean();
  // A burst of engagement: this contact's features change, so its score is recomputed.
  sandbox.simulate(p.portalId, { type: 'formSubmission', contactId: contact.id });
  sandbox.simulate(p.portalId, { type: 'pageView', contactId: contact.id, count: 40 });
  await sandbox.webhooks.idle();
  await eventually(async () => {
    const score = await recordScoreModel(connection).findOne({ portalId: p.portalId, objectId: String(contact.id) }).lean();
    return score !== null && score.rescoreRequested === false && score.probability !== scoredBefore?.probability && !score.writePending;
  }, 30_000, 'rescored and written');
  const after = batchUpdates();
  assert.ok(after - before <= 2, `one contact changed: ${after - before} batch calls`);
  const score = (await recordScoreModel(connection).findOne({ portalId: p.portalId, objectId: String(contact.id) }).lean())!;
  for (const { name, value } of score.values) assert.equal(currentValue('contacts', contact, name) ?? '', value);
});

test('a changed deal rescores its company (and its contact) through the webhook', async () => {
  const company = [...portal.objects.companies.values()].find((c) => (c.assoc.get('deals')?.size ?? 0) > 0)!;
  const dealId = [...company.assoc.get('deals')!][0];
  const startedAt = new Date();
  sandbox.simulate(p.portalId, { type: 'propertyEdit', objectType: 'deals', objectId: dealId, properties: { amount: '98765' } });
  await sandbox.webhooks.idle();
  await eventually(async () => {
    const score = await recordScoreModel(connection).findOne({ portalId: p.portalId, objectType: 'companies', objectId: String(company.id) }).lean();
    return score !== null && score.rescoreRequestedAt !== undefined && score.rescoreRequestedAt! >= startedAt && score.rescoreRequested === false;
  }, 30_000, 'the company rescored');
  for (const contactId of portal.objects.deals.get(dealId)!.assoc.get('contacts') ?? []) {
    const score = await recordScoreModel(connection).findOne({ portalId: p.portalId, objectType: 'contacts', objectId: String(contactId) }).lean();
    assert.ok(score?.rescoreRequestedAt && score.rescoreRequestedAt >= startedAt, `contact ${contactId} of the deal was rescored too`);
  }
});

test('per-item 207 refusals are retried until every record is written', async () => {
  // The worker's own write-back (after the rescore above) must not write these records meanwhile.
  await eventually(async () => (await jobModel(connection).countDocuments({ portalId: p.portalId, status: { $in: ['queued', 'running'] }, runAt: { $lte: new Date() } })) === 0, 30_000, 'the worker idle');
  sandbox.configure({ faults: { batchItemErrorRate: 0.3 } });
  try {
    await recordScoreModel(connection).updateMany({ portalId: p.portalId }, { $set: { written: [], writePending: true } });
    const result = await writePendingScores(connection, services.hubspot.forPortal(p.portalId), { retryDelayMs: 10 });
    // Five tries each at 30 % refusals: a record or two (0.3^5 of 1,250) may still be refused; they stay pending for the next run.
    assert.equal(result.written + result.failed, 1000 + p.companies, 'every record written or kept for later');
    assert.ok(result.failed <= 10, `${result.failed} still refused after five tries`);
    assert.equal(result.retryLater, 0, 'a record refused five times waits for the next write-back run, not this one');
    assert.ok(result.batches > 13, `refused items went out again (${result.batches} batches)`);
    assert.equal(await recordScoreModel(connection).countDocuments({ portalId: p.portalId, writePending: true }), result.failed);
  } finally {
    sandbox.configure({ faults: { batchItemErrorRate: 0 } });
  }
  // What was still refused is written once HubSpot takes it: nothing is lost.
  await recordScoreModel(connection).updateMany({ portalId: p.portalId, writePending: true }, { $set: { writeAttempts: 0 } });
  await writePendingScores(connection, services.hubspot.forPortal(p.portalId), { retryDelayMs: 10 });
  assert.equal(await recordScoreModel(connection).countDocuments({ portalId: p.portalId, writePending: true }), 0);
});

test('a batch update answer that omits an input: that record is retried, never marked written', async () => {
  await eventually(async () => (await jobModel(connection).countDocuments({ portalId: p.portalId, status: { $in: ['queued', 'running'] }, runAt: { $lte: new Date() } })) === 0, 30_000, 'the worker idle');
  const scores = recordScoreModel(connection);
  await scores.updateMany({ portalId: p.portalId }, { $set: { written: [], writePending: true, writeAttempts: 0 } });
  sandbox.configure({ faults: { batchItemOmitRate: 1 } });
  try {
    const result = await writePendingScores(connection, services.hubspot.forPortal(p.portalId), { retryDelayMs: 1 });
    assert.equal(result.written, 0, 'nothing HubSpot did not return counts as written');
    assert.equal(result.failed, 1000 + p.companies);
    const sample = (await scores.findOne({ portalId: p.portalId, objectType: 'contacts' }).lean())!;
    assert.equal(sample.writePending, true);
    assert.deepEqual(sample.written, []);
    assert.equal(sample.writeAttempts, 5, 'retried, then reported');
    assert.match(sample.lastWriteError ?? '', /NOT_RETURNED/);
  } finally {
    sandbox.configure({ faults: { batchItemOmitRate: 0 } });
  }
  // Half omitted: those are retried in the same run and end written.
  sandbox.configure({ faults: { batchItemOmitRate: 0.5 } });
  try {
    await scores.updateMany({ portalId: p.portalId }, { $set: { writeAttempts: 0 } });
    const result = await writePendingScores(connection, services.hubspot.forPortal(p.portalId), { retryDelayMs: 1 });
    assert.ok(result.batches > 13, `omitted items went out again (${result.batches} batches)`);
  } finally {
    sandbox.configure({ faults: { batchItemOmitRate: 0 } });
  }
  await scores.updateMany({ portalId: p.portalId, writePending: true }, { $set: { writeAttempts: 0 } });
  await writePendingScores(connection, services.hubspot.forPortal(p.portalId), { retryDelayMs: 1 });
  assert.equal(await scores.countDocuments({ portalId: p.portalId, writePending: true }), 0);
  const contact = [...portal.objects.contacts.values()][0];
  const score = (await scores.findOne({ portalId: p.portalId, objectType: 'contacts', objectId: String(contact.id) }).lean())!;
  for (const { name, value } of score.values) assert.equal(currentValue('contacts', contact, name) ?? '', value, name);
});

test('the output properties are never in the models\' features', async () => {
  for (const model of await trainedModelModel(connection).find({ portalId: p.portalId }).lean()) {
    const plan = model.plan as Record<string, string[]>;
    for (const names of Object.values(plan)) for (const name of names) assert.ok(!outputPropertyNames.includes(name), `${name} is an input of ${model.version}`);
  }
});

test('install created the "Propensity AI" group and every output property with its type, field type and options; re-running is a no-op', async () => {
  const { ensureOutputProperties } = await import('../../src/writeback/ensure-output-properties.ts');
  const { outputProperties, outputObjectTypes, OUTPUT_GROUP } = await import('../../src/writeback/output-properties.ts');
  for (const type of outputObjectTypes) {
    assert.equal(portal.groups[type].get(OUTPUT_GROUP.name)?.label, 'Propensity AI');
    for (const definition of outputProperties) {
      const property = portal.properties[type].get(definition.name);
      assert.ok(property, `${type}.${definition.name} exists`);
      assert.deepEqual({ type: property.type, fieldType: property.fieldType, groupName: property.groupName }, { type: definition.type, fieldType: definition.fieldType, groupName: OUTPUT_GROUP.name });
      assert.deepEqual((property.options ?? []).map((o) => o.value), (definition.options ?? []).map((o) => o.value));
    }
  }
  const again = await ensureOutputProperties(services.hubspot.forPortal(p.portalId));
  assert.deepEqual(again, { created: 0, existing: outputProperties.length * outputObjectTypes.length, problems: [] });
});

test('the portal\'s page shows the current models, the scores, the decisions and the control group', async () => {
  const html = await (await fetch(`${propensity.url}/portals/${p.portalId}`, { headers: { cookie } })).text();
  const current = await trainedModelModel(connection).find({ portalId: p.portalId, status: 'current' }).lean();
  for (const model of current) assert.ok(html.includes(model.version), `page names ${model.version}`);
  assert.match(html, new RegExp(`1,000 contacts and ${p.companies} companies scored`));
  assert.match(html, /id="uplift"/);
  const status = (await (await fetch(`${propensity.url}/portals/${p.portalId}/api/status`, { headers: { cookie } })).json()) as { scoring: { enrolments: Record<string, number>; uplift: { enrolled: number; control: number }[] } };
  const enrolled = Object.values(status.scoring.enrolments as Record<string, number>).reduce((a, n) => a + n, 0);
  assert.equal(enrolled, 1000 + p.companies);
  const qualified = await recordScoreModel(connection).countDocuments({ portalId: p.portalId, qualifiedFor: { $exists: true } });
  const counted = (status.scoring.uplift as { enrolled: number; control: number }[]).reduce((a, u) => a + u.enrolled + u.control, 0);
  assert.equal(counted, qualified, 'every record that qualified is in the enrolled or the control group');
});

test('settings on the portal\'s page: a bad change is refused whole, a good one rescores with the new thresholds', async () => {
  const { portalSettingsModel } = await import('../../src/db/models/portal-settings.ts');
  const pageHtml = await (await fetch(`${propensity.url}/portals/${p.portalId}`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(pageHtml)![1];
  const post = (fields: Record<string, string>, headers: Record<string, string> = { cookie }) =>
    fetch(`${propensity.url}/portals/${p.portalId}/settings`, { method: 'POST', redirect: 'manual', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });

  assert.equal((await post({ controlShare: '0.2' })).status, 403, 'no CSRF token');
  assert.equal((await post({ csrf, controlShare: '0.2' }, {})).status, 403, 'no session cookie');
  const bad = await post({ csrf, salesFastTrack: '0.1', marketingNurture: '0.3', controlShare: '0.9' });
  assert.equal(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /marketing nurture threshold must be below the sales fast-track threshold/);
  assert.match(badHtml, /controlShare/);
  assert.equal(await portalSettingsModel(connection).countDocuments({ portalId: p.portalId }), 0, 'nothing saved');

  const scoringRuns = () => jobModel(connection).countDocuments({ portalId: p.portalId, type: 'portal.score', 'payload.mode': 'all', status: 'done' });
  const runsBefore = await scoringRuns();
  const good = await post({ csrf, salesFastTrack: '0.3', controlShare: '0.2' });
  assert.equal(good.status, 303);
  const saved = await portalSettingsModel(connection).findOne({ portalId: p.portalId }).lean();
  assert.equal((saved?.decisions as { controlShare: number }).controlShare, 0.2);
  await eventually(async () => (await scoringRuns()) > runsBefore, 30_000, 'rescored');
  await eventually(async () => (await recordScoreModel(connection).countDocuments({ portalId: p.portalId, writePending: true })) === 0, 30_000, 'written');
  const fastTrack = await recordScoreModel(connection).find({ portalId: p.portalId, enrolment: 'sales_fast_track' }).lean();
  assert.ok(fastTrack.every((s) => (s.probability ?? 0) >= 0.3 - 0.03), 'the new threshold applies (less the hysteresis band)');
});
