/**
 * A model's features looked up in a table to score: numeric columns as they are, categorical ones
 * as level codes (NaN for missing and for levels the model never saw), so scoring reads numbers only.
 */
import type { ModelFeature } from './model.ts';
import { isMissingCategory, type Table } from './table.ts';

export function featureColumns(features: ModelFeature[], table: Table): Float64Array[] {
  return features.map((feature) => {
    if (feature.type === 'numeric') {
      const j = table.numericNames.indexOf(feature.name);
      if (j >= 0) return table.numeric[j];
      if (table.categoricalNames.includes(feature.name)) throw new Error(`feature "${feature.name}" is numeric in the model but categorical in the table`);
      throw new Error(`the table has no column "${feature.name}"`);
    }
    const j = table.categoricalNames.indexOf(feature.name);
    if (j < 0) {
      // A numeric column can stand for a categorical one (levels that all looked like numbers).
      const k = table.numericNames.indexOf(feature.name);
      if (k < 0) throw new Error(`the table has no column "${feature.name}"`);
      return encodeLevels(feature.levels, Array.from(table.numeric[k], (x) => (Number.isNaN(x) ? null : String(x))));
    }
    return encodeLevels(feature.levels, table.categorical[j]);
  });
}

function encodeLevels(levels: string[], values: (string | null)[]): Float64Array {
  const code = new Map(levels.map((level, i) => [level, i]));
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = isMissingCategory(v) ? Number.NaN : (code.get(v) ?? Number.NaN);
  }
  return out;
}
