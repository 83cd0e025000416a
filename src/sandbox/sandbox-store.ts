/**
 * One portal's CRM data as the sandbox holds it: objects with the full history of every property
 * (an array per property, oldest first), their associations, and the portal's property groups and
 * definitions. In memory: the sandbox stands in for HubSpot, not for our database.
 *
 * Every change goes through `create`, `write`, `archive`, `restore`, `associate`, `merge` or
 * `privacyDelete`, which record history and announce the change (the webhook sender listens).
 * The generator fills a portal with `insert`, which announces nothing.
 */
import { standardGroups, standardProperties, type SandboxProperty } from './standard-properties.ts';

export type SandboxObjectType = 'contacts' | 'companies' | 'deals';
export const sandboxObjectTypes: SandboxObjectType[] = ['contacts', 'companies', 'deals'];
export const singular: Record<SandboxObjectType, string> = { contacts: 'contact', companies: 'company', deals: 'deal' };
/** HubSpot's object type ids. */
export const objectTypeIds: Record<SandboxObjectType, string> = { contacts: '0-1', companies: '0-2', deals: '0-3' };

export interface HistoryEntry {
  value: string;
  timestamp: number;
  sourceType: string;
  sourceId?: string;
  updatedByUserId?: number;
}

export interface SandboxObject {
  id: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** Set when the object was merged into another: reads of this id answer with that one. */
  mergedInto?: number;
  /** Oldest first; the last entry is the current value. */
  props: Map<string, HistoryEntry[]>;
  assoc: Map<SandboxObjectType, Set<number>>;
}

/** Who made a change: a user in HubSpot, an app through the API, a HubSpot tool, or the generator. */
export interface ChangeSource {
  /** Property history `sourceType`, e.g. CRM_UI, INTEGRATION, ANALYTICS, EMAIL, FORM. */
  sourceType: string;
  sourceId?: string;
  /** Webhook `changeSource`, e.g. CRM_UI or INTEGRATION. */
  changeSource: string;
  /** The HubSpot user who made it (history `updatedByUserId`). */
  userId?: number;
}

export type ChangeKind = 'creation' | 'propertyChange' | 'deletion' | 'restore' | 'associationChange' | 'merge' | 'privacyDeletion';

export interface Change {
  portalId: number;
  objectType: SandboxObjectType;
  objectId: number;
  kind: ChangeKind;
  propertyName?: string;
  propertyValue?: string;
  source: ChangeSource;
  at: number;
  /** Fields particular to the kind (merge and association events). */
  details?: Record<string, unknown>;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

/** Properties whose values HubSpot keeps unique per portal; answers 409 on a second use. */
const uniqueProperties: Partial<Record<SandboxObjectType, string>> = { contacts: 'email' };

export class SandboxPortal {
  readonly objects: Record<SandboxObjectType, Map<number, SandboxObject>> = { contacts: new Map(), companies: new Map(), deals: new Map() };
  readonly properties: Record<SandboxObjectType, Map<string, SandboxProperty>>;
  readonly groups: Record<SandboxObjectType, Map<string, PropertyGroup>>;
  /** Ids of each type in ascending order, for paging without sorting per request. */
  private readonly idLists: Record<SandboxObjectType, { ids: number[]; sorted: boolean }> = {
    contacts: { ids: [], sorted: true }, companies: { ids: [], sorted: true }, deals: { ids: [], sorted: true },
  };
  private readonly uniqueIndex = new Map<string, number>();
  private nextId: number;

  constructor(
    readonly id: number,
    readonly domain: string,
    private readonly announce: (change: Change) => void = () => {},
  ) {
    // Ids are unique across portals, as in HubSpot: each portal draws from its own range.
    this.nextId = 1000 + (id % 1000) * 1_000_000;
    this.properties = {
      contacts: new Map(standardProperties('contacts').map((p) => [p.name, p])),
      companies: new Map(standardProperties('companies').map((p) => [p.name, p])),
      deals: new Map(standardProperties('deals').map((p) => [p.name, p])),
    };
    this.groups = {
      contacts: new Map(standardGroups('contacts').map((g) => [g.name, g])),
      companies: new Map(standardGroups('companies').map((g) => [g.name, g])),
      deals: new Map(standardGroups('deals').map((g) => [g.name, g])),
    };
  }

  newId(): number {
    return this.nextId++;
  }

  /** The id the next created object gets (kept in the sandbox's snapshot). */
  get nextObjectId(): number {
    return this.nextId;
  }

  /** A restored portal goes on numbering where it stopped. */
  resumeIdsAt(next: number): void {
    this.nextId = Math.max(this.nextId, next);
  }

  /** Adds an object with ready-made history (the generator), announcing nothing. */
  insert(type: SandboxObjectType, object: SandboxObject): void {
    this.objects[type].set(object.id, object);
    this.track(type, object.id);
    this.indexUnique(type, object);
  }

