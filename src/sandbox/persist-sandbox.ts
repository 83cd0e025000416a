/**
 * Keeps a sandbox's state in a file, so that a restart of `npm start` finds HubSpot as it left it:
 * registered apps with their client secrets and webhook subscriptions, installs, access and refresh
 * tokens, and every portal with its property definitions, groups, records (each property's full
 * history) and associations.
 *
 * The file is newline-delimited JSON (one header line, then one line per portal and per record), so
 * no single string grows with the portal. It is written to a temporary file, flushed to disk, and
 * renamed over the previous snapshot: a crash mid-write leaves the previous snapshot whole. Writes
 * follow changes (at most one per `intervalMs`) and the last one happens on `close()`. The file holds
 * client secrets and tokens, so it is readable by its owner only (0600, in a 0700 folder).
 *
 * Not kept: authorization codes (valid for minutes), request counters, rate-limit and fault settings
 * (set per run), and webhook deliveries still queued (the app's incremental sync reads those changes).
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { chmod, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { AccessToken, RefreshToken, SandboxApp, SandboxState } from './sandbox-state.ts';
import { sandboxObjectTypes, type HistoryEntry, type PropertyGroup, type SandboxObject, type SandboxObjectType } from './sandbox-store.ts';
import type { SandboxProperty } from './standard-properties.ts';

const FORMAT = 'propensity-sandbox-snapshot';
const VERSION = 1;

interface HeaderLine {
  format: typeof FORMAT;
  version: number;
  savedAt: string;
  apps: SandboxApp[];
  installs: string[];
  accessTokens: AccessToken[];
  refreshTokens: RefreshToken[];
  summaries: { portalId: number; domain: string }[];
}

interface PortalLine {
  portal: number;
  domain: string;
  nextId: number;
  properties: Record<SandboxObjectType, SandboxProperty[]>;
  groups: Record<SandboxObjectType, PropertyGroup[]>;
}

/** One stored object as a line: the object's own fields, its maps as entry lists. */
type ObjectLine = Omit<SandboxObject, 'props' | 'assoc'> & {
  in: number;
  type: SandboxObjectType;
  props: [string, HistoryEntry[]][];
  assoc: [SandboxObjectType, number[]][];
};

function* snapshotLines(state: SandboxState): Generator<string> {
  const now = Date.now();
  const header: HeaderLine = {
    format: FORMAT,
    version: VERSION,
    savedAt: new Date(now).toISOString(),
    apps: [...state.apps.values()],
    installs: [...state.installs],
    accessTokens: [...state.accessTokens.values()].filter((t) => t.expiresAt > now),
    refreshTokens: [...state.refreshTokens.values()],
    summaries: [...state.portalSummaries.values()],
  };
  yield JSON.stringify(header);
  for (const portal of state.portals.values()) {
    const properties = {} as PortalLine['properties'];
    const groups = {} as PortalLine['groups'];
    for (const type of sandboxObjectTypes) {
      properties[type] = [...portal.properties[type].values()];
      groups[type] = [...portal.groups[type].values()];
    }
    const line: PortalLine = { portal: portal.id, domain: portal.domain, nextId: portal.nextObjectId, properties, groups };
    yield JSON.stringify(line);
    for (const type of sandboxObjectTypes) {
      for (const object of portal.objects[type].values()) {
        const record: ObjectLine = {
          in: portal.id, type, id: object.id, createdAt: object.createdAt, updatedAt: object.updatedAt, archived: object.archived,
          props: [...object.props], assoc: [...object.assoc].map(([to, ids]) => [to, [...ids]]),
        };
        if (object.archivedAt !== undefined) record.archivedAt = object.archivedAt;
        if (object.mergedInto !== undefined) record.mergedInto = object.mergedInto;
        yield JSON.stringify(record);
      }
    }
  }
}

