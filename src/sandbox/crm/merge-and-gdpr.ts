/**
 * `POST /crm/v3/objects/{objectType}/merge` (the primary keeps its id and absorbs the other) and
 * `POST /crm/v3/objects/contacts/gdpr-delete` (a contact and its history deleted for good).
 */
import { Router } from 'express';
import { integrationSource, requireScope } from '../api-context.ts';
import { validationError } from '../errors.ts';
import { objectJson } from './object-json.ts';
import { objectTypeParam, writeScopes } from './object-types.ts';
import { findObject, notFoundById } from './object-writes.ts';

export function mergeAndGdprRoutes(): Router {
  const router = Router();

  router.post('/crm/v3/objects/contacts/gdpr-delete', (req, res) => {
    const { portal } = requireScope(res, writeScopes('contacts'));
    const body = (req.body ?? {}) as { objectId?: unknown; idProperty?: unknown };
    if (typeof body.objectId !== 'string' || body.objectId === '') throw validationError('objectId is required', [{ message: 'must not be empty', in: 'objectId' }]);
    const contact = findObject(portal, 'contacts', body.objectId, body.idProperty) ?? findObject(portal, 'contacts', body.objectId, body.idProperty, true);
    if (!contact) throw notFoundById(body.objectId);
    portal.privacyDelete(contact, integrationSource(res));
    res.status(204).end();
  });

  router.post('/crm/v3/objects/:objectType/merge', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, writeScopes(type));
    const body = (req.body ?? {}) as { primaryObjectId?: unknown; objectIdToMerge?: unknown };
    if (typeof body.primaryObjectId !== 'string' || typeof body.objectIdToMerge !== 'string') {
      throw validationError('primaryObjectId and objectIdToMerge are required', [{ message: 'required', in: 'primaryObjectId' }]);
    }
    const primary = findObject(portal, type, body.primaryObjectId);
    const merged = findObject(portal, type, body.objectIdToMerge);
    if (!primary) throw notFoundById(body.primaryObjectId);
    if (!merged) throw notFoundById(body.objectIdToMerge);
    if (primary.id === merged.id) throw validationError('An object cannot be merged with itself', [{ message: 'same object', in: 'objectIdToMerge' }]);
    portal.merge(type, primary, merged, integrationSource(res));
    res.json(objectJson(portal, type, primary));
  });

  return router;
}
