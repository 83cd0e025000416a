/**
 * The cold-start model: transparent points for engagement, fit and recency, like HubSpot's manual
 * score, used while a portal has too little history to learn from. Its rules only use features the
 * portal has, and every point it gives is a reason a rep can read.
 */
import type { FeatureTable } from '../features/feature-table.ts';
import type { Target } from '../features/label-settings.ts';
import type { Contribution } from './reasons.ts';

export interface Rule {
  feature: string;
  op: '>=' | '<=' | '==';
  value: number;
  points: number;
}

export interface RuleModel {
  kind: 'rules';
  target: Target;
  rules: Rule[];
  /** Points at which the probability is 50 %. */
  midpoint: number;
  /** Points per unit of log-odds. */
  scale: number;
}

const leadRules: Rule[] = [
  { feature: 'hs_analytics_num_page_views (last 30 days)', op: '>=', value: 5, points: 10 },
  { feature: 'hs_analytics_num_page_views (last 30 days)', op: '>=', value: 15, points: 10 },
  { feature: 'num_conversion_events (last 90 days)', op: '>=', value: 1, points: 15 },
  { feature: 'hs_email_click (last 30 days)', op: '>=', value: 1, points: 10 },
  { feature: 'hs_email_open (last 30 days)', op: '>=', value: 3, points: 5 },
  { feature: 'hs_analytics_last_visit_timestamp (days ago)', op: '<=', value: 7, points: 10 },
  { feature: 'company numberofemployees', op: '>=', value: 50, points: 5 },
  { feature: 'company annualrevenue', op: '>=', value: 1_000_000, points: 5 },
  { feature: 'hs_email_optout', op: '==', value: 1, points: -20 },
];

const churnRules: Rule[] = [
  { feature: 'hs_analytics_num_page_views (last 30 days)', op: '<=', value: 0, points: 15 },
  { feature: 'hs_email_open (last 30 days)', op: '<=', value: 0, points: 10 },
  { feature: 'days since last won deal', op: '>=', value: 300, points: 15 },
  { feature: 'open deals', op: '>=', value: 1, points: -10 },
  { feature: 'hs_analytics_last_visit_timestamp (days ago)', op: '>=', value: 60, points: 10 },
];

/** The rules that apply to a table's features. */
export function buildRuleModel(target: Target, numericNames: string[]): RuleModel {
  const available = new Set(numericNames);
  const rules = (target === 'lead' ? leadRules : churnRules).filter((r) => available.has(r.feature));
  return { kind: 'rules', target, rules, midpoint: target === 'lead' ? 35 : 25, scale: 10 };
}

function fires(rule: Rule, value: number): boolean {
  if (Number.isNaN(value)) return false;
  if (rule.op === '>=') return value >= rule.value;
  if (rule.op === '<=') return value <= rule.value;
  return value === rule.value;
}

export function scoreWithRules(model: RuleModel, table: FeatureTable, row: number): { probability: number; contributions: Contribution[] } {
  const contributions: Contribution[] = [];
  let points = 0;
  for (const rule of model.rules) {
    const column = table.numericNames.indexOf(rule.feature);
    const value = column >= 0 ? table.numeric[column][row] : Number.NaN;
    if (fires(rule, value)) {
      points += rule.points;
      contributions.push({ feature: rule.feature, value, effect: rule.points / model.scale });
    }
  }
  return { probability: 1 / (1 + Math.exp(-(points - model.midpoint) / model.scale)), contributions };
}
