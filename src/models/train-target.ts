/**
 * Trains a candidate model for one target from a portal's history, validated on time: rows from
 * older snapshots train it, the newest snapshot (whose horizon has just passed) is the holdout every
 * model is compared on. With too few positive outcomes the candidate is the rule model. Pure apart
 * from the trainer it is given (in a worker thread in the app, in-thread in tests).
 */
import { buildTrainingTable, featureNames, snapshotTimes, type PortalHistory } from '../features/build-features.ts';
import type { RecordHistory } from '../features/crm-history.ts';
import type { FeatureTable } from '../features/feature-table.ts';
import type { LabelSettings, Target } from '../features/label-settings.ts';
import { planFeatures } from '../features/plan-features.ts';
import { autoDefaults, takeRows, type Model, type TrainInput } from '../learners/index.ts';
import { holdoutCharts, type HoldoutCharts } from './holdout-charts.ts';
import { holdoutMetrics, type HoldoutMetrics } from './holdout-metrics.ts';
import { buildRuleModel } from './rule-model.ts';
import { scoreProbabilities, type ScoringModel } from './scoring-model.ts';

export type Trainer = (input: TrainInput) => Promise<Model>;

export interface TrainTargetInput {
  history: PortalHistory & { companyList: RecordHistory[]; earliest: number };
  target: Target;
  settings: LabelSettings;
  now: number;
  trainer: Trainer;
  /** Rows kept at most (a stable sample of records per snapshot beyond it). */
  maxRows?: number;
  seed?: number;
}

export interface Candidate {
  model: ScoringModel;
  window: { from: Date; to: Date; holdoutAt: Date } | undefined;
  training: Pick<HoldoutMetrics, 'rows' | 'positives'>;
  holdout: HoldoutMetrics;
  /** ROC, calibration and feature importance on the holdout, for the portal's page. */
  charts: HoldoutCharts;
  /** Why it is a rule model, when it is one. */
  coldStart?: string;
  /** The holdout's rows (records at `window.holdoutAt`): every model is compared on exactly these. */
  holdoutRecordIds: string[];
}

export const DEFAULT_MAX_ROWS = 200_000;

/** A stable number in [0, 1) for a row: the same rows are sampled on every run. */
function rowDraw(recordId: string, time: number): number {
  let h = 2166136261 ^ Math.floor(time / 86_400_000);
  for (let i = 0; i < recordId.length; i++) h = Math.imul(h ^ recordId.charCodeAt(i), 16777619);
  return ((h >>> 0) % 1_000_003) / 1_000_003;
}

/** Labels of a table as an array (empty when unlabelled). */
function labelsOf(table: FeatureTable): Uint8Array {
  return table.labels ?? new Uint8Array(0);
}

/** Rows at the holdout time and the rows before it. */
function splitOnTime(table: FeatureTable, holdoutAt: number): { train: number[]; holdout: number[] } {
  const train: number[] = [];
  const holdout: number[] = [];
  for (let i = 0; i < table.rowCount; i++) (table.times[i] >= holdoutAt ? holdout : train).push(i);
  return { train, holdout };
}

export async function trainTarget({ history, target, settings, now, trainer, maxRows = DEFAULT_MAX_ROWS, seed = 0 }: TrainTargetInput): Promise<Candidate> {
  const plan = planFeatures(history.records, history.companyList, target, settings);
  const times = Number.isFinite(history.earliest) ? snapshotTimes(history.earliest, now, settings) : [];
  const rulesCandidate = (reason: string, table?: FeatureTable): Candidate => {
    const model: ScoringModel = { kind: 'rules', target, version: `${target}-rules`, plan, rules: buildRuleModel(target, featureNames(plan).numeric) };
    const holdoutRows = table && times.length > 0 ? takeRowsAsTable(table, splitOnTime(table, times[times.length - 1]).holdout) : undefined;
    const probabilities = holdoutRows ? scoreProbabilities(model, holdoutRows) : new Float64Array(0);
    const holdout = holdoutRows ? holdoutMetrics(probabilities, labelsOf(holdoutRows)) : holdoutMetrics([], []);
    const charts = holdoutRows ? holdoutCharts(model, holdoutRows, probabilities, labelsOf(holdoutRows)) : { roc: [], calibration: [], importance: [] };
    return { model, window: undefined, training: { rows: table?.rowCount ?? 0, positives: countPositives(table) }, holdout, charts, coldStart: reason, holdoutRecordIds: holdoutRows?.recordIds ?? [] };
  };
  if (times.length < 2) return rulesCandidate(`history too short: ${times.length} snapshot(s) whose ${settings.horizonDays}-day horizon has passed, 2 needed`);

  const expected = history.records.length * times.length;
  const share = expected > maxRows ? maxRows / expected : 1;
  const table = buildTrainingTable(plan, history, target, settings, times, now, share < 1 ? (id, t) => rowDraw(id, t) < share : undefined);
  const holdoutAt = times[times.length - 1];
  const positives = countPositives(table);
  if (positives < settings.minPositives) {
    return rulesCandidate(`${positives} positive outcome(s) in the history, ${settings.minPositives} needed to learn`, table);
  }
  const { train, holdout } = splitOnTime(table, holdoutAt);
  const trainTable = takeRowsAsTable(table, train);
  const holdoutTable = takeRowsAsTable(table, holdout);
  if (countPositives(trainTable) === 0 || countPositives(trainTable) === trainTable.rowCount) {
    return rulesCandidate('the training snapshots hold only one outcome class', table);
  }
  const learned = await trainer({ table: trainTable, labels: labelsOf(trainTable), options: { seed, auto: { holdoutFraction: latestSnapshotShare(trainTable), choice: choiceRows(trainTable, now - times[times.length - 2]) } } });
  const model: ScoringModel = { kind: 'learned', target, version: '', plan, model: learned };
  const probabilities = scoreProbabilities(model, holdoutTable);
  return {
    model,
    window: { from: new Date(times[0]), to: new Date(times[times.length - 2]), holdoutAt: new Date(holdoutAt) },
    training: { rows: trainTable.rowCount, positives: countPositives(trainTable) },
    holdout: holdoutMetrics(probabilities, labelsOf(holdoutTable)),
    charts: holdoutCharts(model, holdoutTable, probabilities, labelsOf(holdoutTable)),
    holdoutRecordIds: holdoutTable.recordIds,
  };
}

