/**
 * The linear learner: design (encode-design.ts) plus Newton fit (fit-irls.ts), as a plain JSON model.
 * Defaults follow peers.py's scikit-learn baseline: C = 1, levels with fewer than 10 rows pooled.
 */
import { checkLabels } from '../labels.ts';
import { modelFormat, modelVersion, type LogisticModel } from '../model.ts';
import { checkTable, type Table } from '../table.ts';
import { encodeDesign, fitDesign } from './encode-design.ts';
import { fitIrls } from './fit-irls.ts';

export interface LogisticOptions {
  /** L2 penalty on the (standardised) coefficients; scikit-learn's C is 1 / l2. */
  l2: number;
  /** Levels with fewer training rows share one "rare" coefficient. */
  minLevelRows: number;
  /** At most this many levels of a feature get their own coefficient (the most frequent). */
  maxLevels: number;
  maxIterations: number;
  tolerance: number;
}

export const logisticDefaults: LogisticOptions = { l2: 1, minLevelRows: 10, maxLevels: 100, maxIterations: 100, tolerance: 1e-9 };

export function trainLogistic(table: Table, labels: ArrayLike<number>, options: Partial<LogisticOptions> = {}): LogisticModel {
  const o = { ...logisticDefaults, ...options };
  checkTable(table);
  checkLabels(labels, table.rowCount);
  const rows = Uint32Array.from({ length: table.rowCount }, (_, i) => i);
  const spec = fitDesign(table, rows, o.minLevelRows, o.maxLevels);
  const design = encodeDesign(spec, table);
  const { coefficients: w, iterations } = fitIrls(design, labels, o);
  const n = table.rowCount;
  return {
    format: modelFormat,
    version: modelVersion,
    kind: 'logistic',
    features: [
      ...spec.numeric.map((f) => ({ name: f.name, type: 'numeric' as const })),
      ...spec.categorical.map((f) => ({ name: f.name, type: 'categorical' as const, levels: f.levels })),
    ],
    intercept: w[0],
    numeric: spec.numeric.map((f, j) => ({ ...f, coefficient: w[1 + j] })),
    categorical: spec.categorical.map((f, j) => {
      const start = design.categoricalStart[j];
      const counts = new Float64Array(f.levels.length + 1);
      for (let i = 0; i < n; i++) {
        const k = design.active[i * design.categoricalCount + j];
        if (k >= 0) counts[k - start]++;
      }
      return {
        name: f.name,
        levels: f.levels,
        coefficients: Array.from(w.subarray(start, start + f.levels.length)),
        rareCoefficient: f.hasRare ? w[start + f.levels.length] : null,
        shares: Array.from(counts.subarray(0, f.levels.length), (c) => c / n),
        rareShare: counts[f.levels.length] / n,
      };
    }),
    training: { rows: n, iterations, options: { ...o } },
  };
}
