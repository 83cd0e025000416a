/**
 * Associations v4 reads: `POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read`
 * (at most 100 inputs `{ id, after? }` since 2025-01-06; each result one page of the record's
 * links with its own `paging.next.after`; 207 with an error per id that has none) and
 * `GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}` (`limit`, `after`).
 */
import { Router } from 'express';
import { requireScope } from '../api-context.ts';
import { validationError, type BatchError } from '../errors.ts';
import { objectTypeParam, readScopes } from '../crm/object-types.ts';
import { findObject, notFoundById } from '../crm/object-writes.ts';
import { singular, type SandboxObject, type SandboxObjectType, type SandboxPortal } from '../sandbox-store.ts';
import { typesOfLink } from './association-types.ts';
import { pageOfLinks } from './association-paging.ts';
import type { SandboxState } from '../sandbox-state.ts';

/** HubSpot changelog 2025-01-06, "Bug Fix: Batch Read Limit for HubSpot Associations API". */
export const ASSOCIATION_READ_MAX = 100;
/** The v4 GET's `limit` maximum (HubSpot's reference: 500). */
export const ASSOCIATION_LIST_MAX = 500;

/** The live objects `object` is linked to, as v4 lists them (the first company is the primary one). */
export function linksOf(portal: SandboxPortal, from: SandboxObjectType, object: SandboxObject, to: SandboxObjectType): { toObjectId: number; associationTypes: ReturnType<typeof typesOfLink> }[] {
  const ids = [...(object.assoc.get(to) ?? [])].filter((id) => portal.get(to, id));
  return ids.map((toObjectId, index) => ({ toObjectId, associationTypes: typesOfLink(from, to, to === 'companies' && index === 0) }));
}

export function associationReadRoutes(state: SandboxState): Router {
  const router = Router();

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/read', (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    const { portal } = requireScope(res, readScopes(from));
    const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs)) throw validationError('Invalid input JSON on line 1, column 1: inputs must be an array of { id }', [{ message: 'required', in: 'inputs' }]);
    if (inputs.length > ASSOCIATION_READ_MAX) throw validationError(`Batch input must not contain more than ${ASSOCIATION_READ_MAX} inputs (got ${inputs.length})`, [{ message: `size must be between 1 and ${ASSOCIATION_READ_MAX}`, in: 'inputs' }]);
    state.count(`association-read:${portal.id}:${from}:${to}`);
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    for (const [index, input] of (inputs as { id?: unknown; after?: unknown }[]).entries()) {
      const object = findObject(portal, from, input?.id);
      const links = object ? linksOf(portal, from, object, to) : [];
      if (links.length > 0) {
        const { page, next } = pageOfLinks(links, input.after, state.associationPageSize, `inputs[${index}].after`);
        results.push({ from: { id: String(object!.id) }, to: page, ...(next ? { paging: { next: { after: next } } } : {}) });
      } else {
        errors.push({
          status: 'error', category: 'OBJECT_NOT_FOUND', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${singular[to]} is associated with ${singular[from]} ${String(input?.id)}.`, context: { fromObjectId: [String(input?.id)] }, errors: [], links: {},
        });
      }
    }
    const now = new Date().toISOString();
    res.status(errors.length > 0 ? 207 : 200).json({ status: 'COMPLETE', results, startedAt: now, completedAt: now, ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}) });
  });

  router.get('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType', (req, res) => {
    const from = objectTypeParam(req.params.objectType);
    const to = objectTypeParam(req.params.toObjectType);
    const { portal } = requireScope(res, readScopes(from));
    const object = findObject(portal, from, req.params.objectId);
    if (!object) throw notFoundById(req.params.objectId);
    const limit = req.query.limit === undefined ? ASSOCIATION_LIST_MAX : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > ASSOCIATION_LIST_MAX) throw validationError(`limit must be a whole number from 1 to ${ASSOCIATION_LIST_MAX}`, [{ message: `must be between 1 and ${ASSOCIATION_LIST_MAX}`, in: 'limit' }]);
    const { page, next } = pageOfLinks(linksOf(portal, from, object, to), req.query.after, limit);
    res.json({ results: page, ...(next ? { paging: { next: { after: next } } } : {}) });
  });

  return router;
}
