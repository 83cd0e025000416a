/**
 * Features as columns: named numeric columns (NaN = missing) and named categorical columns (null =
 * missing), one row per (record, snapshot time), with the label when it is known. Plain data: this is
 * what the learners take.
 */
export interface FeatureTable {
  numericNames: string[];
  numeric: Float64Array[];
  categoricalNames: string[];
  categorical: (string | null)[][];
  rowCount: number;
  /** The record each row describes. */
  recordIds: string[];
  /** The snapshot time of each row (ms). */
  times: Float64Array;
  /** 0/1 outcome per row; absent for rows being scored. */
  labels?: Uint8Array;
}

export class FeatureTableBuilder {
  private readonly numeric: number[][];
  private readonly categorical: (string | null)[][];
  private readonly recordIds: string[] = [];
  private readonly times: number[] = [];
  private readonly labels: number[] = [];

  constructor(
    readonly numericNames: string[],
    readonly categoricalNames: string[],
  ) {
    this.numeric = numericNames.map(() => []);
    this.categorical = categoricalNames.map(() => []);
  }

  add(recordId: string, time: number, numeric: ArrayLike<number>, categorical: ArrayLike<string | null>, label?: 0 | 1): void {
    for (let j = 0; j < this.numeric.length; j++) this.numeric[j].push(numeric[j]);
    for (let j = 0; j < this.categorical.length; j++) this.categorical[j].push(categorical[j]);
    this.recordIds.push(recordId);
    this.times.push(time);
    if (label !== undefined) this.labels.push(label);
  }

  build(): FeatureTable {
    const rowCount = this.recordIds.length;
    return {
      numericNames: this.numericNames,
      numeric: this.numeric.map((column) => Float64Array.from(column)),
      categoricalNames: this.categoricalNames,
      categorical: this.categorical,
      rowCount,
      recordIds: this.recordIds,
      times: Float64Array.from(this.times),
      labels: this.labels.length === rowCount && rowCount > 0 ? Uint8Array.from(this.labels) : undefined,
    };
  }
}
