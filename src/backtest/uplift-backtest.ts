/**
 * `propensity backtest --uplift`: a randomised experiment in a CSV (a column naming each record's
 * arm, one value of it the control group, an outcome column) is split as peers.py splits; on the
 * training rows, per treatment arm, an uplift model is chosen by out-of-fold Qini and an outcome
 * model is trained for comparison; on the held-out rows each ranking is judged by Qini and by the
 * measured uplift in its top 30 %, and three rules are valued by inverse propensity weighting: each
 * record gets the arm the uplift models pick, everyone gets the single arm that did best in
 * training, nobody gets anything. Standard errors: bootstrap (200 resamples of the held-out rows,
 * paired across the two rankings) for Qini, analytic for the rest. Pure apart from reading the file.
 */
import { predict, takeRows, train } from '../learners/index.ts';
import { CsvError, labelsFromColumn, readCsvTable, splitRows, type SplitRule } from '../tabular/index.ts';
import {
  armShares, bootstrapStandardErrors, chooseActions, chooseUpliftLearner, policyDifference, policyValue, predictUplift, qiniCoefficient, rankByScore, upliftInTop,
  type Arm, type UpliftModel,
} from '../uplift/index.ts';

export interface UpliftBacktestOptions {
  csv: string;
  separator: string;
  treatment: string;
  control: string;
  outcome: string;
  positive: string;
  drop: string[];
  split: SplitRule;
  /** What the action costs per record, in outcomes (0: any expected gain is worth it). */
  cost: number;
  seed?: number;
}

export interface PairOfFigures {
  uplift: number;
  probability: number;
}

export interface ArmLine {
  treatment: string;
  qini: PairOfFigures;
  upliftTop30: PairOfFigures;
  n_test: number;
  qiniSe: PairOfFigures;
  upliftTop30Se: PairOfFigures;
  /** Uplift ranking's Qini minus probability ranking's, with its paired bootstrap standard error. */
  qiniDifference: { value: number; se: number };
  learner: string;
  candidates: { learner: string; qini: number }[];
  n_train: number;
}

export interface PolicyLine {
  policy: { perRecord: number; bestSingle: number; none: number };
  policySe: { perRecord: number; bestSingle: number; none: number };
  perRecordMinusBestSingle: { value: number; se: number };
  bestSingleArm: string;
  /** How many held-out records the per-record rule gives each arm ("none" for no action). */
  perRecordArms: Record<string, number>;
  n_test: number;
}

const top = 0.3;

