/**
 * The model a portal is scored with, whatever made it: the transparent rule model (cold start) or
 * a learned one. Both carry the feature plan they were built on, turn a feature table into
 * probabilities, and say why a row scored what it did. Pure; stored as JSON in the model registry.
 */
import type { FeaturePlan } from '../features/plan-features.ts';
import type { FeatureTable } from '../features/feature-table.ts';
import type { Target } from '../features/label-settings.ts';
import { explain, modelFeatures, modelToJson, parseModel, pathEffects, predict, type Model } from '../learners/index.ts';
import type { Contribution } from './reasons.ts';
import { scoreWithRules, type RuleModel } from './rule-model.ts';

export type ScoringModel =
  | { kind: 'rules'; target: Target; version: string; plan: FeaturePlan; rules: RuleModel }
  | { kind: 'learned'; target: Target; version: string; plan: FeaturePlan; model: Model };

export function scoreProbabilities(model: ScoringModel, table: FeatureTable): Float64Array {
  if (model.kind === 'learned') return predict(model.model, table);
  const out = new Float64Array(table.rowCount);
  for (let row = 0; row < table.rowCount; row++) out[row] = scoreWithRules(model.rules, table, row).probability;
  return out;
}

/** The factors behind one row's score, as log-odds effects (exact TreeSHAP: for one record, or a few). */
export function scoreContributions(model: ScoringModel, table: FeatureTable, row: number): Contribution[] {
  if (model.kind === 'rules') return scoreWithRules(model.rules, table, row).contributions;
  return explain(model.model, table, row).contributions;
}

/**
 * The factors behind every row's score, fast enough for a whole portal (path attribution for trees):
 * a function of the row giving its `count` strongest factors.
 */
export function contributionsForRows(model: ScoringModel, table: FeatureTable, count = 3): (row: number) => Contribution[] {
  if (model.kind === 'rules') return (row) => scoreWithRules(model.rules, table, row).contributions;
  const features = modelFeatures(model.model);
  const effectsOf = pathEffects(model.model, table);
  const valueOf = features.map((feature) => {
    const j = table.numericNames.indexOf(feature.name);
    if (j >= 0) return (row: number) => table.numeric[j][row];
    const k = table.categoricalNames.indexOf(feature.name);
    return (row: number) => (k >= 0 ? table.categorical[k][row] : null);
  });
  return (row) => {
    const { effects } = effectsOf(row);
    const top: Contribution[] = [];
    for (let f = 0; f < effects.length; f++) {
      if (Math.abs(effects[f]) < 1e-9) continue;
      top.push({ feature: features[f].name, value: valueOf[f](row), effect: effects[f] });
      if (top.length > count) {
        top.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
        top.length = count;
      }
    }
    return top;
  };
}

/** The model's own text for the registry: the learners' JSON, or the rules. */
export function serializeModel(model: ScoringModel): string {
  return model.kind === 'learned' ? modelToJson(model.model) : JSON.stringify(model.rules);
}

export function deserializeModel(entry: { kind: 'rules' | 'learned'; target: Target; version: string; plan: FeaturePlan; model: string }): ScoringModel {
  if (entry.kind === 'learned') return { kind: 'learned', target: entry.target, version: entry.version, plan: entry.plan, model: parseModel(entry.model) };
  return { kind: 'rules', target: entry.target, version: entry.version, plan: entry.plan, rules: JSON.parse(entry.model) as RuleModel };
}
