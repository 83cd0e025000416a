/**
 * Every portal's data is reachable only by that portal: a mongoose plugin for collections of portal
 * data that rejects any query, update, delete, aggregation or bulk write not scoped by `portalId`.
 * The few deliberate cross-portal reads (queue claims, operations counts) say so with the
 * `allPortals` query option.
 */
import type { Schema } from 'mongoose';

export class UnscopedQueryError extends Error {
  override name = 'UnscopedQueryError';
}

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

const queryOperations = [
  'find', 'findOne', 'countDocuments', 'distinct', 'updateOne', 'updateMany', 'replaceOne',
  'deleteOne', 'deleteMany', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace',
] as const;

export function portalScopePlugin(schema: Schema): void {
  for (const operation of queryOperations) {
    schema.pre(operation, function (this: { getFilter(): unknown; getOptions(): { allPortals?: boolean }; model: { collection: { name: string } } }) {
      if (this.getOptions().allPortals) return;
      if (!isPortalScoped(this.getFilter())) {
        throw new UnscopedQueryError(`${operation} on ${this.model.collection.name} without a portalId`);
      }
    });
  }
  schema.pre('aggregate', function () {
    if ((this.options as { allPortals?: boolean } | undefined)?.allPortals) return;
    const first = this.pipeline()[0] as { $match?: unknown } | undefined;
    if (!first?.$match || !isPortalScoped(first.$match)) throw new UnscopedQueryError('aggregation without a leading $match on portalId');
  });
  schema.pre('bulkWrite', function (operations) {
    for (const op of operations as unknown as Record<string, { filter?: unknown; document?: { portalId?: unknown } }>[]) {
      const [kind, body] = Object.entries(op)[0];
      const scoped = kind === 'insertOne' ? typeof body.document?.portalId === 'number' : isPortalScoped(body.filter);
      if (!scoped) throw new UnscopedQueryError(`bulkWrite ${kind} without a portalId`);
    }
  });
}
