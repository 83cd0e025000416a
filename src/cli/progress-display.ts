/**
 * Progress in a terminal. On a TTY: one line redrawn in place with `\r` (a bar, done/total, rate,
 * time left); elsewhere (a pipe, a log file): a plain line every few seconds and when a type
 * finishes. Text printed through `printAbove` (log lines) goes above the bar without breaking it.
 */
import { describePace, describeProgress, type ProgressFigures } from '../sync/sync-progress.ts';

export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressDisplay {
  update(figures: ProgressFigures): void;
  printAbove(text: string): void;
  /** Leaves the last line in place (on a TTY) and moves below it. */
  end(): void;
}

const BAR_WIDTH = 24;
const CLEAR_LINE = '\r\x1b[2K';

/** @example progressBar({ objectType: 'contacts', done: 50, total: 100, percent: 50, ... }) starts with 'contacts  [############------------]  50 %' */
export function progressBar(figures: ProgressFigures): string {
  const filled = Math.round((BAR_WIDTH * figures.percent) / 100);
  const of = figures.total === null ? '' : ` / ${figures.total.toLocaleString('en-US')}`;
  return `${figures.objectType.padEnd(9)} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(figures.percent).padStart(3)} %  ${figures.done.toLocaleString('en-US')}${of} · ${describePace(figures)}`;
}

export function createProgressDisplay(output: ProgressOutput, options: { plainEveryMs?: number; now?: () => number } = {}): ProgressDisplay {
  const plainEveryMs = options.plainEveryMs ?? 5_000;
  const now = options.now ?? Date.now;
  let current: ProgressFigures | undefined;
  let lastPlain = new Map<string, number>();
  return {
    update(figures) {
      const previous = current;
      current = figures;
      if (output.isTTY) {
        // A new object type keeps the finished line of the previous one.
        if (previous && previous.objectType !== figures.objectType) output.write('\n');
        output.write(CLEAR_LINE + progressBar(figures));
        return;
      }
      const last = lastPlain.get(figures.objectType);
      if (last === undefined || figures.finished || now() - last >= plainEveryMs) {
        lastPlain.set(figures.objectType, now());
        output.write(`${describeProgress(figures)}\n`);
      }
    },
    printAbove(text) {
      const line = text.endsWith('\n') ? text : `${text}\n`;
      if (!output.isTTY || !current) {
        output.write(line);
        return;
      }
      output.write(CLEAR_LINE + line + progressBar(current));
    },
    end() {
      if (output.isTTY && current) output.write('\n');
      current = undefined;
      lastPlain = new Map();
    },
  };
}
