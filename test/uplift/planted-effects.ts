/**
 * A randomised experiment with planted effects: records in segment "helped" respond to the action
 * (outcome rate 0.15 -> 0.45), "harmed" are put off by it (0.45 -> 0.15), "untouched" do not care
 * (0.30 either way); two noise columns carry nothing. Seeded, so every run is the same data.
 */
import type { Table } from '../../src/learners/index.ts';
import { seededRandom } from '../../src/learners/random.ts';

export const segments = ['helped', 'harmed', 'untouched'] as const;
export type Segment = (typeof segments)[number];
const rates: Record<Segment, [control: number, treated: number]> = { helped: [0.15, 0.45], harmed: [0.45, 0.15], untouched: [0.3, 0.3] };

export interface PlantedExperiment {
  table: Table;
  segment: Segment[];
  /** 1 = had the action. */
  treated: number[];
  outcome: number[];
}

export function plantedExperiment(rows: number, seed = 1, treatedShare = 0.5): PlantedExperiment {
  const random = seededRandom(seed);
  const segment: Segment[] = [];
  const treated: number[] = [];
  const outcome: number[] = [];
  const age = new Float64Array(rows);
  const noise: (string | null)[] = [];
  for (let i = 0; i < rows; i++) {
    const s = segments[Math.floor(random() * 3)];
    const t = random() < treatedShare ? 1 : 0;
    segment.push(s);
    treated.push(t);
    outcome.push(random() < rates[s][t] ? 1 : 0);
    age[i] = Math.round(20 + random() * 50);
    noise.push(random() < 0.5 ? 'web' : 'phone');
  }
  return {
    table: { rowCount: rows, numericNames: ['age'], numeric: [age], categoricalNames: ['segment', 'channel'], categorical: [segment.slice(), noise] },
    segment, treated, outcome,
  };
}

/** The true uplift of each segment. */
export const plantedUplift: Record<Segment, number> = { helped: 0.3, harmed: -0.3, untouched: 0 };
