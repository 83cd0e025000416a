/**
 * Fits the week pattern's strengths and bandwidths by held-out likelihood inside the training period:
 * the training events' last fifth (by time) is predicted from the four fifths before it, each
 * setting is moved along its grid while the held-out log-likelihood improves (coordinate ascent,
 * a few rounds), then the chosen settings are used on the whole training period. Nothing about a
 * particular data set is built in: the grids span sparse and dense histories alike.
 */
import { defaultWeekPatternParameters, fitWeekPattern, personPattern, type WeekEvent, type WeekPatternParameters } from './week-pattern.ts';

const grids: { [K in keyof WeekPatternParameters]-?: number[] } = {
  halfLifeDays: [30, 60, 120, 240, 480, Infinity],
  globalBandwidth: [0, 0.5, 1, 2],
  globalStrength: [0, 10, 50, 200, 1000, 5000, 20000],
  dayStrength: [0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256],
  hourStrength: [0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256],
  hourBandwidth: [0, 0.5, 1, 1.5, 2, 3],
  slotStrength: [0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 1e9],
  slotBandwidth: [0, 0.5, 1, 1.5, 2, 3],
  exploration: [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1],
  segmentStrength: [10, 50, 200, 1000],
};

/** Share of the span held out for fitting the settings. */
export const HELD_OUT_SHARE = 0.2;

/** Mean log-likelihood of `heldOut` under the pattern fitted on `fitted` with `parameters`. */
export function heldOutLogLikelihood(
  fitted: readonly WeekEvent[],
  heldOut: readonly WeekEvent[],
  asOf: number,
  parameters: WeekPatternParameters,
  segmentOf: ReadonlyMap<string, string> = new Map(),
): number {
  const model = fitWeekPattern(fitted, asOf, parameters, segmentOf);
  const cache = new Map<string, Float64Array>();
  let total = 0;
  let weight = 0;
  for (const event of heldOut) {
    let pattern = cache.get(event.person);
    if (pattern === undefined) {
      pattern = personPattern(model, event.person);
      cache.set(event.person, pattern);
    }
    const w = event.weight ?? 1;
    total += w * Math.log(pattern[event.slot]!);
    weight += w;
  }
  return weight > 0 ? total / weight : 0;
}

/** Splits events at `share` of their time span from the end: [before, after]. */
export function splitByTime<E extends { at: number }>(events: readonly E[], share: number): { before: E[]; after: E[]; cut: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const e of events) {
    first = Math.min(first, e.at);
    last = Math.max(last, e.at);
  }
  const cut = last - (last - first) * share;
  return { before: events.filter((e) => e.at < cut), after: events.filter((e) => e.at >= cut), cut };
}

export interface FittedParameters {
  parameters: WeekPatternParameters;
  heldOutLogLikelihood: number;
}

/** The settings that predict the training period's last fifth best; the defaults when there is too little to hold out. */
export function fitWeekPatternParameters(events: readonly WeekEvent[], segmentOf: ReadonlyMap<string, string> = new Map(), rounds = 2): FittedParameters {
  const { before, after, cut } = splitByTime(events, HELD_OUT_SHARE);
  let parameters = { ...defaultWeekPatternParameters };
  if (before.length === 0 || after.length === 0) return { parameters, heldOutLogLikelihood: NaN };
  let best = heldOutLogLikelihood(before, after, cut, parameters, segmentOf);
  for (let round = 0; round < rounds; round++) {
    let improved = false;
    for (const name of Object.keys(grids) as (keyof WeekPatternParameters)[]) {
      if (name === 'segmentStrength' && segmentOf.size === 0) continue;
      for (const value of grids[name]) {
        if (value === parameters[name]) continue;
        const candidate = { ...parameters, [name]: value };
        const score = heldOutLogLikelihood(before, after, cut, candidate, segmentOf);
        if (score > best + 1e-9) {
          best = score;
          parameters = candidate;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return { parameters, heldOutLogLikelihood: best };
}
