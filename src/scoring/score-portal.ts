/**
 * Scores a portal's contacts (or companies) with their current models and stores the conclusions for
 * the write-back: every record (after a promotion, or on demand), or only those a webhook changed
 * since they were last scored. A record that is a customer gets the churn model, everyone else the
 * lead model. Only records whose property values change are marked for writing.
 */
import type { AnyBulkWriteOperation, Connection } from 'mongoose';
import { recordScoreModel, type RecordScoreDocument } from '../db/models/record-score.ts';
import { trainedModelModel } from '../db/models/trained-model.ts';
import type { Enrolment } from '../decisions/enrolment-decision.ts';
import { buildScoringTable } from '../features/build-features.ts';
import { loadPortalHistory, type LoadedHistory, type ScoredObjectType } from '../features/load-portal-history.ts';
import { propertiesFor } from '../features/load-training-history.ts';
import { currentModel, targets } from '../models/model-registry.ts';
import { contributionsForRows, scoreProbabilities } from '../models/scoring-model.ts';
import { metricsAt } from '../models/train-target.ts';
import { loadPortalSettings } from '../settings/portal-settings.ts';
import { changedProperties, fromPairs, toPairs } from '../writeback/score-properties.ts';
import { conclude, isDoNotContact } from './conclude.ts';
import { MIN_MODEL_AGE_MS, recentOutcomeSnapshots, type OutcomeCheck } from './early-retrain.ts';
import { populationStability, scoreBins } from './score-drift.ts';

export type ScoreMode = 'all' | 'requested';

export interface ScoreResult {
  scored: number;
  changed: number;
  /** Population stability of the score distribution against the model's reference, per target (full runs). */
  drift: Partial<Record<'lead' | 'churn', number>>;
  /** How each learned model (a day old or more) ranks the outcomes that became known in the last 30 days (full runs). */
  outcomes: Partial<Record<'lead' | 'churn', OutcomeCheck>>;
}

/** Marks records to be rescored (a webhook changed them, or a deal or company linked to them). */
export async function requestRescore(connection: Connection, portalId: number, objectIds: string[], now = new Date(), objectType: ScoredObjectType = 'contacts'): Promise<void> {
  if (objectIds.length === 0) return;
  await recordScoreModel(connection).bulkWrite(
    objectIds.map((objectId) => ({
      updateOne: {
        filter: { portalId, objectType, objectId },
        update: { $set: { rescoreRequested: true, rescoreRequestedAt: now }, $setOnInsert: { portalId, objectType, objectId } },
        upsert: true,
      },
    })),
    { ordered: false },
  );
}

/** `preloaded`: the records' history already read (a training run scores with the copy it trained on). */
export async function scorePortal(connection: Connection, portalId: number, mode: ScoreMode, now = new Date(), preloaded?: LoadedHistory, objectType: ScoredObjectType = 'contacts'): Promise<ScoreResult> {
  const scores = recordScoreModel(connection);
  const ids = mode === 'requested'
    ? (await scores.find({ portalId, objectType, rescoreRequested: true }, { objectId: 1 }).lean()).map((s) => s.objectId)
    : undefined;
  const result: ScoreResult = { scored: 0, changed: 0, drift: {}, outcomes: {} };
  if (ids && ids.length === 0) return result;
  const settings = await loadPortalSettings(connection, portalId);
  const models = (await Promise.all(targets.map((target) => currentModel(connection, portalId, target, objectType)))).filter((m) => m !== undefined);
  // A whole-portal run reads only what the current models use; a few records are read whole.
  const history = mode === 'all' && preloaded ? preloaded : await loadPortalHistory(connection, portalId, objectType, ids, ids ? {} : propertiesFor(models.map((m) => m.plan)));
  const byId = new Map(history.records.map((r) => [r.objectId, r]));
  const previous = new Map<string, RecordScoreDocument>();
  const wantedIds = ids ?? history.records.map((r) => r.objectId);
  for (let i = 0; i < wantedIds.length; i += 5_000) {
    for (const doc of await scores.find({ portalId, objectType, objectId: { $in: wantedIds.slice(i, i + 5_000) } }).lean()) previous.set(doc.objectId, doc);
  }
  const time = now.getTime();
  const operations: AnyBulkWriteOperation<RecordScoreDocument>[] = [];
  for (const model of models) {
    const target = model.target;
    const table = buildScoringTable(model.plan, history, target, settings.labels, time);
    const probabilities = scoreProbabilities(model, table);
    const reasonsOf = contributionsForRows(model, table);
    const version = model.kind === 'rules' ? `${model.version} (cold start: not enough history to learn yet)` : model.version;
    for (let row = 0; row < table.rowCount; row++) {
      const objectId = table.recordIds[row];
      const record = byId.get(objectId)!;
      const before = previous.get(objectId);
      const outcome = conclude({
        portalId, objectType, objectId, target,
        probability: probabilities[row],
        contributions: reasonsOf(row),
        modelVersion: version,
        doNotContact: isDoNotContact((name) => record.valueAt(name, time)),
        previous: (before?.enrolment ?? undefined) as Enrolment | undefined,
        settings: settings.decisions,
      });
      const valuesChanged = Object.keys(changedProperties(outcome.values, fromPairs(before?.values))).length > 0 || !before?.values?.length;
      const writeNeeded = Object.keys(changedProperties(outcome.values, fromPairs(before?.written))).length > 0;
      if (valuesChanged) result.changed += 1;
      operations.push({
        updateOne: {
          filter: { portalId, objectType, objectId },
          update: {
            $set: {
              target, probability: outcome.probability, modelVersion: version, enrolment: outcome.enrolment.enrolment, control: outcome.enrolment.control,
              values: toPairs(outcome.values), writePending: writeNeeded,
              ...(valuesChanged ? { scoredAt: now, writeAttempts: 0 } : {}),
              ...(outcome.enrolment.wouldBe !== 'none' && !before?.qualifiedFor
                ? { qualifiedFor: outcome.enrolment.wouldBe, qualifiedAt: now, qualifiedControl: outcome.enrolment.control }
                : {}),
            },
            ...(valuesChanged ? { $inc: { revision: 1 } } : {}),
            $setOnInsert: { portalId, objectType, objectId, written: [], rescoreRequested: false },
          },
          upsert: true,
        },
      });
    }
    result.scored += table.rowCount;
    if (mode === 'all' && table.rowCount > 0) {
      const bins = scoreBins(probabilities);
      if (model.scoreBins) result.drift[target] = populationStability(model.scoreBins, bins);
      else await trainedModelModel(connection).updateOne({ portalId, objectType, target, version: model.version }, { $set: { scoreBins: bins } });
    }
    if (mode === 'all' && model.kind === 'learned' && model.validationAuc !== undefined && time - model.trainedAt.getTime() > MIN_MODEL_AGE_MS) {
      const recent = metricsAt(model, history, settings.labels, recentOutcomeSnapshots(time, settings.labels.horizonDays), time);
      result.outcomes[target] = { auc: recent.auc, validationAuc: model.validationAuc, rows: recent.rows };
    }
  }
  // Straight to the driver: the operations are plain values built here, every filter names the portal.
  for (let i = 0; i < operations.length; i += 1_000) await scores.collection.bulkWrite(operations.slice(i, i + 1_000) as never, { ordered: false });
  if (ids) {
    await scores.updateMany({ portalId, objectType, objectId: { $in: ids }, rescoreRequestedAt: { $lte: now } }, { $set: { rescoreRequested: false } });
  }
  return result;
}
