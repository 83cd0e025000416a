import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { jobModel } from '../../src/db/models/job.ts';
import { trainedModelModel } from '../../src/db/models/trained-model.ts';
import { migrateUp } from '../../src/db/migrate.ts';
import { DAY_MS, defaultLabelSettings } from '../../src/features/label-settings.ts';
import { train, type TrainInput } from '../../src/learners/index.ts';
import { trainPortalModels } from '../../src/models/model-registry.ts';
import { queueEarlyRetraining } from '../../src/pipeline/job-handlers.ts';
import { AUC_DROP_THRESHOLD, aucDropped, earlyRetrainReason, recentOutcomeSnapshots } from '../../src/scoring/early-retrain.ts';
import { mulberry32 } from '../../src/sandbox/random.ts';
import { scorePortal } from '../../src/scoring/score-portal.ts';
import { testDatabase } from '../helpers/mongo.ts';

// The database first: a test declared before a top-level await lets node:test end the file's hooks early.
const connection = await testDatabase('early_retrain');
await migrateUp(connection);

test('early retraining: PSI above 0.2 or an AUC on the last 30 days\' outcomes more than 0.05 below the validation AUC, never for a model under a day old', () => {
  const now = 100 * DAY_MS;
  const old = { target: 'churn', trainedAt: now - 2 * DAY_MS, now };
  assert.equal(earlyRetrainReason({ ...old, psi: 0.1, outcomes: { auc: 0.76, validationAuc: 0.8, rows: 100 } }), undefined);
  assert.equal(earlyRetrainReason({ ...old, psi: 0.25 }), 'churn score drift: PSI 0.250');
  assert.equal(
    earlyRetrainReason({ ...old, outcomes: { auc: 0.74, validationAuc: 0.8, rows: 420 } }),
    "churn AUC on the last 30 days' outcomes 0.740 is 0.060 below its validation AUC 0.800 (420 outcomes)",
  );
  assert.equal(earlyRetrainReason({ ...old, trainedAt: now - DAY_MS / 2, psi: 0.9, outcomes: { auc: 0.5, validationAuc: 0.9, rows: 10 } }), undefined, 'too young');
  assert.equal(aucDropped(0.8, 0.8 - AUC_DROP_THRESHOLD), false, 'exactly 0.05 lower is not more than 0.05');
  assert.equal(aucDropped(0.8, Number.NaN), false, 'one outcome class: no AUC, no trigger');
  assert.equal(aucDropped(Number.NaN, 0.5), false);
  const times = recentOutcomeSnapshots(now, 90);
  assert.equal(times.length, 5);
  for (const t of times) assert.ok(t + 90 * DAY_MS > now - 30 * DAY_MS && t + 90 * DAY_MS <= now, 'each snapshot\'s outcome became known in the last 30 days');
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
});

const now = new Date(Date.UTC(2026, 10, 1));
const at = (day: number) => new Date(now.getTime() - (720 - day) * DAY_MS);
const inThread = async (input: TrainInput) => train(input);


/** Contacts whose chance of becoming a customer grows with their engagement, or (inverted) shrinks with it. */
async function addContacts(portalId: number, count: number, seed: number, inverted = false) {
  const rand = mulberry32(seed);
  const docs = [];
  for (let i = 0; i < count; i++) {
    const created = Math.floor(rand() * 300);
    const engagement = rand();
    const chance = inverted ? 1 - engagement : engagement;
    const converts = rand() < chance * chance;
    const convertedOn = created + 30 + Math.floor(rand() * 400);
    const stages = [{ value: 'lead', at: at(created) }];
    if (converts && convertedOn < 720) stages.unshift({ value: 'customer', at: at(convertedOn) });
    const value = String(Math.round(engagement * 100));
    docs.push({
      portalId, objectType: 'contacts', objectId: String(i), syncedAt: now, createdAt: at(created), updatedAt: at(719),
      properties: [{ name: 'lifecyclestage', value: stages[0].value }, { name: 'x_engagement', value }],
      history: [{ name: 'lifecyclestage', entries: stages }, { name: 'x_engagement', entries: [{ value, at: at(created) }] }],
    });
  }
  await crmObjectModel(connection).insertMany(docs);
}

test('a model whose recent outcomes it ranks much worse than its validation holdout queues an early retrain, with the reason; one that still ranks them well does not', async () => {
  const [TRAINED_ON, TURNED, STEADY] = [71, 72, 73];
  await addContacts(TRAINED_ON, 1_500, 1);
  await trainPortalModels(connection, TRAINED_ON, { settings: defaultLabelSettings, now: new Date(now.getTime() - 40 * DAY_MS), trainer: inThread });
  const models = trainedModelModel(connection);
  const model = await models.findOne({ portalId: TRAINED_ON, target: 'lead', status: 'current' }).lean();
  assert.equal(model?.kind, 'learned');
  const validationAuc = model!.holdout!.auc!;
  assert.ok(validationAuc > 0.7, `validation AUC ${validationAuc}`);
  // The same model, current in two portals: one whose customers now behave the other way round, one where nothing changed.
  const { _id: _, ...copy } = model!;
  await addContacts(TURNED, 1_500, 2, true);
  await addContacts(STEADY, 1_500, 3);
  for (const portalId of [TURNED, STEADY]) await models.create({ ...copy, portalId });

  const turned = await scorePortal(connection, TURNED, 'all', now);
  const check = turned.outcomes.lead!;
  assert.equal(check.validationAuc, validationAuc);
  assert.ok(check.rows > 500, `${check.rows} recent outcomes`);
  assert.ok(check.auc < validationAuc - AUC_DROP_THRESHOLD, `recent AUC ${check.auc} vs validation ${validationAuc}`);
  const reason = await queueEarlyRetraining(connection, TURNED, turned, 'contacts', now);
  assert.match(reason ?? '', /^lead AUC on the last 30 days' outcomes 0\.\d{3} is 0\.\d{3} below its validation AUC/);
  const job = await jobModel(connection).findOne({ portalId: TURNED, type: 'portal.train' }).lean();
  assert.equal(job?.payload?.reason, reason, 'the retrain is recorded with its reason');

  const steady = await scorePortal(connection, STEADY, 'all', now);
  assert.ok(!aucDropped(validationAuc, steady.outcomes.lead!.auc), `steady AUC ${steady.outcomes.lead!.auc} vs validation ${validationAuc}`);
  assert.equal(await queueEarlyRetraining(connection, STEADY, steady, 'contacts', now), undefined);
  assert.equal(await jobModel(connection).countDocuments({ portalId: STEADY, type: 'portal.train' }), 0);

  // Just after training (the run that scores with the new model) the check does not run.
  const fresh = await scorePortal(connection, TRAINED_ON, 'all', new Date(now.getTime() - 40 * DAY_MS + 1000));
  assert.deepEqual(fresh.outcomes, {});
});