  /** The live object (or, with `archived`, the archived one); a merged-away id reads as its survivor. */
  get(type: SandboxObjectType, id: number, archived = false): SandboxObject | undefined {
    let object = this.objects[type].get(id);
    for (let hops = 0; object?.mergedInto !== undefined && hops < 10; hops++) object = this.objects[type].get(object.mergedInto);
    return object && object.archived === archived ? object : undefined;
  }

  /** Every id of the type ever stored, ascending (check each object's state when reading). */
  ids(type: SandboxObjectType): readonly number[] {
    const list = this.idLists[type];
    if (!list.sorted) {
      list.ids.sort((a, b) => a - b);
      list.sorted = true;
    }
    return list.ids;
  }

  /** The live object whose unique property (contacts: email) has this value. */
  findByUnique(type: SandboxObjectType, name: string, value: string): SandboxObject | undefined {
    if (uniqueProperties[type] === name) {
      const id = this.uniqueIndex.get(uniqueKey(type, value));
      return id === undefined ? undefined : this.get(type, id);
    }
    for (const id of this.ids(type)) {
      const object = this.get(type, id);
      if (object && currentValue(type, object, name) === value) return object;
    }
    return undefined;
  }

  /** The id already holding a unique value the write would take, if any. */
  uniqueConflict(type: SandboxObjectType, values: Record<string, string>, selfId?: number): number | undefined {
    const name = uniqueProperties[type];
    if (!name || !values[name]) return undefined;
    const holder = this.uniqueIndex.get(uniqueKey(type, values[name]));
    return holder !== undefined && holder !== selfId && this.get(type, holder) ? holder : undefined;
  }

  create(type: SandboxObjectType, values: Record<string, string>, source: ChangeSource, at = Date.now()): SandboxObject {
    const object: SandboxObject = { id: this.newId(), createdAt: at, updatedAt: at, archived: false, props: new Map(), assoc: new Map() };
    this.objects[type].set(object.id, object);
    this.track(type, object.id);
    this.emit(type, object.id, 'creation', source, at);
    this.write(type, object, values, source, at);
    return object;
  }

  /** Writes values; only values that differ from the current one are recorded and announced. Returns the changed names. */
  write(type: SandboxObjectType, object: SandboxObject, values: Record<string, string>, source: ChangeSource, at = Date.now()): string[] {
    const changed: string[] = [];
    for (const [name, value] of Object.entries(values)) {
      const history = object.props.get(name);
      if (history ? history[history.length - 1].value === value : value === '') continue;
      const entry: HistoryEntry = { value, timestamp: at, sourceType: source.sourceType };
      if (source.sourceId !== undefined) entry.sourceId = source.sourceId;
      if (source.userId !== undefined) entry.updatedByUserId = source.userId;
      if (history) history.push(entry);
      else object.props.set(name, [entry]);
      changed.push(name);
    }
    if (changed.length === 0) return changed;
    object.updatedAt = Math.max(object.updatedAt, at);
    if (changed.includes(uniqueProperties[type] ?? '')) this.indexUnique(type, object);
    for (const name of changed) this.emit(type, object.id, 'propertyChange', source, at, { propertyName: name, propertyValue: values[name] });
    return changed;
  }

  archive(type: SandboxObjectType, object: SandboxObject, source: ChangeSource, at = Date.now()): void {
    if (object.archived) return;
    object.archived = true;
    object.archivedAt = at;
    object.updatedAt = at;
    this.unindexUnique(type, object);
    this.emit(type, object.id, 'deletion', source, at);
  }

  restore(type: SandboxObjectType, object: SandboxObject, source: ChangeSource, at = Date.now()): void {
    if (!object.archived) return;
    object.archived = false;
    delete object.archivedAt;
    object.updatedAt = at;
    this.indexUnique(type, object);
    this.emit(type, object.id, 'restore', source, at);
  }

  /** Links two objects both ways; announces it when the link is new. */
  associate(fromType: SandboxObjectType, fromId: number, toType: SandboxObjectType, toId: number, source: ChangeSource, at = Date.now()): boolean {
    const from = this.get(fromType, fromId);
    const to = this.get(toType, toId);
    if (!from || !to || from.assoc.get(toType)?.has(to.id)) return false;
    link(from, toType, to.id);
    link(to, fromType, from.id);
    this.announceAssociation(fromType, from.id, toType, to.id, false, source, at);
    return true;
  }

  dissociate(fromType: SandboxObjectType, fromId: number, toType: SandboxObjectType, toId: number, source: ChangeSource, at = Date.now()): boolean {
    const from = this.get(fromType, fromId);
    const to = this.get(toType, toId);
    if (!from || !to || !from.assoc.get(toType)?.has(to.id)) return false;
    from.assoc.get(toType)!.delete(to.id);
    to.assoc.get(fromType)?.delete(from.id);
    this.announceAssociation(fromType, from.id, toType, to.id, true, source, at);
    return true;
  }

