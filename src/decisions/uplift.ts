/**
 * What the enrolments are worth: among records that qualified for an enrolment, the outcome rate of
 * those enrolled minus that of the control group held out, with a 95 % confidence interval (normal
 * approximation of the difference of two proportions). Pure.
 *
 * @example uplift({ n: 400, hits: 80 }, { n: 100, hits: 10 }) // => { difference: 0.1, low: 0.03…, high: 0.16… }
 */
export interface GroupOutcome {
  n: number;
  hits: number;
}

export interface Uplift {
  enrolledRate: number;
  controlRate: number;
  difference: number;
  low: number;
  high: number;
}

const Z95 = 1.959963984540054;

export function uplift(enrolled: GroupOutcome, control: GroupOutcome): Uplift | null {
  if (enrolled.n === 0 || control.n === 0) return null;
  const p1 = enrolled.hits / enrolled.n;
  const p0 = control.hits / control.n;
  const se = Math.sqrt((p1 * (1 - p1)) / enrolled.n + (p0 * (1 - p0)) / control.n);
  const difference = p1 - p0;
  return { enrolledRate: p1, controlRate: p0, difference, low: difference - Z95 * se, high: difference + Z95 * se };
}
