/**
 * The models part of a portal's page, per object type (contacts, companies) and target (lead, churn): the current model (rule model or
 * learned, training window, holdout AUC, ROC, calibration, top features), the score histogram by
 * tier, and the history of versions and promotion decisions from the model registry. Also the
 * settings preview: how many records a threshold change would move.
 */
import type { Connection } from 'mongoose';
import { recordScoreModel } from '../db/models/record-score.ts';
import { trainedModelModel } from '../db/models/trained-model.ts';
import type { DecisionSettings } from '../decisions/decision-settings.ts';
import { thresholdMoves, type ThresholdMove } from '../decisions/threshold-preview.ts';
import type { Target } from '../features/label-settings.ts';
import type { HoldoutCharts } from '../models/holdout-charts.ts';
import { scoredObjectTypes, targets } from '../models/model-registry.ts';
import type { ScoredObjectType } from '../features/load-portal-history.ts';
import { describeFeature } from '../models/feature-labels.ts';
import { tierBounds } from '../scoring/conclude.ts';

export interface ModelView {
  version: string;
  kind: 'rules' | 'learned';
  coldStart: string | null;
  trainedAt: Date;
  window: { from: Date | null; to: Date | null; holdoutAt: Date | null } | null;
  holdout: { auc: number | null; rows: number | null; positives: number | null };
  charts: HoldoutCharts & { importance: (HoldoutCharts['importance'][number] & { label: string })[] };
}

export interface TargetView {
  objectType: ScoredObjectType;
  target: Target;
  /** Names the model's part of the page: `lead`, `churn` for contacts, `company-lead`, `company-churn`. */
  key: string;
  current: ModelView | null;
  /** Scored records per 5-point score bin (0–100), split by tier. */
  histogram: { from: number; to: number; tiers: Record<'A' | 'B' | 'C' | 'D', number> }[];
  history: { version: string; kind: string; status: string; trainedAt: Date; auc: number | null; promoted: boolean | null; reason: string | null; replaced: string | null }[];
}

const BINS = 20;

export async function portalModels(connection: Connection, portalId: number, decisions: DecisionSettings): Promise<TargetView[]> {
  const registry = trainedModelModel(connection);
  const views: TargetView[] = [];
  for (const objectType of scoredObjectTypes) for (const target of targets) {
    const entries = await registry.find({ portalId, objectType, target }, { model: 0, plan: 0, labelSettings: 0 }).sort({ trainedAt: -1 }).limit(20).lean();
    const current = entries.find((e) => e.status === 'current');
    views.push({
      objectType,
      target,
      key: objectType === 'contacts' ? target : `company-${target}`,
      current: current ? modelView(current) : null,
      histogram: await scoreHistogram(connection, portalId, objectType, target, decisions),
      history: entries.map((e) => ({
        version: e.version, kind: e.kind, status: e.status, trainedAt: e.trainedAt, auc: e.holdout?.auc ?? null,
        promoted: e.decision?.promoted ?? null, reason: e.decision?.reason ?? null, replaced: e.decision?.replaced ?? null,
      })),
    });
  }
  return views;
}

function modelView(entry: { version: string; kind: 'rules' | 'learned'; coldStart?: string | null; trainedAt: Date; window?: { from?: Date | null; to?: Date | null; holdoutAt?: Date | null } | null; holdout?: { auc?: number | null; rows?: number | null; positives?: number | null } | null; charts?: unknown }): ModelView {
  const charts = (entry.charts ?? { roc: [], calibration: [], importance: [] }) as HoldoutCharts;
  return {
    version: entry.version,
    kind: entry.kind,
    coldStart: entry.coldStart ?? null,
    trainedAt: entry.trainedAt,
    window: entry.window ? { from: entry.window.from ?? null, to: entry.window.to ?? null, holdoutAt: entry.window.holdoutAt ?? null } : null,
    holdout: { auc: entry.holdout?.auc ?? null, rows: entry.holdout?.rows ?? null, positives: entry.holdout?.positives ?? null },
    charts: { ...charts, importance: charts.importance.map((f) => ({ ...f, label: featureLabel(f.feature) })) },
  };
}

function featureLabel(feature: string): string {
  const { subject, qualifier, company } = describeFeature(feature);
  return `${company ? 'Company: ' : ''}${subject}${qualifier ? ` (${qualifier})` : ''}`;
}

async function scoreHistogram(connection: Connection, portalId: number, objectType: ScoredObjectType, target: Target, decisions: DecisionSettings): Promise<TargetView['histogram']> {
  const [a, b, c] = tierBounds(target, decisions);
  const rows = await recordScoreModel(connection).aggregate<{ _id: { bin: number; tier: 'A' | 'B' | 'C' | 'D' }; n: number }>([
    { $match: { portalId, objectType, target, probability: { $type: 'number' } } },
    {
      $group: {
        _id: {
          bin: { $min: [BINS - 1, { $floor: { $multiply: ['$probability', BINS] } }] },
          tier: { $switch: { branches: [{ case: { $gte: ['$probability', a] }, then: 'A' }, { case: { $gte: ['$probability', b] }, then: 'B' }, { case: { $gte: ['$probability', c] }, then: 'C' }], default: 'D' } },
        },
        n: { $sum: 1 },
      },
    },
  ]);
  const histogram = Array.from({ length: BINS }, (_, i) => ({ from: (i * 100) / BINS, to: ((i + 1) * 100) / BINS, tiers: { A: 0, B: 0, C: 0, D: 0 } }));
  for (const row of rows) histogram[row._id.bin].tiers[row._id.tier] += row.n;
  return histogram;
}

/** Each threshold change with the number of scored records whose probability crosses it. */
export async function previewThresholds(connection: Connection, portalId: number, current: DecisionSettings, proposed: DecisionSettings): Promise<(ThresholdMove & { records: number })[]> {
  const scores = recordScoreModel(connection);
  const moves = thresholdMoves(current, proposed);
  return Promise.all(moves.map(async (move) => ({ ...move, records: await scores.countDocuments({ portalId, target: move.target, probability: { $gte: move.range[0], $lt: move.range[1] } }) })));
}
