/**
 * The models and scores part of a portal's page: the current model per target and its last training
 * decisions, how many contacts are scored and enrolled, what is waiting to be written or was refused,
 * and the control group's comparison (uplift with a 95 % interval).
 */
import type { Connection } from 'mongoose';
import { recordScoreModel } from '../db/models/record-score.ts';
import { trainedModelModel } from '../db/models/trained-model.ts';
import { uplift, type Uplift } from '../decisions/uplift.ts';

export interface ModelStatus {
  target: string;
  version: string;
  kind: string;
  status: string;
  trainedAt: Date;
  holdoutAuc: number | null;
  promoted: boolean | null;
  reason: string | null;
}

export interface ScoresStatus {
  models: ModelStatus[];
  scored: number;
  scoredCompanies: number;
  enrolments: Record<string, number>;
  writePending: number;
  writeErrors: { objectId: string; error: string }[];
  /** Per enrolment: enrolled vs control among records that qualified, outcome = converted (lead) or left (churn). */
  uplift: { enrolment: string; outcome: string; enrolled: number; control: number; result: Uplift | null }[];
}

export async function scoresStatus(connection: Connection, portalId: number): Promise<ScoresStatus> {
  const models = (await trainedModelModel(connection).find({ portalId }, { model: 0, plan: 0 }).sort({ trainedAt: -1 }).limit(10).lean()).map((m) => ({
    objectType: m.objectType, target: m.target, version: m.version, kind: m.kind, status: m.status, trainedAt: m.trainedAt,
    holdoutAuc: m.holdout?.auc ?? null, promoted: m.decision?.promoted ?? null, reason: m.decision?.reason ?? null,
  }));
  const scores = recordScoreModel(connection);
  const enrolments: Record<string, number> = {};
  for (const row of await scores.aggregate<{ _id: string | null; n: number }>([{ $match: { portalId, enrolment: { $exists: true } } }, { $group: { _id: '$enrolment', n: { $sum: 1 } } }])) {
    enrolments[row._id ?? 'none'] = row.n;
  }
  const groups = await scores.aggregate<{ _id: { q: string; c: boolean; t: string }; n: number }>([
    { $match: { portalId, qualifiedFor: { $exists: true } } },
    { $group: { _id: { q: '$qualifiedFor', c: '$qualifiedControl', t: '$target' }, n: { $sum: 1 } } },
  ]);
  const upliftRows = ['sales_fast_track', 'marketing_nurture', 'retention_playbook'].map((enrolment) => {
    // A lead that is now scored for churn became a customer; a customer now scored as a lead left.
    const hitTarget = enrolment === 'retention_playbook' ? 'lead' : 'churn';
    const tally = (control: boolean) => {
      const rows = groups.filter((g) => g._id.q === enrolment && Boolean(g._id.c) === control);
      return { n: rows.reduce((a, g) => a + g.n, 0), hits: rows.filter((g) => g._id.t === hitTarget).reduce((a, g) => a + g.n, 0) };
    };
    const enrolled = tally(false);
    const control = tally(true);
    return { enrolment, outcome: enrolment === 'retention_playbook' ? 'left (churned)' : 'became a customer', enrolled: enrolled.n, control: control.n, result: uplift(enrolled, control) };
  });
  return {
    models,
    scored: await scores.countDocuments({ portalId, objectType: 'contacts', target: { $exists: true } }),
    scoredCompanies: await scores.countDocuments({ portalId, objectType: 'companies', target: { $exists: true } }),
    enrolments,
    writePending: await scores.countDocuments({ portalId, writePending: true }),
    writeErrors: (await scores.find({ portalId, lastWriteError: { $exists: true } }, { objectId: 1, lastWriteError: 1 }).limit(10).lean()).map((s) => ({ objectId: s.objectId, error: s.lastWriteError ?? '' })),
    uplift: upliftRows,
  };
}