/** Writes the state's snapshot to `file` atomically (temporary file, fsync, rename). */
export async function saveSandboxSnapshot(state: SandboxState, file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const out = createWriteStream(temporary, { mode: 0o600 });
    const done = new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.once('finish', resolve);
    });
    for (const line of snapshotLines(state)) {
      // Respect back-pressure: the event loop keeps serving requests while a large portal is written.
      if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end();
    await done;
    const handle = await open(temporary, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

/**
 * Reads a snapshot into a fresh state (no portals yet). Returns false when there is no file; a file
 * that cannot be read throws a `SnapshotError` naming it (never silently starts empty over it).
 */
export async function loadSandboxSnapshot(state: SandboxState, file: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  if (state.portals.size > 0) throw new SnapshotError('a snapshot is loaded into an empty sandbox only');
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let header: HeaderLine | undefined;
  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber += 1;
    if (text === '') continue;
    let line: unknown;
    try {
      line = JSON.parse(text);
    } catch {
      throw new SnapshotError(`${file}: line ${lineNumber} is not JSON (the snapshot is damaged; move it away to start the sandbox afresh)`);
    }
    if (!header) {
      const candidate = line as Partial<HeaderLine>;
      if (candidate.format !== FORMAT || candidate.version !== VERSION) throw new SnapshotError(`${file}: not a sandbox snapshot of version ${VERSION}`);
      header = candidate as HeaderLine;
      for (const app of header.apps) state.apps.set(app.clientId, app);
      for (const install of header.installs) state.installs.add(install);
      for (const token of header.accessTokens) state.accessTokens.set(token.token, token);
      for (const token of header.refreshTokens) state.refreshTokens.set(token.token, token);
      for (const summary of header.summaries) state.portalSummaries.set(summary.portalId, summary);
    } else if ('portal' in (line as object)) {
      const entry = line as PortalLine;
      const portal = state.addPortal(entry.portal, entry.domain);
      portal.resumeIdsAt(entry.nextId);
      for (const type of sandboxObjectTypes) {
        portal.properties[type].clear();
        for (const property of entry.properties[type]) portal.properties[type].set(property.name, property);
        portal.groups[type].clear();
        for (const group of entry.groups[type]) portal.groups[type].set(group.name, group);
      }
    } else {
      const entry = line as ObjectLine;
      const portal = state.portals.get(entry.in);
      if (!portal) throw new SnapshotError(`${file}: line ${lineNumber} belongs to portal ${entry.in}, which the snapshot does not define before it`);
      const object: SandboxObject = {
        id: entry.id, createdAt: entry.createdAt, updatedAt: entry.updatedAt, archived: entry.archived,
        props: new Map(entry.props), assoc: new Map(entry.assoc.map(([to, ids]) => [to, new Set(ids)])),
      };
      if (entry.archivedAt !== undefined) object.archivedAt = entry.archivedAt;
      if (entry.mergedInto !== undefined) object.mergedInto = entry.mergedInto;
      portal.insert(entry.type, object);
    }
  }
  if (!header) throw new SnapshotError(`${file}: empty (the snapshot is damaged; move it away to start the sandbox afresh)`);
  return true;
}

export interface SandboxPersistence {
  /** Writes now if anything changed since the last write. */
  flush(): Promise<void>;
  /** Stops watching and writes the last snapshot. */
  close(): Promise<void>;
}

/** Watches the state and writes its snapshot after changes, at most once per `intervalMs`. */
export function persistSandbox(state: SandboxState, file: string, options: { intervalMs?: number; onError?: (error: Error) => void; alreadySaved?: boolean } = {}): SandboxPersistence {
  // A state just loaded from the file is saved already; anything else is written at the first tick.
  let saved = options.alreadySaved ? state.revision : -1;
  let writing: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    while (writing) await writing;
    if (state.revision === saved) return;
    const revision = state.revision;
    writing = saveSandboxSnapshot(state, file).then(() => {
      saved = revision;
    });
    try {
      await writing;
    } finally {
      writing = undefined;
    }
  };
  const timer = setInterval(() => {
    flush().catch((error: Error) => options.onError?.(error));
  }, options.intervalMs ?? 5_000);
  timer.unref();
  return {
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
