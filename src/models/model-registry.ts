/**
 * The model registry in MongoDB: the current model per portal and target, and the training run that
 * trains a candidate, compares it with the current model on the same recent holdout, keeps the better
 * one and records the decision. The adapter around the pure training and promotion code.
 */
import type { Connection } from 'mongoose';
import { trainedModelModel } from '../db/models/trained-model.ts';
import type { LabelSettings, Target } from '../features/label-settings.ts';
import type { LoadedHistory } from '../features/load-portal-history.ts';
import { loadTrainingHistory } from '../features/load-training-history.ts';
import type { FeaturePlan } from '../features/plan-features.ts';
import { decidePromotion, type PromotionDecision } from './promotion.ts';
import { deserializeModel, serializeModel, type ScoringModel } from './scoring-model.ts';
import { metricsOnHoldout, trainTarget, type Trainer } from './train-target.ts';

export const targets: Target[] = ['lead', 'churn'];

export async function currentModel(connection: Connection, portalId: number, target: Target): Promise<(ScoringModel & { trainedAt: Date; scoreBins?: number[] }) | undefined> {
  const entry = await trainedModelModel(connection).findOne({ portalId, target, status: 'current' }).sort({ trainedAt: -1 }).lean();
  if (!entry) return undefined;
  const model = deserializeModel({ kind: entry.kind, target, version: entry.version, plan: entry.plan as FeaturePlan, model: entry.model });
  return { ...model, trainedAt: entry.trainedAt, scoreBins: entry.scoreBins ?? undefined };
}

export interface TrainingRun {
  target: Target;
  version: string;
  kind: 'rules' | 'learned';
  decision: PromotionDecision;
  holdoutAuc: number;
  currentAuc: number | undefined;
}

async function nextVersion(connection: Connection, portalId: number, target: Target): Promise<string> {
  const learned = await trainedModelModel(connection).countDocuments({ portalId, target, kind: 'learned' });
  return `${target}-${learned + 1}`;
}

/** Trains, compares and records one target; the better model is current afterwards. */
export async function trainAndPromote(connection: Connection, portalId: number, target: Target, input: { history: LoadedHistory; settings: LabelSettings; now: Date; trainer: Trainer }): Promise<TrainingRun> {
  const { history, settings, now, trainer } = input;
  const candidate = await trainTarget({ history, target, settings, now: now.getTime(), trainer });
  const current = await currentModel(connection, portalId, target);
  const currentAuc = current && candidate.window
    ? metricsOnHoldout(current, history, settings, candidate.window.holdoutAt.getTime(), now.getTime(), candidate.holdoutRecordIds).auc
    : undefined;
  const decision = decidePromotion({
    candidate: { kind: candidate.model.kind, auc: candidate.holdout.auc },
    current: current ? { kind: current.kind, version: current.version, auc: currentAuc ?? Number.NaN } : undefined,
  });
  const models = trainedModelModel(connection);
  const version = candidate.model.kind === 'learned' ? await nextVersion(connection, portalId, target) : candidate.model.version;
  const record = {
    portalId,
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
    await models.updateMany({ portalId, target, status: 'current' }, { $set: { status: 'retired' } });
    await models.updateOne({ portalId, target, version }, { $set: { ...record, status: 'current' }, $unset: { scoreBins: 1 } }, { upsert: true });
  } else if (candidate.model.kind === 'learned') {
    await models.create({ ...record, status: 'rejected' });
  }
  return { target, version, kind: candidate.model.kind, decision, holdoutAuc: candidate.holdout.auc, currentAuc };
}

/** A portal's training run: both targets, from one read of its history. */
export async function trainPortalModels(connection: Connection, portalId: number, input: { settings: LabelSettings; now?: Date; trainer: Trainer; history?: LoadedHistory }): Promise<TrainingRun[]> {
  const history = input.history ?? (await loadTrainingHistory(connection, portalId, input.settings));
  const runs: TrainingRun[] = [];
  for (const target of targets) runs.push(await trainAndPromote(connection, portalId, target, { history, settings: input.settings, now: input.now ?? new Date(), trainer: input.trainer }));
  return runs;
}

function nanToUndefined<T extends object>(metrics: T): T {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, typeof v === 'number' && Number.isNaN(v) ? undefined : v])) as T;
}
