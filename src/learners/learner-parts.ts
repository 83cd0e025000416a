/**
 * The learners inside a model and their weights in its raw score: one learner with weight 1, or a
 * calibrated model's learner and the one blended into it. Every scorer and explainer goes through
 * this, so a blend scores and explains as the weighted sum of its parts.
 */
import type { BaseModel, Model, ModelFeature } from './model.ts';

export interface LearnerPart {
  model: BaseModel;
  weight: number;
}

export function learnerParts(model: Model): LearnerPart[] {
  if (model.kind !== 'calibrated') return [{ model, weight: 1 }];
  if (!model.blend || model.blend.weight === 0) return [{ model: model.model, weight: 1 }];
  return [
    { model: model.model, weight: 1 - model.blend.weight },
    { model: model.blend.model, weight: model.blend.weight },
  ];
}

/** The features a model reads: its learner's, then any only the blended learner reads. */
export function modelFeatures(model: Model): ModelFeature[] {
  const features: ModelFeature[] = [];
  const seen = new Set<string>();
  for (const part of learnerParts(model)) {
    for (const feature of part.model.features) {
      if (seen.has(feature.name)) continue;
      seen.add(feature.name);
      features.push(feature);
    }
  }
  return features;
}
