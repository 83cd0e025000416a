/**
 * One object at a time: `GET`, `PATCH` and `DELETE /crm/v3/objects/{objectType}/{objectId}` (by
 * id or by a unique property with `idProperty`), and `POST /crm/v3/objects/{objectType}`.
 */
import { Router } from 'express';
import { integrationSource, requireScope } from '../api-context.ts';
import { archivedParam, viewOf } from './list-objects.ts';
import type { SandboxState } from '../sandbox-state.ts';
import { objectJson } from './object-json.ts';
import { objectTypeParam, readScopes, writeScopes } from './object-types.ts';
import { assertUnique, createWithAssociations, findObject, notFoundById, plannedAssociations } from './object-writes.ts';
import { validValues } from './property-values.ts';

export function basicObjectRoutes(state: SandboxState): Router {
  const router = Router();

  router.get('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, readScopes(type));
    const object = findObject(portal, type, req.params.objectId, req.query.idProperty, archivedParam(req.query.archived));
    if (!object) throw notFoundById(req.params.objectId);
    res.json(objectJson(portal, type, object, viewOf(req.query, state.associationPageSize)));
  });

  router.post('/crm/v3/objects/:objectType', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, writeScopes(type));
    const body = (req.body ?? {}) as { properties?: unknown; associations?: unknown };
    const values = validValues(portal, type, body.properties ?? {});
    assertUnique(portal, type, values);
    const links = plannedAssociations(portal, type, body.associations);
    const object = createWithAssociations(portal, type, values, links, integrationSource(res));
    res.status(201).json(objectJson(portal, type, object, { properties: Object.keys(values) }));
  });

  router.patch('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, writeScopes(type));
    const object = findObject(portal, type, req.params.objectId, req.query.idProperty);
    if (!object) throw notFoundById(req.params.objectId);
    const values = validValues(portal, type, ((req.body ?? {}) as { properties?: unknown }).properties);
    assertUnique(portal, type, values, object.id);
    portal.write(type, object, values, integrationSource(res));
    res.json(objectJson(portal, type, object, { properties: Object.keys(values) }));
  });

  router.delete('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, writeScopes(type));
    const object = findObject(portal, type, req.params.objectId);
    if (object) portal.archive(type, object, integrationSource(res));
    res.status(204).end();
  });

  return router;
}
