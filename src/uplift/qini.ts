/**
 * How well a score ranks records by what an action changes, measured on a randomised experiment:
 * the Qini curve (Radcliffe 2007) and its coefficient, and the measured uplift among the records
 * ranked highest. Pure.
 *
 * Rows are ranked by score, highest first. After the top k rows, Q(k) = hits among treated −
 * hits among control × treated / control: the extra outcomes the action bought there, control
 * scaled to the treated count. The coefficient is the area between that curve and the straight
 * line of random targeting, both divided by the row count (so it is in "outcomes per record"; 0 =
 * no better than random). Tied scores are one step of the curve, its points joined by straight
 * lines, so a score that cannot tell records apart earns nothing from the row order.
 *
 * `weights` (a count per row) lets a bootstrap resample reuse one sort.
 *
 * @example
 * qiniCoefficient({ score: [0.9, 0.1], treated: [1, 0], outcome: [1, 0] }) // => 0.125
 */
export interface UpliftSample {
  score: ArrayLike<number>;
  /** 1 = the record had the action, 0 = it was in the control group. */
  treated: ArrayLike<number>;
  /** 1 = the outcome happened. */
  outcome: ArrayLike<number>;
}

/** Row indices by score, highest first; ties in row order. */
export function rankByScore(score: ArrayLike<number>): Uint32Array {
  const order = Uint32Array.from({ length: score.length }, (_, i) => i);
  order.sort((a, b) => score[b] - score[a] || a - b);
  return order;
}

export function qiniCoefficient(sample: UpliftSample, order: Uint32Array = rankByScore(sample.score), weights?: ArrayLike<number>): number {
  const { score, treated, outcome } = sample;
  let total = 0;
  for (let r = 0; r < order.length; r++) total += weights ? weights[order[r]] : 1;
  if (total === 0) return 0;
  let nt = 0, nc = 0, yt = 0, yc = 0;
  let x0 = 0, q0 = 0, area = 0;
  for (let r = 0; r < order.length; r++) {
    const i = order[r];
    const w = weights ? weights[i] : 1;
    if (treated[i] === 1) { nt += w; yt += w * outcome[i]; } else { nc += w; yc += w * outcome[i]; }
    if (r + 1 < order.length && score[order[r + 1]] === score[i]) continue;
    const x1 = (nt + nc) / total;
    const q1 = (yt - (nc > 0 ? (yc * nt) / nc : 0)) / total;
    area += ((x1 - x0) * (q0 + q1)) / 2;
    x0 = x1;
    q0 = q1;
  }
  return area - q0 / 2;
}

export interface MeasuredUplift {
  uplift: number;
  standardError: number;
  treated: number;
  control: number;
}

/**
 * The treated minus the control outcome rate among the `fraction` of rows ranked highest, with its
 * analytic standard error (two independent proportions). NaN when either group is empty there.
 */
export function upliftInTop(sample: UpliftSample, fraction: number, order: Uint32Array = rankByScore(sample.score)): MeasuredUplift {
  const take = Math.ceil(fraction * order.length);
  let nt = 0, nc = 0, yt = 0, yc = 0;
  for (let r = 0; r < take; r++) {
    const i = order[r];
    if (sample.treated[i] === 1) { nt++; yt += sample.outcome[i]; } else { nc++; yc += sample.outcome[i]; }
  }
  if (nt === 0 || nc === 0) return { uplift: Number.NaN, standardError: Number.NaN, treated: nt, control: nc };
  const pt = yt / nt, pc = yc / nc;
  return { uplift: pt - pc, standardError: Math.sqrt((pt * (1 - pt)) / nt + (pc * (1 - pc)) / nc), treated: nt, control: nc };
}
