/**
 * The training rows as the grower sees them: one byte per (feature, row), column by column, and
 * where each feature's bins sit in a histogram.
 */
import { valueBinCount, type FeatureBinning } from './bin-columns.ts';
import { countUnit } from './histogram.ts';

export interface BinnedData {
  /** Feature f's bin for row r is bins[f * rowCount + r]. */
  bins: Uint8Array;
  /** Feature f's column of bins: a view into `bins`. */
  columns: Uint8Array[];
  rowCount: number;
  featureCount: number;
  /** Value bins of each feature; the missing bin follows them. */
  valueBins: Uint16Array;
  /** Where feature f's bins start in a histogram (in bins; 2 numbers per bin). */
  histogramOffset: Uint32Array;
  /** Bins over all features, missing bins included. */
  totalBins: number;
  categorical: Uint8Array;
  /** The count unit of packed histograms (see histogram.ts). */
  countUnit: number;
}

/** `fitRows`: how many rows a histogram may hold at most. */
export function describeBins(binning: FeatureBinning[], bins: Uint8Array, rowCount: number, fitRows: number): BinnedData {
  const featureCount = binning.length;
  const valueBins = new Uint16Array(featureCount);
  const histogramOffset = new Uint32Array(featureCount);
  const categorical = new Uint8Array(featureCount);
  let totalBins = 0;
  binning.forEach((feature, f) => {
    valueBins[f] = valueBinCount(feature);
    histogramOffset[f] = totalBins;
    totalBins += valueBins[f] + 1;
    categorical[f] = feature.kind === 'categorical' ? 1 : 0;
  });
  const columns = binning.map((_, f) => bins.subarray(f * rowCount, (f + 1) * rowCount));
  return { bins, columns, rowCount, featureCount, valueBins, histogramOffset, totalBins, categorical, countUnit: countUnit(fitRows) };
}
