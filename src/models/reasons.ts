/**
 * A score's reasons in words: the factors that moved this record's score most, up and down, as a
 * sales rep would say them ("Page views in the last 30 days: 14 (raises the score)").
 */
import { describeFeature } from './feature-labels.ts';

export interface Contribution {
  feature: string;
  /** The record's value of the feature (number, category, or missing). */
  value: number | string | null;
  /** Its contribution to the raw score (log-odds); positive raises the score. */
  effect: number;
}

/**
 * How long ago, in the coarse words a rep uses. Coarse on purpose: a reason that said "45.2 days"
 * would change every day, and every change is a write to HubSpot that re-triggers its workflows.
 */
export function ageInWords(days: number): string {
  if (days < 1) return 'less than a day';
  if (days < 7) return 'less than a week';
  if (days < 30) return '1–4 weeks';
  if (days < 90) return '1–3 months';
  if (days < 365) return '3–12 months';
  return 'over a year';
}

function formatValue(value: number | string | null, qualifier: string | undefined): string {
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) return 'unknown';
  if (typeof value === 'string') return value;
  if (qualifier === 'days ago' || qualifier === 'days since last change') return ageInWords(value);
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(Math.round(value * 10) / 10);
}

/** One factor as a sentence fragment. @example describeContribution({ feature: 'hs_email_open (last 30 days)', value: 4, effect: 0.3 }) */
export function describeContribution(c: Contribution): string {
  const { subject, qualifier, company } = describeFeature(c.feature);
  const who = company ? 'Company ' : '';
  const what = qualifier === 'days ago'
    ? `${who}${subject}: ${formatValue(c.value, qualifier)} ago`
    : qualifier === 'days since last change'
      ? `${who}${subject} last changed ${formatValue(c.value, qualifier)} ago`
      : qualifier
        ? `${who}${subject} (${qualifier}): ${formatValue(c.value, qualifier)}`
        : `${who}${subject}: ${formatValue(c.value, qualifier)}`;
  const text = what.charAt(0).toUpperCase() + what.slice(1);
  return `${text} (${c.effect >= 0 ? 'raises' : 'lowers'} the score)`;
}

/** The top `count` factors by size of effect, as one line each, strongest first. */
export function reasonsText(contributions: Contribution[], count = 3): string {
  return contributions
    .filter((c) => Math.abs(c.effect) > 1e-6)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
    .slice(0, count)
    .map(describeContribution)
    .join('; ');
}
