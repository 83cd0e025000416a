/** Building objects with ready-made property history, for the generator (no announcements). */
import type { HistoryEntry, SandboxObject } from '../sandbox-store.ts';

export function newObject(id: number, createdAt: number): SandboxObject {
  return { id, createdAt, updatedAt: createdAt, archived: false, props: new Map(), assoc: new Map() };
}

/** Records a value at `at` unless it equals the latest one recorded. */
export function record(object: SandboxObject, name: string, value: string, at: number, sourceType: string, sourceId?: string): void {
  const entry: HistoryEntry = sourceId === undefined ? { value, timestamp: at, sourceType } : { value, timestamp: at, sourceType, sourceId };
  const history = object.props.get(name);
  if (!history) object.props.set(name, [entry]);
  else if (history[history.length - 1].value !== value) history.push(entry);
  else return;
  if (at > object.updatedAt) object.updatedAt = at;
}

/** Decisions taken at different steps can interleave: puts every history in time order (stable). */
export function inTimeOrder(object: SandboxObject): void {
  for (const history of object.props.values()) {
    for (let i = 1; i < history.length; i++) {
      if (history[i].timestamp < history[i - 1].timestamp) {
        history.sort((a, b) => a.timestamp - b.timestamp);
        break;
      }
    }
  }
}
