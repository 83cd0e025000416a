/** Raw scores (log-odds) and per-feature contributions of the linear model. */
import { isMissingCategory, type Table } from '../table.ts';
import type { LogisticCategorical, LogisticModel } from '../model.ts';
import { missingLevel } from './encode-design.ts';

function column<T>(names: string[], columns: T[], name: string): T {
  const j = names.indexOf(name);
  if (j < 0) throw new Error(`the table has no column "${name}"`);
  return columns[j];
}

/** The coefficient of a level: its own, else the rare levels' (unseen levels count as rare), else 0. */
function levelCoefficient(feature: LogisticCategorical, codes: Map<string, number>, value: string | null): number {
  const k = codes.get(isMissingCategory(value) ? missingLevel : value);
  return k !== undefined ? feature.coefficients[k] : (feature.rareCoefficient ?? 0);
}

export function predictLogisticRaw(model: LogisticModel, table: Table): Float64Array {
  const n = table.rowCount;
  const raw = new Float64Array(n).fill(model.intercept);
  for (const feature of model.numeric) {
    const values = column(table.numericNames, table.numeric, feature.name);
    const { fill, mean, scale, coefficient } = feature;
    for (let i = 0; i < n; i++) {
      const x = values[i];
      raw[i] += coefficient * (((Number.isFinite(x) ? x : fill) - mean) / scale);
    }
  }
  for (const feature of model.categorical) {
    const values = column(table.categoricalNames, table.categorical, feature.name);
    const codes = new Map(feature.levels.map((level, k) => [level, k]));
    for (let i = 0; i < n; i++) raw[i] += levelCoefficient(feature, codes, values[i]);
  }
  return raw;
}

/**
 * coefficient x (value - training mean) per feature, in the standardised, one-hot space: a numeric
 * feature's standardised value has mean 0; a categorical feature's mean is its levels'
 * coefficients weighted by their training shares. baseline + sum = the raw score.
 */
export function logisticContributions(model: LogisticModel, table: Table, row: number): { baseline: number; contributions: { feature: string; value: number }[] } {
  let baseline = model.intercept;
  const contributions: { feature: string; value: number }[] = [];
  for (const feature of model.numeric) {
    const x = column(table.numericNames, table.numeric, feature.name)[row];
    contributions.push({ feature: feature.name, value: feature.coefficient * (((Number.isFinite(x) ? x : feature.fill) - feature.mean) / feature.scale) });
  }
  for (const feature of model.categorical) {
    let expected = (feature.rareCoefficient ?? 0) * feature.rareShare;
    feature.coefficients.forEach((c, k) => (expected += c * feature.shares[k]));
    baseline += expected;
    const codes = new Map(feature.levels.map((level, k) => [level, k]));
    const value = column(table.categoricalNames, table.categorical, feature.name)[row];
    contributions.push({ feature: feature.name, value: levelCoefficient(feature, codes, value) - expected });
  }
  return { baseline, contributions };
}
