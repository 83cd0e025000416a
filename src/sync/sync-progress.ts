/**
 * How far a sync is and how long the rest will take: records done of total, the rate of the current
 * run (a restart after a crash or a deploy starts a new run, so downtime never drags the rate down),
 * and the time left at that rate. Pure: counts and times in, figures and words out. The portal page,
 * `propensity sync` and the logs all show these.
 */
import type { CrmObjectType } from './crm-record.ts';

export interface SyncProgress {
  objectType: CrmObjectType;
  done: number;
  total: number | undefined;
  /** When the current run of this type's sync started. */
  resumedAt: Date;
  /** Records done when it started. */
  doneAtResume: number;
  /** Every record of the type is stored (its associations may still be on their way). */
  finished: boolean;
}

export interface ProgressFigures {
  objectType: CrmObjectType;
  done: number;
  total: number | null;
  percent: number;
  /** Records a second in the current run; null until there is one to measure. */
  ratePerSecond: number | null;
  /** Seconds left at that rate: 0 once finished, null when unknown. */
  etaSeconds: number | null;
  finished: boolean;
}

/**
 * @example
 * progressFigures({ objectType: 'contacts', done: 3_000, total: 10_000, resumedAt: new Date(0), doneAtResume: 500, finished: false }, new Date(5_000))
 * // → { ..., percent: 30, ratePerSecond: 500, etaSeconds: 14, finished: false }
 */
export function progressFigures(progress: SyncProgress, now: Date): ProgressFigures {
  const { objectType, done, finished } = progress;
  const total = progress.total ?? null;
  const seconds = (now.getTime() - progress.resumedAt.getTime()) / 1000;
  const doneThisRun = done - progress.doneAtResume;
  const ratePerSecond = seconds > 0 && doneThisRun > 0 ? doneThisRun / seconds : null;
  const left = total === null ? null : Math.max(0, total - done);
  // Rounded up: under way, there is always some time left.
  const etaSeconds = finished ? 0 : left === null || ratePerSecond === null ? null : Math.max(1, Math.ceil(left / ratePerSecond));
  const percent = finished ? 100 : total ? Math.min(99, Math.floor((100 * done) / total)) : 0;
  return { objectType, done, total, percent, ratePerSecond, etaSeconds, finished };
}

/** @example formatDuration(169) === '2 min 49 s'; formatDuration(3_900) === '1 h 5 min' */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3_600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3_600)} h ${Math.floor((s % 3_600) / 60)} min`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The rate and the time left in words, e.g. `521 records/s · about 2 min 49 s left`. */
export function describePace(figures: Pick<ProgressFigures, 'ratePerSecond' | 'etaSeconds' | 'finished'>): string {
  const rate = figures.ratePerSecond === null ? 'measuring the rate' : `${count(Math.round(figures.ratePerSecond))} records/s`;
  const eta = figures.finished ? ' · finished' : figures.etaSeconds === null ? '' : ` · about ${formatDuration(figures.etaSeconds)} left`;
  return `${rate}${eta}`;
}

/** One line, e.g. `contacts 52,000 / 100,000 (52 %) · 521 records/s · about 1 min 32 s left`. */
export function describeProgress(figures: ProgressFigures): string {
  const of = figures.total === null ? '' : ` / ${count(figures.total)} (${figures.percent} %)`;
  return `${figures.objectType} ${count(figures.done)}${of} · ${describePace(figures)}`;
}
