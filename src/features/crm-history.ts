/**
 * A CRM record's history, indexed for point-in-time questions: "what was property p at time T?".
 * Only values whose history timestamp is at or before T are ever returned, so features built from
 * here cannot see the future.
 */
export interface StoredRecord {
  objectId: string;
  properties: ArrayLike<{ name: string; value?: string | null }>;
  history: ArrayLike<{ name: string; entries: ArrayLike<{ value?: string | null; at: Date }> }>;
  associations?: ArrayLike<{ toType: string; ids: ArrayLike<string> }>;
  createdAt?: Date | null;
  updatedAt?: Date | null;
}

export interface TimedValue {
  value: string | undefined;
  at: number;
}

/**
 * One property's changes, oldest first, as two parallel plain arrays: compact, since a portal holds
 * millions of them (a typed array would cost a few hundred bytes of overhead each).
 */
interface Timeline {
  values: (string | undefined)[];
  at: number[];
}

export class RecordHistory {
  readonly objectId: string;
  readonly createdAt: number;
  /** Per property, oldest first. */
  private readonly timelines = new Map<string, Timeline>();
  private readonly links = new Map<string, string[]>();

  constructor(record: StoredRecord) {
    this.objectId = record.objectId;
    for (let i = 0; i < record.history.length; i++) {
      const { name, entries } = record.history[i];
      const order = Array.from({ length: entries.length }, (_, j) => entries.length - 1 - j);
      order.sort((a, b) => entries[a].at.getTime() - entries[b].at.getTime() || b - a);
      this.timelines.set(name, { values: order.map((j) => entries[j].value ?? undefined), at: order.map((j) => entries[j].at.getTime()) });
    }
    const updatedAt = record.updatedAt?.getTime() ?? Number.POSITIVE_INFINITY;
    // A property with no history: its current value is known only from the last update on.
    for (let i = 0; i < record.properties.length; i++) {
      const { name, value } = record.properties[i];
      if (!this.timelines.has(name) && value !== undefined && value !== null) this.timelines.set(name, { values: [value], at: [updatedAt] });
    }
    this.createdAt = record.createdAt?.getTime() ?? parseTime(this.valueAt('createdate', Number.POSITIVE_INFINITY)) ?? Number.NaN;
    for (let i = 0; i < (record.associations?.length ?? 0); i++) {
      const link = record.associations![i];
      this.links.set(link.toType, Array.from(link.ids));
    }
  }

  propertyNames(): string[] {
    return [...this.timelines.keys()];
  }

  /** Index of the last change at or before `time`, or -1. */
  private lastIndexAt(timeline: Timeline, time: number): number {
    let lo = 0;
    let hi = timeline.at.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (timeline.at[mid] <= time) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The value of `name` as it was at `time` (ms), or undefined. */
  valueAt(name: string, time: number): string | undefined {
    const timeline = this.timelines.get(name);
    if (!timeline) return undefined;
    const found = this.lastIndexAt(timeline, time);
    return found >= 0 ? timeline.values[found] : undefined;
  }

  /** When `name` last changed at or before `time`, or undefined. */
  lastChangeAt(name: string, time: number): number | undefined {
    const timeline = this.timelines.get(name);
    if (!timeline) return undefined;
    const found = this.lastIndexAt(timeline, time);
    return found >= 0 ? timeline.at[found] : undefined;
  }

  /** Changes of `name` in the window (from, to]. */
  changesBetween(name: string, from: number, to: number): TimedValue[] {
    const timeline = this.timelines.get(name);
    if (!timeline) return [];
    const out: TimedValue[] = [];
    for (let i = 0; i < timeline.at.length; i++) if (timeline.at[i] > from && timeline.at[i] <= to) out.push({ value: timeline.values[i], at: timeline.at[i] });
    return out;
  }

  linked(toType: string): string[] {
    return this.links.get(toType) ?? [];
  }
}

/** A HubSpot date or datetime value (ISO-8601 or epoch milliseconds) as ms, or undefined. */
export function parseTime(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const time = /^-?\d{10,14}$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isFinite(time) ? time : undefined;
}
