/**
 * Which action each record should get, and what a rule for that is worth, measured on a randomised
 * experiment. Pure.
 *
 * `chooseActions`: per record, the action whose predicted gain × value most exceeds its cost, or no
 * action (null) when none exceeds it.
 *
 * `policyValue`: the outcome rate if every record got what `policy` says, estimated by inverse
 * propensity weighting from the records that happened to get exactly that (each weighted by 1 / the
 * share of records randomised to its arm), with its analytic standard error. An unbiased estimate
 * because the arms were randomised (Horvitz & Thompson 1952; for policies, Dudík et al. 2011).
 *
 * @example
 * policyValue({ arm: ['a', null], outcome: [1, 0], policy: ['a', 'a'] }) // => { value: 1, standardError: 1, matched: 1 }
 */
import { sampleStandardDeviation } from 'simple-statistics';

/** An arm: an action's name, or null for the control group (no action). */
export type Arm = string | null;

export interface ActionGains {
  /** The predicted change in outcome probability from each action, one array per action, one value per record. */
  gains: Record<string, ArrayLike<number>>;
  /** What one outcome is worth (1 = count outcomes). */
  value?: number;
  /** What the action costs per record, in the same unit; per action. */
  cost?: Record<string, number>;
}

export function chooseActions({ gains, value = 1, cost = {} }: ActionGains): Arm[] {
  const actions = Object.keys(gains);
  const n = actions.length === 0 ? 0 : gains[actions[0]].length;
  const chosen: Arm[] = new Array(n).fill(null);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (const action of actions) {
      const net = gains[action][i] * value - (cost[action] ?? 0);
      if (net > best) {
        best = net;
        chosen[i] = action;
      }
    }
  }
  return chosen;
}

export interface ExperimentRecords {
  /** The arm each record was randomised to. */
  arm: Arm[];
  outcome: ArrayLike<number>;
  /** The arm the rule would give each record. */
  policy: Arm[];
  /** The share of records randomised to each arm ('' for control); by default, as found in `arm`. */
  shares?: Map<Arm, number>;
}

export interface PolicyValue {
  value: number;
  standardError: number;
  /** Records whose randomised arm is the one the rule gives them. */
  matched: number;
}

export function armShares(arm: Arm[]): Map<Arm, number> {
  const counts = new Map<Arm, number>();
  for (const a of arm) counts.set(a, (counts.get(a) ?? 0) + 1);
  return new Map([...counts].map(([a, c]) => [a, c / arm.length]));
}

/** Each record's term of the estimate: outcome / share when its arm matches the rule's, else 0. */
export function policyTerms({ arm, outcome, policy, shares = armShares(arm) }: ExperimentRecords): Float64Array {
  return Float64Array.from(arm, (a, i) => (a === policy[i] ? outcome[i] / shares.get(a)! : 0));
}

export function policyValue(records: ExperimentRecords): PolicyValue {
  const terms = policyTerms(records);
  let matched = 0;
  for (let i = 0; i < terms.length; i++) if (records.arm[i] === records.policy[i]) matched++;
  return { value: mean(terms), standardError: standardErrorOfMean(terms), matched };
}

/** The difference of two rules' values on the same records, with its paired standard error. */
export function policyDifference(a: ExperimentRecords, b: ExperimentRecords): { difference: number; standardError: number } {
  const ta = policyTerms(a);
  const tb = policyTerms(b);
  const d = ta.map((x, i) => x - tb[i]);
  return { difference: mean(d), standardError: standardErrorOfMean(d) };
}

function mean(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length === 0 ? Number.NaN : s / values.length;
}

function standardErrorOfMean(values: Float64Array): number {
  return values.length < 2 ? Number.NaN : sampleStandardDeviation(Array.from(values)) / Math.sqrt(values.length);
}
