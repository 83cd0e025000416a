/**
 * Every portal's data is reachable only by that portal: a mongoose plugin for collections of portal
 * data that rejects any query, count, update, delete, aggregation, insert or bulk write not scoped by
 * `portalId`, any write that would move a document to another portal, and any aggregation stage that
 * reads another collection. The few deliberate cross-portal reads (queue sweeps, operations counts)
 * say so with the `allPortals` query option, and carry the comment `all-portals` to MongoDB, so a
 * check on the commands themselves (test/isolation) can tell them from a leak.
 *
 * Writes that go to the driver directly (`Model.collection.*`, for speed) are not seen here; they pin
 * `portalId` in every filter by hand, and the isolation test checks the commands they send.
 */
import type { Schema } from 'mongoose';

export class UnscopedQueryError extends Error {
  override name = 'UnscopedQueryError';
}

export const ALL_PORTALS_COMMENT = 'all-portals';

/** A filter is scoped when it pins `portalId` to a number or a list of numbers. */
export function isPortalScoped(filter: unknown): boolean {
  if (!filter || typeof filter !== 'object') return false;
  const value = (filter as Record<string, unknown>).portalId;
  if (typeof value === 'number') return Number.isInteger(value);
  if (value && typeof value === 'object') {
    const operators = value as Record<string, unknown>;
    if (typeof operators.$eq === 'number') return true;
    if (Array.isArray(operators.$in)) return operators.$in.length > 0 && operators.$in.every((v) => typeof v === 'number');
  }
  const and = (filter as Record<string, unknown>).$and;
  return Array.isArray(and) && and.some(isPortalScoped);
}

/** The one portal a filter pins, when it pins exactly one. */
function pinnedPortal(filter: unknown): number | undefined {
  if (!filter || typeof filter !== 'object') return undefined;
  const value = (filter as Record<string, unknown>).portalId;
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && typeof (value as { $eq?: unknown }).$eq === 'number') return (value as { $eq: number }).$eq;
  const and = (filter as Record<string, unknown>).$and;
  return Array.isArray(and) ? and.map(pinnedPortal).find((p) => p !== undefined) : undefined;
}

/**
 * True when an update (operators, a pipeline, or with `replacement` a whole new document) could give a
 * document a portalId other than the one its filter pins: setting it to that same portal is fine (an
 * upsert's `$setOnInsert`), and a replacement must carry it.
 */
export function movesPortal(filter: unknown, update: unknown, replacement = false): boolean {
  if (!update || typeof update !== 'object') return false;
  const pinned = pinnedPortal(filter);
  const touches = (fields: unknown) => fields !== null && typeof fields === 'object' && 'portalId' in fields;
  const keepsPortal = (fields: Record<string, unknown>) => pinned !== undefined && fields.portalId === pinned;
  if (replacement) return !keepsPortal(update as Record<string, unknown>);
  if (Array.isArray(update)) return update.some((stage) => stage && typeof stage === 'object' && Object.values(stage).some((fields) => touches(fields) && !keepsPortal(fields as Record<string, unknown>)));
  const entries = Object.entries(update as Record<string, unknown>);
  // Without operators, mongoose reads an update as `$set` of its fields.
  if (entries.every(([key]) => !key.startsWith('$'))) return touches(update) && !keepsPortal(update as Record<string, unknown>);
  return entries.some(([operator, fields]) => touches(fields) && !((operator === '$set' || operator === '$setOnInsert') && keepsPortal(fields as Record<string, unknown>)));
}

const queryOperations = [
  'find', 'findOne', 'countDocuments', 'estimatedDocumentCount', 'distinct', 'updateOne', 'updateMany', 'replaceOne',
  'deleteOne', 'deleteMany', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace',
] as const;

/** Stages that read or write another collection: a way around the leading `$match`. */
const crossCollectionStages = ['$lookup', '$graphLookup', '$unionWith', '$out', '$merge'];

interface ScopedQuery {
  getFilter(): unknown;
  getUpdate(): unknown;
  getOptions(): { allPortals?: boolean };
  comment(value: string): unknown;
  model: { collection: { name: string } };
}

export function portalScopePlugin(schema: Schema): void {
  for (const operation of queryOperations) {
    schema.pre(operation, function (this: ScopedQuery) {
      if (this.getOptions().allPortals) {
        this.comment(ALL_PORTALS_COMMENT);
        return;
      }
      if (!isPortalScoped(this.getFilter())) {
        throw new UnscopedQueryError(`${operation} on ${this.model.collection.name} without a portalId`);
      }
      if (movesPortal(this.getFilter(), this.getUpdate(), operation === 'replaceOne' || operation === 'findOneAndReplace')) {
        throw new UnscopedQueryError(`${operation} on ${this.model.collection.name} would move a document to another portal`);
      }
    });
  }
  schema.pre('aggregate', function () {
    const options = this.options as { allPortals?: boolean; comment?: unknown };
    if (options?.allPortals) {
      options.comment = ALL_PORTALS_COMMENT;
      return;
    }
    const pipeline = this.pipeline() as unknown as Record<string, unknown>[];
    const first = pipeline[0] as { $match?: unknown } | undefined;
    if (!first?.$match || !isPortalScoped(first.$match)) throw new UnscopedQueryError('aggregation without a leading $match on portalId');
    const crossing = pipeline.flatMap((stage) => Object.keys(stage)).find((name) => crossCollectionStages.includes(name));
    if (crossing) throw new UnscopedQueryError(`aggregation with ${crossing}: it reads or writes past the portal's $match`);
  });
  schema.pre('insertMany', function (docs: unknown) {
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (typeof (doc as { portalId?: unknown } | null)?.portalId !== 'number') throw new UnscopedQueryError('insertMany of a document without a portalId');
    }
  });
  schema.pre('bulkWrite', function (operations) {
    for (const op of operations as unknown as Record<string, { filter?: unknown; document?: { portalId?: unknown }; update?: unknown; replacement?: unknown }>[]) {
      const [kind, body] = Object.entries(op)[0];
      const scoped = kind === 'insertOne' ? typeof body.document?.portalId === 'number' : isPortalScoped(body.filter);
      if (!scoped) throw new UnscopedQueryError(`bulkWrite ${kind} without a portalId`);
      if (kind !== 'insertOne' && movesPortal(body.filter, body.update ?? body.replacement, kind === 'replaceOne')) throw new UnscopedQueryError(`bulkWrite ${kind} would move a document to another portal`);
    }
  });
}