  /**
   * Merges `merged` into `primary`, as HubSpot's merge does: the primary keeps its id and its values,
   * takes the other's values where it has none, and every association of both.
   */
  merge(type: SandboxObjectType, primary: SandboxObject, merged: SandboxObject, source: ChangeSource, at = Date.now()): void {
    for (const [name, history] of merged.props) {
      if (!primary.props.has(name)) primary.props.set(name, history.map((e) => ({ ...e })));
    }
    for (const [toType, ids] of merged.assoc) {
      for (const toId of ids) {
        const other = this.objects[toType].get(toId);
        other?.assoc.get(type)?.delete(merged.id);
        if (other) link(other, type, primary.id);
        link(primary, toType, toId);
      }
    }
    merged.assoc.clear();
    merged.mergedInto = primary.id;
    this.unindexUnique(type, merged);
    this.indexUnique(type, primary);
    primary.updatedAt = Math.max(primary.updatedAt, at);
    this.emit(type, primary.id, 'merge', source, at, {
      details: { primaryObjectId: primary.id, mergedObjectIds: [primary.id, merged.id], newObjectId: primary.id, numberOfPropertiesMoved: merged.props.size },
    });
  }

  /** A GDPR deletion: the contact and its history are gone for good. */
  privacyDelete(object: SandboxObject, source: ChangeSource, at = Date.now()): void {
    for (const [toType, ids] of object.assoc) for (const toId of ids) this.objects[toType].get(toId)?.assoc.get('contacts')?.delete(object.id);
    this.unindexUnique('contacts', object);
    this.objects.contacts.delete(object.id);
    this.emit('contacts', object.id, 'privacyDeletion', source, at);
  }

  private emit(type: SandboxObjectType, objectId: number, kind: ChangeKind, source: ChangeSource, at: number, extra: Partial<Change> = {}): void {
    this.announce({ portalId: this.id, objectType: type, objectId, kind, source, at, ...extra });
  }

  private announceAssociation(fromType: SandboxObjectType, fromId: number, toType: SandboxObjectType, toId: number, removed: boolean, source: ChangeSource, at: number): void {
    // HubSpot sends the change from both sides.
    for (const [type, id, otherType, otherId] of [[fromType, fromId, toType, toId], [toType, toId, fromType, fromId]] as const) {
      this.emit(type, id, 'associationChange', source, at, {
        details: {
          fromObjectId: id, toObjectId: otherId, associationRemoved: removed, isPrimaryAssociation: false,
          associationType: `${singular[type].toUpperCase()}_TO_${singular[otherType].toUpperCase()}`,
        },
      });
    }
  }

  private track(type: SandboxObjectType, id: number): void {
    const list = this.idLists[type];
    if (list.ids.length > 0 && id < list.ids[list.ids.length - 1]) list.sorted = false;
    list.ids.push(id);
  }

  private indexUnique(type: SandboxObjectType, object: SandboxObject): void {
    const name = uniqueProperties[type];
    const history = name ? object.props.get(name) : undefined;
    if (!history) return;
    // The previous value of the property is free again.
    if (history.length > 1) {
      const previous = uniqueKey(type, history[history.length - 2].value);
      if (this.uniqueIndex.get(previous) === object.id) this.uniqueIndex.delete(previous);
    }
    const value = history[history.length - 1].value;
    if (value !== '' && !object.archived && object.mergedInto === undefined) this.uniqueIndex.set(uniqueKey(type, value), object.id);
  }

  private unindexUnique(type: SandboxObjectType, object: SandboxObject): void {
    const name = uniqueProperties[type];
    const value = name ? object.props.get(name)?.at(-1)?.value : undefined;
    if (value && this.uniqueIndex.get(uniqueKey(type, value)) === object.id) this.uniqueIndex.delete(uniqueKey(type, value));
  }
}

function uniqueKey(type: SandboxObjectType, value: string): string {
  return `${type}:${value.toLowerCase()}`;
}

export function link(object: SandboxObject, toType: SandboxObjectType, toId: number): void {
  let set = object.assoc.get(toType);
  if (!set) object.assoc.set(toType, (set = new Set()));
  set.add(toId);
}

const lastModifiedName: Record<SandboxObjectType, string> = { contacts: 'lastmodifieddate', companies: 'hs_lastmodifieddate', deals: 'hs_lastmodifieddate' };

/** The current value of a property, with the system properties HubSpot computes. */
export function currentValue(type: SandboxObjectType, object: SandboxObject, name: string): string | undefined {
  if (name === 'hs_object_id') return String(object.id);
  if (name === 'createdate') return new Date(object.createdAt).toISOString();
  if (name === lastModifiedName[type]) return new Date(object.updatedAt).toISOString();
  const history = object.props.get(name);
  return history ? history[history.length - 1].value : undefined;
}

/** A property's history, oldest first. */
export function historyOf(type: SandboxObjectType, object: SandboxObject, name: string): HistoryEntry[] {
  if (name === 'createdate' || name === 'hs_object_id') {
    return [{ value: currentValue(type, object, name)!, timestamp: object.createdAt, sourceType: 'CRM_UI' }];
  }
  if (name === lastModifiedName[type]) {
    return [{ value: currentValue(type, object, name)!, timestamp: object.updatedAt, sourceType: 'CALCULATED' }];
  }
  return object.props.get(name) ?? [];
}
