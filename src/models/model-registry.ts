/**
 * The model registry in MongoDB: the current model per portal, object type and target, and the training run that
 * trains a candidate, compares it with the current model on the same recent holdout, keeps the better
 * one and records the decision. The adapter around the pure training and promotion code.
 */
import type { Connection } from 'mongoose';
import { trainedModelModel } from '../db/models/trained-model.ts';
import type { LabelSettings, Target } from '../features/label-settings.ts';
import type { LoadedHistory, ScoredObjectType } from '../features/load-portal-history.ts';
import { loadTrainingHistory } from '../features/load-training-history.ts';
import type { FeaturePlan } from '../features/plan-features.ts';
import { decidePromotion, type PromotionDecision } from './promotion.ts';
import { deserializeModel, serializeModel, type ScoringModel } from './scoring-model.ts';
import { metricsOnHoldout, trainTarget, type Trainer } from './train-target.ts';

export const targets: Target[] = ['lead', 'churn'];
/** Each scored object type has its own models; a company's versions are told apart by a prefix. */
export const scoredObjectTypes: ScoredObjectType[] = ['contacts', 'companies'];
const versionPrefix = (objectType: ScoredObjectType) => (objectType === 'companies' ? 'company-' : '');

export async function currentModel(connection: Connection, portalId: number, target: Target, objectType: ScoredObjectType = 'contacts'): Promise<(ScoringModel & { trainedAt: Date; scoreBins?: number[]; validationAuc?: number }) | undefined> {
  const entry = await trainedModelModel(connection).findOne({ portalId, objectType, target, status: 'current' }).sort({ trainedAt: -1 }).lean();
  if (!entry) return undefined;
  const model = deserializeModel({ kind: entry.kind, target, version: entry.version, plan: entry.plan as FeaturePlan, model: entry.model });
  return { ...model, trainedAt: entry.trainedAt, scoreBins: entry.scoreBins ?? undefined, validationAuc: entry.holdout?.auc ?? undefined };
}

export interface TrainingRun {
  objectType: ScoredObjectType;
  target: Target;
  version: string;
  kind: 'rules' | 'learned';
  decision: PromotionDecision;
  holdoutAuc: number;
  currentAuc: number | undefined;
}

async function nextVersion(connection: Connection, portalId: number, objectType: ScoredObjectType, target: Target): Promise<string> {
  const learned = await trainedModelModel(connection).countDocuments({ portalId, objectType, target, kind: 'learned' });
  return `${versionPrefix(objectType)}${target}-${learned + 1}`;
}

/** Trains, compares and records one target; the better model is current afterwards. */
export async function trainAndPromote(connection: Connection, portalId: number, target: Target, input: { history: LoadedHistory; settings: LabelSettings; now: Date; trainer: Trainer; objectType?: ScoredObjectType }): Promise<TrainingRun> {
  const { history, settings, now, trainer } = input;
  const objectType = input.objectType ?? 'contacts';
  const candidate = await trainTarget({ history, target, settings, now: now.getTime(), trainer });
  const current = await currentModel(connection, portalId, target, objectType);
  const currentAuc = current && candidate.window
    ? metricsOnHoldout(current, history, settings, candidate.window.holdoutAt.getTime(), now.getTime(), candidate.holdoutRecordIds).auc
    : undefined;
  const decision = decidePromotion({
    candidate: { kind: candidate.model.kind, auc: candidate.holdout.auc },
    current: current ? { kind: current.kind, version: current.version, auc: currentAuc ?? Number.NaN } : undefined,
  });
  const models = trainedModelModel(connection);
  const version = candidate.model.kind === 'learned' ? await nextVersion(connection, portalId, objectType, target) : `${versionPrefix(objectType)}${candidate.model.version}`;
  const record = {
    portalId,
    objectType,
    target,
    version,
    kind: candidate.model.kind,
    trainedAt: now,
    window: candidate.window,
    labelSettings: settings,
    plan: candidate.model.plan,
    training: candidate.training,
    holdout: nanToUndefined(candidate.holdout),
    charts: candidate.charts,
    coldStart: candidate.coldStart,
    model: serializeModel({ ...candidate.model, version }),
    decision: { ...decision, replaced: decision.promoted ? current?.version : undefined, currentAucOnHoldout: Number.isNaN(currentAuc ?? Number.NaN) ? undefined : currentAuc, decidedAt: now },
  };
  if (decision.promoted) {
    await models.updateMany({ portalId, objectType, target, status: 'current' }, { $set: { status: 'retired' } });
    await models.updateOne({ portalId, target, version }, { $set: { ...record, status: 'current' }, $unset: { scoreBins: 1 } }, { upsert: true });
  } else if (candidate.model.kind === 'learned') {
    await models.create({ ...record, status: 'rejected' });
  }
  return { objectType, target, version, kind: candidate.model.kind, decision, holdoutAuc: candidate.holdout.auc, currentAuc };
}

/** A portal's training run for one object type: both targets, from one read of its history. */
export async function trainPortalModels(connection: Connection, portalId: number, input: { settings: LabelSettings; now?: Date; trainer: Trainer; history?: LoadedHistory; objectType?: ScoredObjectType }): Promise<TrainingRun[]> {
  const objectType = input.objectType ?? 'contacts';
  const history = input.history ?? (await loadTrainingHistory(connection, portalId, input.settings, objectType));
  const runs: TrainingRun[] = [];
  for (const target of targets) runs.push(await trainAndPromote(connection, portalId, target, { history, settings: input.settings, now: input.now ?? new Date(), trainer: input.trainer, objectType }));
  return runs;
}

function nanToUndefined<T extends object>(metrics: T): T {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, typeof v === 'number' && Number.isNaN(v) ? undefined : v])) as T;
}
