/**
 * Recommendations from measured results: where the control group shows that an enrolment does worse
 * than no action for the records at the bottom of its range, say so with the evidence (counts,
 * rates, the 95 % interval of the difference) and offer the threshold change that stops it, as a
 * settings change the page applies in one click. Pure: measured counts and the settings in, the
 * recommendations out.
 *
 * The records that qualified for an enrolment are grouped in bands of their probability when they
 * qualified. For each band boundary x above the threshold, the bands below x are pooled; the
 * highest x whose pooled uplift is below zero with 95 % confidence is recommended as the new
 * threshold ("stop enrolling them"). A pooled interval that only leans negative recommends nothing.
 *
 * @example
 * recommendations({ settings, bands: [{ enrolment: 'marketing_nurture', from: 0.15, to: 0.2, enrolled: { n: 900, hits: 27 }, control: { n: 400, hits: 24 } }] })
 * // => [{ text: 'the nurture track converts 3.0 points less than no action for records below 20 % — stop enrolling them', apply: { marketingNurture: 0.2 }, ... }]
 */
import type { DecisionSettings } from '../decisions/decision-settings.ts';
import { uplift, type GroupOutcome, type Uplift } from '../decisions/uplift.ts';

export type ActionEnrolment = 'sales_fast_track' | 'marketing_nurture' | 'retention_playbook';

export interface MeasuredBand {
  enrolment: ActionEnrolment;
  /** The band of probability at qualification: [from, to). */
  from: number;
  to: number;
  enrolled: GroupOutcome;
  control: GroupOutcome;
}

export interface Recommendation {
  id: string;
  text: string;
  evidence: { enrolled: GroupOutcome; control: GroupOutcome; result: Uplift };
  /** The settings change (decisions) that carries it out, when it is one. */
  apply?: Partial<Pick<DecisionSettings, 'salesFastTrack' | 'marketingNurture' | 'retentionPlaybook'>>;
}

const names: Record<ActionEnrolment, { track: string; outcome: string; setting: 'salesFastTrack' | 'marketingNurture' | 'retentionPlaybook' }> = {
  sales_fast_track: { track: 'the fast track', outcome: 'converts {points} points less than no action', setting: 'salesFastTrack' },
  marketing_nurture: { track: 'the nurture track', outcome: 'converts {points} points less than no action', setting: 'marketingNurture' },
  retention_playbook: { track: 'the retention playbook', outcome: 'loses {points} points more customers than no action', setting: 'retentionPlaybook' },
};

/** At least this many records in each group before a band's evidence counts. */
export const minRecordsPerGroup = 30;

export function recommendations({ settings, bands }: { settings: DecisionSettings; bands: MeasuredBand[] }): Recommendation[] {
  const out: Recommendation[] = [];
  for (const enrolment of Object.keys(names) as ActionEnrolment[]) {
    const own = bands.filter((b) => b.enrolment === enrolment).sort((a, b) => a.from - b.from);
    const { track, outcome, setting } = names[enrolment];
    let best: { to: number; enrolled: GroupOutcome; control: GroupOutcome; result: Uplift } | undefined;
    const enrolled = { n: 0, hits: 0 };
    const control = { n: 0, hits: 0 };
    for (const band of own) {
      enrolled.n += band.enrolled.n; enrolled.hits += band.enrolled.hits;
      control.n += band.control.n; control.hits += band.control.hits;
      if (enrolled.n < minRecordsPerGroup || control.n < minRecordsPerGroup) continue;
      // For the retention playbook the outcome counted is leaving: more leaving than control is the harm.
      const result = enrolment === 'retention_playbook' ? uplift(control, enrolled) : uplift(enrolled, control);
      if (result && result.high < 0 && band.to > settings[setting]) best = { to: band.to, enrolled: { ...enrolled }, control: { ...control }, result };
    }
    if (!best) continue;
    const to = Math.min(1, Math.round(best.to * 100) / 100);
    if (setting === 'marketingNurture' && to >= settings.salesFastTrack) continue; // it would have to pass the sales threshold: a change the admin makes
    const points = (-best.result.difference * 100).toFixed(1);
    out.push({
      id: `stop-${enrolment}-below-${Math.round(to * 100)}`,
      text: `${track} ${outcome.replace('{points}', points)} for records below ${Math.round(to * 100)} % — stop enrolling them`,
      evidence: { enrolled: best.enrolled, control: best.control, result: best.result },
      apply: { [setting]: to },
    });
  }
  return out;
}
