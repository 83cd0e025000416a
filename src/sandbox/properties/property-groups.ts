/** Properties v3 groups: `/crm/v3/properties/{objectType}/groups[/{groupName}]`. */
import { Router } from 'express';
import { requireScope } from '../api-context.ts';
import { conflict, objectNotFound, validationError } from '../errors.ts';
import { objectTypeParam, schemaReadScopes, schemaWriteScopes } from '../crm/object-types.ts';

export const NAME_PATTERN = /^[a-z][a-z0-9_]{0,99}$/;

export function propertyGroupRoutes(): Router {
  const router = Router();
  const base = '/crm/v3/properties/:objectType/groups';

  router.get(base, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, schemaReadScopes(type));
    res.json({ results: [...portal.groups[type].values()].filter((g) => !g.archived) });
  });

  router.get(`${base}/:groupName`, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const group = requireScope(res, schemaReadScopes(type)).portal.groups[type].get(req.params.groupName);
    if (!group || group.archived) throw objectNotFound(`Unable to find property group ${req.params.groupName}`);
    res.json(group);
  });

  router.post(base, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, schemaWriteScopes(type));
    const { name, label, displayOrder } = (req.body ?? {}) as { name?: unknown; label?: unknown; displayOrder?: unknown };
    const errors = [];
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) errors.push({ message: 'name must start with a lowercase letter and hold only lowercase letters, digits and _ (at most 100)', in: 'name' });
    if (typeof label !== 'string' || label.trim() === '') errors.push({ message: 'label is required', in: 'label' });
    if (displayOrder !== undefined && !Number.isInteger(displayOrder)) errors.push({ message: 'displayOrder must be an integer', in: 'displayOrder' });
    if (errors.length > 0) throw validationError(`Property group is not valid: ${errors.map((e) => e.message).join('; ')}`, errors);
    const existing = portal.groups[type].get(name as string);
    if (existing && !existing.archived) throw conflict(`A property group named ${String(name)} already exists.`, { subCategory: 'PropertyGroupError.GROUP_ALREADY_EXISTS', context: { name: [String(name)] } });
    const group = { name: name as string, label: label as string, displayOrder: (displayOrder as number | undefined) ?? -1, archived: false };
    portal.groups[type].set(group.name, group);
    res.status(201).json(group);
  });

  router.patch(`${base}/:groupName`, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const group = requireScope(res, schemaWriteScopes(type)).portal.groups[type].get(req.params.groupName);
    if (!group || group.archived) throw objectNotFound(`Unable to find property group ${req.params.groupName}`);
    const { label, displayOrder } = (req.body ?? {}) as { label?: unknown; displayOrder?: unknown };
    if ((label !== undefined && (typeof label !== 'string' || label.trim() === '')) || (displayOrder !== undefined && !Number.isInteger(displayOrder))) {
      throw validationError('label must be a non-empty string and displayOrder an integer');
    }
    if (typeof label === 'string') group.label = label;
    if (typeof displayOrder === 'number') group.displayOrder = displayOrder;
    res.json(group);
  });

  router.delete(`${base}/:groupName`, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const group = requireScope(res, schemaWriteScopes(type)).portal.groups[type].get(req.params.groupName);
    if (group) group.archived = true;
    res.status(204).end();
  });

  return router;
}
