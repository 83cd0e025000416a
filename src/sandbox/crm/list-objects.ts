/**
 * `GET /crm/v3/objects/{objectType}`: a page of objects in id order, with `limit` (default 10, at
 * most 100, at most 50 with `propertiesWithHistory`), the `after` cursor, `properties`,
 * `propertiesWithHistory`, `associations` and `archived`. Paging starts from a binary search of the
 * portal's ordered ids, so a page costs the same at 100 or 100,000 objects.
 */
import { Router, type Request } from 'express';
import { requireScope } from '../api-context.ts';
import { validationError } from '../errors.ts';
import type { SandboxObjectType } from '../sandbox-store.ts';
import type { SandboxState } from '../sandbox-state.ts';
import { listParam, objectJson, type ObjectView } from './object-json.ts';
import { isObjectType, objectTypeParam, readScopes } from './object-types.ts';

export const PAGE_MAX = 100;
export const HISTORY_PAGE_MAX = 50;

export function viewOf(query: Request['query'], associationPageSize: number): ObjectView {
  return {
    associationPageSize,
    properties: listParam(query.properties),
    propertiesWithHistory: listParam(query.propertiesWithHistory),
    associations: listParam(query.associations).map((t) => t.toLowerCase()).map((t) => (t === 'contact' ? 'contacts' : t === 'company' ? 'companies' : t === 'deal' ? 'deals' : t)).filter(isObjectType),
  };
}

export function archivedParam(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw validationError(`Invalid value for archived: ${String(value)} (true or false)`, [{ message: 'must be true or false', in: 'archived' }]);
}

function wholeNumber(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw validationError(`Invalid value for ${name}: ${String(value)}`, [{ message: `${name} must be a whole number of at least ${min}`, in: name }]);
  }
  return n;
}

/** The first index of `ids` (ascending) whose id is >= `from`. */
function lowerBound(ids: readonly number[], from: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function listRoutes(state: SandboxState): Router {
  const router = Router();
  router.get('/crm/v3/objects/:objectType', (req, res) => {
    const type: SandboxObjectType = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, readScopes(type));
    const view = viewOf(req.query, state.associationPageSize);
    const limit = Math.min(wholeNumber('limit', req.query.limit, 10, 1), view.propertiesWithHistory!.length > 0 ? HISTORY_PAGE_MAX : PAGE_MAX);
    const from = req.query.after === undefined ? 0 : wholeNumber('after', req.query.after, 0, 0);
    const archived = archivedParam(req.query.archived);

    const ids = portal.ids(type);
    const results: unknown[] = [];
    let next: number | undefined;
    for (let i = lowerBound(ids, from); i < ids.length; i++) {
      const object = portal.objects[type].get(ids[i]);
      if (!object || object.archived !== archived || object.mergedInto !== undefined) continue;
      if (results.length === limit) {
        next = object.id;
        break;
      }
      results.push(objectJson(portal, type, object, view));
    }
    const body: Record<string, unknown> = { results };
    if (next !== undefined) {
      const link = new URL(req.originalUrl, 'https://api.hubapi.com');
      link.searchParams.set('after', String(next));
      body.paging = { next: { after: String(next), link: link.toString() } };
    }
    res.json(body);
  });
  return router;
}
