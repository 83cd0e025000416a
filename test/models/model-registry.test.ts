import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { trainedModelModel } from '../../src/db/models/trained-model.ts';
import { migrateUp } from '../../src/db/migrate.ts';
import { DAY_MS, defaultLabelSettings } from '../../src/features/label-settings.ts';
import { loadPortalHistory } from '../../src/features/load-portal-history.ts';
import { train, type TrainInput } from '../../src/learners/index.ts';
import type { HoldoutCharts } from '../../src/models/holdout-charts.ts';
import { currentModel, trainAndPromote, trainPortalModels } from '../../src/models/model-registry.ts';
import { testDatabase } from '../helpers/mongo.ts';

const connection = await testDatabase('model_registry');
await migrateUp(connection);
const PORTAL = 4242;
const now = new Date(Date.UTC(2026, 10, 1));
const at = (day: number) => new Date(now.getTime() - (720 - day) * DAY_MS);
const inThread = async (input: TrainInput) => train(input);

/** A seeded generator (mulberry32). */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Contacts whose chance of becoming a customer grows with a custom engagement property the rule model
 * knows nothing about: a learned model can find it, the rules cannot.
 */
async function addContacts(from: number, count: number, seed: number) {
  const rand = random(seed);
  const docs = [];
  for (let i = from; i < from + count; i++) {
    const created = Math.floor(rand() * 300);
    const engagement = rand();
    const converts = rand() < engagement * engagement;
    const convertedOn = created + 30 + Math.floor(rand() * 400);
    const stages = [{ value: 'lead', at: at(created) }];
    if (converts && convertedOn < 720) stages.unshift({ value: 'customer', at: at(convertedOn) });
    const views = String(Math.floor(rand() * 10));
    docs.push({
      portalId: PORTAL, objectType: 'contacts', objectId: String(i), syncedAt: now, createdAt: at(created), updatedAt: at(719),
      properties: [{ name: 'lifecyclestage', value: stages[0].value }, { name: 'x_engagement', value: String(Math.round(engagement * 100)) }, { name: 'hs_analytics_num_page_views', value: views }],
      history: [
        { name: 'lifecyclestage', entries: stages },
        { name: 'x_engagement', entries: [{ value: String(Math.round(engagement * 100)), at: at(created) }] },
        { name: 'hs_analytics_num_page_views', entries: [{ value: views, at: at(created) }] },
      ],
    });
  }
  await crmObjectModel(connection).insertMany(docs);
}

test('cold start: too few conversions → the rule model is current and says why; once the data is there the learned model takes over', async () => {
  await addContacts(0, 30, 1);
  const first = await trainPortalModels(connection, PORTAL, { settings: defaultLabelSettings, now, trainer: inThread });
  const lead = first.find((r) => r.target === 'lead')!;
  assert.equal(lead.kind, 'rules');
  assert.equal(lead.decision.promoted, true);
  assert.equal((await currentModel(connection, PORTAL, 'lead'))?.kind, 'rules');

  await addContacts(1000, 1500, 2);
  const second = await trainPortalModels(connection, PORTAL, { settings: defaultLabelSettings, now, trainer: inThread });
  const learned = second.find((r) => r.target === 'lead')!;
  assert.equal(learned.kind, 'learned');
  assert.equal(learned.decision.promoted, true, learned.decision.reason);
  assert.ok(learned.holdoutAuc > 0.7, `holdout AUC ${learned.holdoutAuc}`);
  assert.ok(learned.currentAuc !== undefined && learned.holdoutAuc >= learned.currentAuc, 'compared with the rule model on the same holdout');
  const current = await currentModel(connection, PORTAL, 'lead');
  assert.equal(current?.kind, 'learned');
  assert.equal(current?.version, 'lead-1');
  const entries = await trainedModelModel(connection).find({ portalId: PORTAL, target: 'lead' }).lean();
  assert.deepEqual(entries.map((e) => `${e.version}:${e.status}`).sort(), ['lead-1:current', 'lead-rules:retired']);
  const entry = entries.find((e) => e.version === 'lead-1')!;
  assert.ok(entry.window?.holdoutAt && entry.window.to && entry.window.to < entry.window.holdoutAt, 'trained on older snapshots than the holdout');
  assert.equal(entry.decision?.replaced, 'lead-rules');
  assert.ok((entry.plan as { numeric: string[] }).numeric.includes('x_engagement'));
});

