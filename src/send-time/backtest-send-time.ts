/**
 * The send-time backtest: events split by time (the last 20 % of the span are the test period); each
 * test event's hour of week is predicted for its person from events before the test period only, by
 * the week-pattern model and three baselines:
 * - uniform: every hour of the week alike;
 * - global: everyone's training histogram (add-one smoothed);
 * - person: the person's own training histogram (add-half smoothed; everyone's order breaks ties),
 *   the uniform week for someone with no training events.
 * Measures: mean log-likelihood per test event, and the share of test events within ±1 h of one of the
 * method's three best hours. Every method picks its three hours the same way, from its own
 * probabilities: `bestSlots`, the hours whose ±1 h windows hold the most probability (for the
 * person baseline, everyone's histogram breaks ties among hours the person's counts leave equal).
 */
import { HOURS_PER_WEEK, slotDistance } from './hour-of-week.ts';
import { fitWeekPatternParameters, splitByTime } from './fit-week-pattern.ts';
import { bestSlots, fitWeekPattern, personPattern, type WeekEvent, type WeekPatternParameters } from './week-pattern.ts';

export const TEST_SHARE = 0.2;
export const sendTimeMethods = ['propensity', 'uniform', 'global', 'person'] as const;
export type SendTimeMethod = (typeof sendTimeMethods)[number];

export interface SendTimeResult {
  method: SendTimeMethod;
  logLikelihoodPerEvent: number;
  top3Within1h: number;
  events: number;
  people: number;
}

export interface SendTimeBacktest {
  results: SendTimeResult[];
  parameters: WeekPatternParameters;
  trainingEvents: number;
  testStart: number;
}

/** The three best hours within ±1 h; `tieBreak` (a distribution) decides between windows `pattern` holds equal. */
function topThree(pattern: ArrayLike<number>, tieBreak?: ArrayLike<number>): number[] {
  return bestSlots(tieBreak ? Float64Array.from(pattern, (p, s) => p + 1e-9 * tieBreak[s]!) : pattern, 3, 1);
}

export class SendTimeDataError extends Error {
  override name = 'SendTimeDataError';
}

export function backtestSendTime(events: readonly WeekEvent[]): SendTimeBacktest {
  const { before: training, after: testing, cut } = splitByTime(events, TEST_SHARE);
  if (training.length === 0 || testing.length === 0) {
    throw new SendTimeDataError(`need events spread over time: ${events.length} event(s) give ${training.length} before and ${testing.length} in the test period`);
  }
  const { parameters } = fitWeekPatternParameters(training);
  const model = fitWeekPattern(training, cut, parameters);

  const globalCounts = new Float64Array(HOURS_PER_WEEK);
  const personCounts = new Map<string, Float64Array>();
  for (const e of training) {
    globalCounts[e.slot]! += 1;
    let counts = personCounts.get(e.person);
    if (!counts) personCounts.set(e.person, (counts = new Float64Array(HOURS_PER_WEEK)));
    counts[e.slot]! += 1;
  }
  const globalPattern = Float64Array.from(globalCounts, (c) => (c + 1) / (training.length + HOURS_PER_WEEK));
  const uniformPattern = new Float64Array(HOURS_PER_WEEK).fill(1 / HOURS_PER_WEEK);

  const predictors: Record<SendTimeMethod, (person: string) => { pattern: Float64Array; best: number[] }> = {
    propensity: (person) => {
      const pattern = personPattern(model, person);
      return { pattern, best: topThree(pattern) };
    },
    uniform: () => ({ pattern: uniformPattern, best: topThree(uniformPattern) }),
    global: () => ({ pattern: globalPattern, best: topThree(globalPattern) }),
    person: (person) => {
      const counts = personCounts.get(person);
      if (!counts) return { pattern: uniformPattern, best: topThree(uniformPattern, globalPattern) };
      const n = counts.reduce((a, b) => a + b, 0);
      const pattern = Float64Array.from(counts, (c) => (c + 0.5) / (n + 0.5 * HOURS_PER_WEEK));
      return { pattern, best: topThree(pattern, globalPattern) };
    },
  };
  const people = new Set(testing.map((e) => e.person)).size;
  const results = sendTimeMethods.map((method): SendTimeResult => {
    const cache = new Map<string, { pattern: Float64Array; best: number[] }>();
    let logLikelihood = 0;
    let hits = 0;
    for (const e of testing) {
      let prediction = cache.get(e.person);
      if (!prediction) cache.set(e.person, (prediction = predictors[method](e.person)));
      logLikelihood += Math.log(prediction.pattern[e.slot]!);
      if (prediction.best.some((s) => slotDistance(s, e.slot) <= 1)) hits += 1;
    }
    return { method, logLikelihoodPerEvent: logLikelihood / testing.length, top3Within1h: hits / testing.length, events: testing.length, people };
  });
  return { results, parameters, trainingEvents: training.length, testStart: cut };
}
