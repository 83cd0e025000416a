/**
 * The uplift model of one portal's enrolment (the fast track, the nurture track, the retention
 * playbook), learned from the records that qualified for it: those enrolled and those held out as
 * its control group, each with the outcome that followed. Pure: plain rows in, a model and a
 * promotion decision out; the registry stores them.
 *
 * - `upliftReadiness`: an uplift model is trained only once both groups hold at least
 *   `minEach` records with the outcome and `minEach` without (default 30 each: fewer and the
 *   difference between the groups is mostly noise; the page shows how far each group is).
 * - `trainEnrolmentUplift`: holds out a quarter of the records (stratified by group and outcome),
 *   chooses the learner by cross-validated Qini on the rest, and promotes the candidate only if its
 *   Qini on the held-out records is at least the current model's on the same records.
 */
import { takeRows, type Table } from '../learners/index.ts';
import { chooseUpliftLearner, upliftFolds, type ChooseOptions } from './choose-uplift-learner.ts';
import { qiniCoefficient } from './qini.ts';
import { predictUplift, type UpliftModel, type UpliftTrainingData } from './uplift-learners.ts';

export interface GroupTally {
  records: number;
  outcomes: number;
}

export interface UpliftReadiness {
  ready: boolean;
  /** What the page says: how far each group is from the threshold. */
  reason: string;
  minEach: number;
}

export const defaultMinEach = 30;

export function upliftReadiness(enrolled: GroupTally, control: GroupTally, minEach = defaultMinEach): UpliftReadiness {
  const short = (name: string, g: GroupTally) => {
    const missing: string[] = [];
    if (g.outcomes < minEach) missing.push(`${minEach - g.outcomes} more with the outcome`);
    if (g.records - g.outcomes < minEach) missing.push(`${minEach - (g.records - g.outcomes)} more without it`);
    return missing.length === 0 ? undefined : `${name} records need ${missing.join(' and ')} (${g.outcomes} of ${g.records} so far)`;
  };
  const gaps = [short('enrolled', enrolled), short('control', control)].filter((g) => g !== undefined);
  if (gaps.length === 0) return { ready: true, reason: `enough outcomes: ${enrolled.outcomes} of ${enrolled.records} enrolled and ${control.outcomes} of ${control.records} control records (at least ${minEach} with and ${minEach} without the outcome in each)`, minEach };
  return { ready: false, reason: `not yet: the ${gaps.join('; the ')}`, minEach };
}

export interface EnrolmentUpliftRun {
  model: UpliftModel;
  learner: string;
  candidates: { learner: string; qini: number }[];
  /** Rows (of the input) the candidate and the current model were compared on. */
  holdoutRows: number[];
  holdoutQini: number;
  currentQini: number | undefined;
  promoted: boolean;
  reason: string;
}

export function trainEnrolmentUplift(data: UpliftTrainingData, current?: { version: string; model: UpliftModel }, options: ChooseOptions = {}): EnrolmentUpliftRun {
  const seed = options.seed ?? 0;
  const fold = upliftFolds(data, 4, seed + 11);
  const fit: number[] = [];
  const held: number[] = [];
  for (let i = 0; i < fold.length; i++) (fold[i] === 0 ? held : fit).push(i);
  const rows = (r: number[]): UpliftTrainingData => ({ table: takeRows(data.table, r), treated: r.map((i) => data.treated[i]), outcome: r.map((i) => data.outcome[i]) });
  const choice = chooseUpliftLearner(rows(fit), { ...options, seed });
  const heldData = rows(held);
  const qiniOf = (model: UpliftModel, table: Table) => qiniCoefficient({ score: predictUplift(model, table), treated: heldData.treated, outcome: heldData.outcome });
  const holdoutQini = qiniOf(choice.model, heldData.table);
  const currentQini = current ? qiniOf(current.model, heldData.table) : undefined;
  const f = (q: number) => q.toFixed(4);
  const promoted = currentQini === undefined || holdoutQini >= currentQini;
  const reason = currentQini === undefined
    ? `first uplift model for this enrolment (${choice.learner}, Qini ${f(holdoutQini)} on ${held.length} held-out records)`
    : promoted
      ? `Qini ${f(holdoutQini)} is at least ${current!.version}'s ${f(currentQini)} on the same ${held.length} records`
      : `Qini ${f(holdoutQini)} is below ${current!.version}'s ${f(currentQini)} on the same ${held.length} records; ${current!.version} stays`;
  return { model: choice.model, learner: choice.learner, candidates: choice.candidates, holdoutRows: held, holdoutQini, currentQini, promoted, reason };
}