export function runUpliftBacktest(o: UpliftBacktestOptions): { arms: ArmLine[]; policy: PolicyLine } {
  if (o.treatment === o.outcome) throw new CsvError(`--treatment and --outcome name the same column "${o.outcome}"`);
  const csv = readCsvTable(o.csv, { separator: o.separator, exclude: o.drop.filter((c) => c !== o.treatment && c !== o.outcome), text: [o.treatment, o.outcome] });
  if (csv.table.numericNames.length + csv.table.categoricalNames.length === 0) throw new CsvError(`${o.csv} has no feature columns besides the arm and the outcome`);
  const armText = csv.text[o.treatment];
  const outcome = labelsFromColumn(csv.text[o.outcome], o.positive, o.outcome);
  const seen = [...new Set(armText)];
  if (!seen.includes(o.control)) throw new CsvError(`no row has ${o.treatment} = ${JSON.stringify(o.control)}, the control group (values seen: ${seen.slice(0, 6).map((v) => JSON.stringify(v)).join(', ')})`);
  const treatments = seen.filter((v) => v !== o.control).sort();
  if (treatments.length === 0) throw new CsvError(`every row has ${o.treatment} = ${JSON.stringify(o.control)}: there is no treatment to compare with the control group`);
  const arm: Arm[] = armText.map((v) => (v === o.control ? null : v));
  const { train: trainRows, test: testRows } = splitRows(csv.rowCount, o.split);
  const seed = o.seed ?? 0;
  const testTable = takeRows(csv.table, testRows);
  const testArm = Array.from(testRows, (i) => arm[i]);
  const testOutcome = Uint8Array.from(testRows, (i) => outcome[i]);

  const models = new Map<string, UpliftModel>();
  const arms = treatments.map((treatment): ArmLine => {
    const rows = Array.from(trainRows).filter((i) => arm[i] === treatment || arm[i] === null);
    const data = { table: takeRows(csv.table, rows), treated: rows.map((i) => (arm[i] === treatment ? 1 : 0)), outcome: rows.map((i) => outcome[i]) };
    const choice = chooseUpliftLearner(data, { seed });
    models.set(treatment, choice.model);
    const probabilityModel = train({ table: data.table, labels: data.outcome, options: { seed } });

    const held = Array.from(testRows.keys()).filter((k) => testArm[k] === treatment || testArm[k] === null);
    const heldTable = takeRows(testTable, held);
    const treated = held.map((k) => (testArm[k] === treatment ? 1 : 0));
    const heldOutcome = held.map((k) => testOutcome[k]);
    const scores = { uplift: predictUplift(choice.model, heldTable), probability: predict(probabilityModel, heldTable) };
    const orders = { uplift: rankByScore(scores.uplift), probability: rankByScore(scores.probability) };
    const sample = (score: Float64Array) => ({ score, treated, outcome: heldOutcome });
    const qini = (k: 'uplift' | 'probability', w?: Uint32Array) => qiniCoefficient(sample(scores[k]), orders[k], w);
    const se = bootstrapStandardErrors(held.length, {
      uplift: (w) => qini('uplift', w),
      probability: (w) => qini('probability', w),
      difference: (w) => qini('uplift', w) - qini('probability', w),
    }, 200, seed + 1);
    const topUplift = upliftInTop(sample(scores.uplift), top, orders.uplift);
    const topProbability = upliftInTop(sample(scores.probability), top, orders.probability);
    return {
      treatment,
      qini: { uplift: qini('uplift'), probability: qini('probability') },
      upliftTop30: { uplift: topUplift.uplift, probability: topProbability.uplift },
      n_test: held.length,
      qiniSe: { uplift: se.uplift, probability: se.probability },
      upliftTop30Se: { uplift: topUplift.standardError, probability: topProbability.standardError },
      qiniDifference: { value: qini('uplift') - qini('probability'), se: se.difference },
      learner: choice.learner,
      candidates: choice.candidates,
      n_train: rows.length,
    };
  });

  // The rules, valued on every held-out row.
  const gains = Object.fromEntries(treatments.map((t) => [t, predictUplift(models.get(t)!, testTable)]));
  const perRecord = chooseActions({ gains, value: 1, cost: Object.fromEntries(treatments.map((t) => [t, o.cost])) });
  const bestSingleArm = bestArmInTraining(treatments, arm, outcome, trainRows);
  const everyone = (a: Arm) => testArm.map(() => a);
  const shares = armShares(testArm);
  const records = (policy: Arm[]) => ({ arm: testArm, outcome: testOutcome, policy, shares });
  const values = { perRecord: policyValue(records(perRecord)), bestSingle: policyValue(records(everyone(bestSingleArm))), none: policyValue(records(everyone(null))) };
  const difference = policyDifference(records(perRecord), records(everyone(bestSingleArm)));
  const perRecordArms: Record<string, number> = {};
  for (const a of perRecord) perRecordArms[a ?? 'none'] = (perRecordArms[a ?? 'none'] ?? 0) + 1;
  return {
    arms,
    policy: {
      policy: { perRecord: values.perRecord.value, bestSingle: values.bestSingle.value, none: values.none.value },
      policySe: { perRecord: values.perRecord.standardError, bestSingle: values.bestSingle.standardError, none: values.none.standardError },
      perRecordMinusBestSingle: { value: difference.difference, se: difference.standardError },
      bestSingleArm,
      perRecordArms,
      n_test: testRows.length,
    },
  };
}

/** The treatment with the highest outcome rate among the training rows (ties: the first). */
function bestArmInTraining(treatments: string[], arm: Arm[], outcome: Uint8Array, trainRows: Uint32Array): string {
  const rate = (t: string) => {
    let n = 0, hits = 0;
    for (const i of trainRows) if (arm[i] === t) { n++; hits += outcome[i]; }
    return n === 0 ? -1 : hits / n;
  };
  return treatments.reduce((a, t) => (rate(t) > rate(a) ? t : a));
}