/** A model's metrics on the rows of the given snapshots whose horizon has passed, its features rebuilt with its own plan. */
export function metricsAt(model: ScoringModel, history: PortalHistory, settings: LabelSettings, times: number[], now: number, include?: (recordId: string) => boolean): HoldoutMetrics {
  const table = buildTrainingTable(model.plan, history, model.target, settings, times, now, include);
  return holdoutMetrics(scoreProbabilities(model, table), labelsOf(table));
}

/** Another model's metrics on the same holdout rows. */
export function metricsOnHoldout(model: ScoringModel, history: PortalHistory, settings: LabelSettings, holdoutAt: number, now: number, holdoutRecordIds: string[]): HoldoutMetrics {
  const ids = new Set(holdoutRecordIds);
  return metricsAt(model, history, settings, [holdoutAt], now, (id) => ids.has(id));
}

/**
 * The rows the learners choose between themselves on, the way the chosen model will be used: it
 * scores records `gap` after its newest training snapshot (the horizon and a step), so each learner
 * is fitted on the snapshots at least `gap` older than the newest one (or, with a shorter history,
 * on the oldest) and compared on the newest. Trees that win a month ahead can lose four months
 * ahead, where a portal's records have drifted beyond the values they were fitted on (tenure keeps
 * growing), and it is four months ahead that the scores are used. Undefined with a single snapshot.
 */
export function choiceRows(table: FeatureTable, gap: number): { fit: number[]; holdout: number[] } | undefined {
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < table.rowCount; i++) [oldest, newest] = [Math.min(oldest, table.times[i]), Math.max(newest, table.times[i])];
  if (!(oldest < newest)) return undefined;
  const fitUntil = Math.max(oldest, newest - gap);
  const fit: number[] = [];
  const holdout: number[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    if (table.times[i] === newest) holdout.push(i);
    else if (table.times[i] <= fitUntil) fit.push(i);
  }
  return { fit, holdout };
}

/**
 * Where the chosen learner is calibrated (and where the learners choose when `choiceRows` cannot:
 * one snapshot, or a class missing from its rows): the share of rows at the latest training snapshot,
 * so that it is that whole snapshot (the next period after the others) rather than a slice of it cut
 * by record order. The learners' default
 * share when that snapshot is half the rows or more.
 */
export function latestSnapshotShare(table: FeatureTable): number {
  let latest = 0;
  let count = 0;
  for (let i = 0; i < table.rowCount; i++) {
    if (table.times[i] > latest) [latest, count] = [table.times[i], 0];
    if (table.times[i] === latest) count += 1;
  }
  const share = table.rowCount > 0 ? count / table.rowCount : 0;
  return share > 0 && share < 0.5 ? share : autoDefaults.holdoutFraction;
}

function countPositives(table: FeatureTable | undefined): number {
  let n = 0;
  for (const label of table?.labels ?? []) n += label;
  return n;
}

function takeRowsAsTable(table: FeatureTable, rows: number[]): FeatureTable {
  const taken = takeRows(table, rows);
  return {
    ...taken,
    recordIds: rows.map((r) => table.recordIds[r]),
    times: Float64Array.from(rows, (r) => table.times[r]),
    labels: table.labels ? Uint8Array.from(rows, (r) => table.labels![r]) : undefined,
  };
}