test('the registry keeps what the portal page draws: ROC points, calibration bins and top features on the holdout', async () => {
  const entry = (await trainedModelModel(connection).findOne({ portalId: PORTAL, target: 'lead', version: 'lead-1' }).lean())!;
  const charts = entry.charts as HoldoutCharts;
  assert.deepEqual(charts.roc[0], { fpr: 0, tpr: 0 });
  assert.deepEqual(charts.roc.at(-1), { fpr: 1, tpr: 1 });
  assert.ok(charts.roc.length > 10 && charts.roc.length <= 101, `${charts.roc.length} ROC points`);
  for (let i = 1; i < charts.roc.length; i++) assert.ok(charts.roc[i].fpr >= charts.roc[i - 1].fpr && charts.roc[i].tpr >= charts.roc[i - 1].tpr, 'the ROC curve never goes back');
  assert.equal(charts.calibration.reduce((n, b) => n + b.count, 0), entry.holdout?.rows, 'every holdout row in one calibration bin');
  assert.ok(charts.calibration.every((b) => b.predicted >= 0 && b.predicted <= 1 && b.observed >= 0 && b.observed <= 1));
  assert.ok(charts.importance.slice(0, 3).some((f) => f.feature === 'x_engagement'), `the feature the outcome depends on is among the top 3: ${charts.importance.map((f) => f.feature).join(', ')}`);
  assert.ok(charts.importance.every((f, i) => i === 0 || f.weight <= charts.importance[i - 1].weight));
  const rules = (await trainedModelModel(connection).findOne({ portalId: PORTAL, target: 'lead', version: 'lead-rules' }).lean())!;
  assert.match(rules.coldStart ?? '', /needed to learn|too short/, 'a rule model says why it is one');
});

test('a new model that is worse on the same holdout is recorded as rejected and the current one stays', async () => {
  // A real model, trained on labels shuffled out of order: it has learned nothing true.
  const shuffled = async (input: TrainInput) => {
    const rand = random(9);
    const labels = Array.from(input.labels);
    for (let i = labels.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [labels[i], labels[j]] = [labels[j], labels[i]];
    }
    return train({ ...input, labels });
  };
  const history = await loadPortalHistory(connection, PORTAL, 'contacts');
  const run = await trainAndPromote(connection, PORTAL, 'lead', { history, settings: defaultLabelSettings, now: new Date(now.getTime() + 1000), trainer: shuffled });
  assert.equal(run.decision.promoted, false);
  assert.match(run.decision.reason, /below lead-1/);
  assert.equal((await currentModel(connection, PORTAL, 'lead'))?.version, 'lead-1');
  const rejected = await trainedModelModel(connection).findOne({ portalId: PORTAL, target: 'lead', version: 'lead-2' }).lean();
  assert.equal(rejected?.status, 'rejected');
  assert.equal(rejected?.decision?.promoted, false);
  assert.ok((rejected?.decision?.currentAucOnHoldout ?? 0) > (rejected?.holdout?.auc ?? 1));
});

test('the same training input gives the same model and the same decision (nothing depends on the clock or chance)', async () => {
  const history = await loadPortalHistory(connection, PORTAL, 'contacts');
  const { trainTarget } = await import('../../src/models/train-target.ts');
  const a = await trainTarget({ history, target: 'lead', settings: defaultLabelSettings, now: now.getTime(), trainer: inThread });
  const b = await trainTarget({ history, target: 'lead', settings: defaultLabelSettings, now: now.getTime(), trainer: inThread });
  assert.equal(a.holdout.auc, b.holdout.auc);
  assert.deepEqual(a.holdoutRecordIds, b.holdoutRecordIds);
});
