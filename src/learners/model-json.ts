/**
 * Models to and from JSON. A model is plain data already; `modelToJson` writes it (every number
 * round-trips exactly: JavaScript prints the shortest text that reads back as the same double), and
 * `parseModel` checks the format, the version and the shape (every array the right length, every
 * child and feature index in range) before anything scores with it, so a model read back scores
 * bit for bit as the one written.
 */
import { z } from 'zod';
import { learnerParts } from './learner-parts.ts';
import { modelFormat, modelVersion, type BaseModel, type Model } from './model.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const options = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));
const feature = z.discriminatedUnion('type', [
  z.object({ name: z.string(), type: z.literal('numeric') }),
  z.object({ name: z.string(), type: z.literal('categorical'), levels: z.array(z.string()) }),
]);
const tree = z.object({
  feature: z.array(z.number().int()),
  threshold: z.array(finite.nullable()),
  leftLevels: z.array(z.array(z.number().int().nonnegative()).nullable()),
  missingLeft: z.array(z.boolean()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  value: z.array(finite),
  cover: z.array(z.number().nonnegative()),
});
const header = { format: z.literal(modelFormat), version: z.literal(modelVersion) };
const gbdt = z.object({
  ...header,
  kind: z.literal('gbdt'),
  features: z.array(feature),
  baseScore: finite,
  trees: z.array(tree),
  training: z.object({ rows: z.number(), validationRows: z.number(), validationLogLoss: finite.nullable(), options }),
});
const logistic = z.object({
  ...header,
  kind: z.literal('logistic'),
  features: z.array(feature),
  intercept: finite,
  numeric: z.array(z.object({ name: z.string(), fill: finite, mean: finite, scale: finite, coefficient: finite })),
  categorical: z.array(z.object({
    name: z.string(),
    levels: z.array(z.string()),
    coefficients: z.array(finite),
    rareCoefficient: finite.nullable(),
    shares: z.array(finite),
    rareShare: finite,
  })),
  training: z.object({ rows: z.number(), iterations: z.number(), options }),
});
const calibration = z.discriminatedUnion('method', [
  z.object({ method: z.literal('platt'), slope: finite, intercept: finite }),
  z.object({ method: z.literal('isotonic'), scores: z.array(finite).min(1), probabilities: z.array(finite).min(1) }),
]);
const calibrated = z.object({
  ...header,
  kind: z.literal('calibrated'),
  model: z.discriminatedUnion('kind', [gbdt, logistic]),
  calibration,
  blend: z.object({ model: z.discriminatedUnion('kind', [gbdt, logistic]), weight: z.number().min(0).max(0.5) }).optional(),
  selection: z
    .object({
      holdoutRows: z.number(),
      candidates: z.array(z.object({ kind: z.enum(['gbdt', 'logistic']), auc: finite })),
      folds: z.number().int().positive().optional(),
      blend: z.object({ weight: finite, auc: finite }).nullable().optional(),
    })
    .nullable(),
});
const model = z.discriminatedUnion('kind', [gbdt, logistic, calibrated]);

export function modelToJson(value: Model): string {
  return JSON.stringify(value);
}

/** Reads a model from JSON text (or already-parsed JSON); throws a one-line reason if it is not one. */
export function parseModel(json: string | unknown): Model {
  const data: unknown = typeof json === 'string' ? JSON.parse(json) : json;
  const head = data as { format?: unknown; version?: unknown };
  if (head?.format !== modelFormat) throw new Error(`not a ${modelFormat} (format: ${JSON.stringify(head?.format)})`);
  if (head.version !== modelVersion) throw new Error(`model version ${JSON.stringify(head.version)} is not the version this code reads (${modelVersion})`);
  const parsed = model.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a valid model: ${issue.path.join('.')}: ${issue.message}`);
  }
  const result = parsed.data as Model;
  checkConsistency(result);
  return result;
}

function checkConsistency(value: Model): void {
  if (value.kind === 'calibrated' && value.calibration.method === 'isotonic') {
    const { scores, probabilities } = value.calibration;
    if (scores.length !== probabilities.length) throw new Error('not a valid model: isotonic scores and probabilities differ in length');
  }
  for (const { model } of learnerParts(value)) checkTrees(model);
}

function checkTrees(base: BaseModel): void {
  if (base.kind !== 'gbdt') return;
  base.trees.forEach((t, k) => {
    const n = t.feature.length;
    const fields = [t.threshold, t.leftLevels, t.missingLeft, t.left, t.right, t.value, t.cover];
    if (n === 0 || fields.some((f) => f.length !== n)) throw new Error(`not a valid model: tree ${k} has arrays of different lengths`);
    for (let node = 0; node < n; node++) {
      const f = t.feature[node];
      if (f < 0) continue;
      if (f >= base.features.length) throw new Error(`not a valid model: tree ${k} node ${node} uses feature ${f} of ${base.features.length}`);
      if (!(t.left[node] > node && t.left[node] < n && t.right[node] > node && t.right[node] < n)) throw new Error(`not a valid model: tree ${k} node ${node} has children out of range`);
      if (base.features[f].type === 'categorical' && t.leftLevels[node] === null) throw new Error(`not a valid model: tree ${k} node ${node} splits a categorical feature without levels`);
    }
  });
}
