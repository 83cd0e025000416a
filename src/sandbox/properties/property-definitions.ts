/**
 * Properties v3: read, create (with HubSpot's name, type/fieldType, group and option checks, 409 for
 * a name in use), update and archive custom properties, and their batch forms. HubSpot-defined
 * properties cannot be changed or archived.
 */
import { Router } from 'express';
import { requireScope } from '../api-context.ts';
import { conflict, objectNotFound, SandboxError, validationError, type BatchError, type ErrorDetail } from '../errors.ts';
import { objectTypeParam, schemaReadScopes, schemaWriteScopes } from '../crm/object-types.ts';
import type { SandboxObjectType, SandboxPortal } from '../sandbox-store.ts';
import { fieldTypesByType, type PropertyOption, type PropertyType, type SandboxProperty } from '../standard-properties.ts';
import { NAME_PATTERN } from './property-groups.ts';

function optionsOf(raw: unknown, errors: ErrorDetail[]): PropertyOption[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.push({ message: 'options must be an array', in: 'options' });
    return [];
  }
  const seen = new Set<string>();
  return raw.map((o: Record<string, unknown>, i) => {
    if (!o || typeof o.label !== 'string' || typeof o.value !== 'string' || o.value === '') errors.push({ message: `options[${i}] needs a label and a non-empty value`, in: `options[${i}]` });
    else if (typeof o.hidden !== 'boolean') errors.push({ message: `options[${i}].hidden is required (true or false)`, in: `options[${i}].hidden` });
    else if (seen.has(o.value)) errors.push({ message: `options[${i}].value ${o.value} is used twice`, in: `options[${i}]` });
    else seen.add(o.value);
    return {
      label: String(o?.label ?? ''), value: String(o?.value ?? ''), displayOrder: Number.isInteger(o?.displayOrder) ? (o.displayOrder as number) : i,
      hidden: o?.hidden === true, ...(typeof o?.description === 'string' ? { description: o.description } : {}),
    };
  });
}

/**
 * A property from a create request, or HubSpot's 400 (409 when the name is in use). With
 * `updating`, the request changes that existing property: its name is kept and not checked.
 */
export function definitionFrom(portal: SandboxPortal, type: SandboxObjectType, body: unknown, updating?: SandboxProperty): SandboxProperty {
  const b = { ...updating, ...(body && typeof body === 'object' ? body : {}), ...(updating ? { name: updating.name } : {}) } as Record<string, unknown>;
  const errors: ErrorDetail[] = [];
  if (!updating && (typeof b.name !== 'string' || !NAME_PATTERN.test(b.name))) errors.push({ message: 'name must start with a lowercase letter and hold only lowercase letters, digits and _ (at most 100)', in: 'name' });
  if (typeof b.label !== 'string' || b.label.trim() === '') errors.push({ message: 'label is required', in: 'label' });
  const group = typeof b.groupName === 'string' ? portal.groups[type].get(b.groupName) : undefined;
  if (!group || group.archived) errors.push({ message: `groupName must name an existing property group of ${type}; got ${JSON.stringify(b.groupName)}`, in: 'groupName' });
  const propertyType = b.type as PropertyType;
  if (typeof b.type !== 'string' || !(b.type in fieldTypesByType)) {
    errors.push({ message: `type must be one of ${Object.keys(fieldTypesByType).join(', ')}; got ${JSON.stringify(b.type)}`, in: 'type' });
  } else if (typeof b.fieldType !== 'string' || !fieldTypesByType[propertyType].includes(b.fieldType)) {
    errors.push({ message: `fieldType ${JSON.stringify(b.fieldType)} is not valid for a property of type ${propertyType}: use one of ${fieldTypesByType[propertyType].join(', ')}`, in: 'fieldType' });
  }
  let options = optionsOf(b.options, errors);
  if (propertyType === 'bool' || (propertyType === 'enumeration' && b.fieldType === 'booleancheckbox' && options.length === 0)) {
    options = [{ label: 'Yes', value: 'true', displayOrder: 0, hidden: false }, { label: 'No', value: 'false', displayOrder: 1, hidden: false }];
  } else if (propertyType === 'enumeration' && options.length === 0) {
    errors.push({ message: 'enumeration properties need at least one option', in: 'options' });
  } else if (propertyType !== 'enumeration' && options.length > 0) {
    errors.push({ message: `a property of type ${propertyType} takes no options`, in: 'options' });
  }
  if (errors.length > 0) throw validationError(`Property ${typeof b.name === 'string' ? b.name : ''} is not valid: ${errors.map((e) => e.message).join('; ')}`, errors);
  const name = b.name as string;
  const existing = portal.properties[type].get(name);
  if (!updating && existing && !existing.archived) throw conflict(`Property named '${name}' already exists.`, { subCategory: 'Properties.PROPERTY_EXISTS', context: { name: [name] } });
  const now = new Date().toISOString();
  return {
    name, label: b.label as string, type: propertyType, fieldType: b.fieldType as string, groupName: b.groupName as string,
    description: typeof b.description === 'string' ? b.description : '', options,
    displayOrder: Number.isInteger(b.displayOrder) ? (b.displayOrder as number) : -1,
    calculated: false, externalOptions: false, hasUniqueValue: b.hasUniqueValue === true, hidden: b.hidden === true, hubspotDefined: false,
    formField: b.formField === true, modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
    createdAt: updating?.createdAt ?? now, updatedAt: now, archived: false,
  };
}

function customProperty(portal: SandboxPortal, type: SandboxObjectType, name: string): SandboxProperty {
  const property = portal.properties[type].get(name);
  if (!property || property.archived) throw objectNotFound(`Unable to find property ${name}`, { name: [name] });
  if (property.hubspotDefined) throw new SandboxError(400, 'VALIDATION_ERROR', `${name} is a HubSpot defined property: its definition cannot be changed`, { subCategory: 'Properties.READ_ONLY_DEFINITION' });
  return property;
}

export function propertyDefinitionRoutes(): Router {
  const router = Router();
  const base = '/crm/v3/properties/:objectType';

  router.get(base, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, schemaReadScopes(type));
    const archived = req.query.archived === 'true';
    res.json({ results: [...portal.properties[type].values()].filter((p) => (p.archived === true) === archived) });
  });

  router.get(`${base}/:propertyName`, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const property = requireScope(res, schemaReadScopes(type)).portal.properties[type].get(req.params.propertyName);
    if (!property || property.archived) throw objectNotFound(`Unable to find property ${req.params.propertyName}`, { name: [req.params.propertyName] });
    res.json(property);
  });

  router.post(base, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, schemaWriteScopes(type));
    const property = definitionFrom(portal, type, req.body);
    portal.properties[type].set(property.name, property);
    res.status(201).json(property);
  });

  router.patch(`${base}/:propertyName`, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, schemaWriteScopes(type));
    const property = customProperty(portal, type, req.params.propertyName);
    const changed = definitionFrom(portal, type, req.body, property);
    portal.properties[type].set(property.name, changed);
    res.json(changed);
  });

  router.delete(`${base}/:propertyName`, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const property = customProperty(requireScope(res, schemaWriteScopes(type)).portal, type, req.params.propertyName);
    property.archived = true;
    res.status(204).end();
  });

  router.post(`${base}/batch/read`, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, schemaReadScopes(type));
    const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs)) throw validationError('inputs must be an array of { name }', [{ message: 'required', in: 'inputs' }]);
    const names = inputs.map((i: { name?: unknown }) => String(i?.name));
    const now = new Date().toISOString();
    res.json({ status: 'COMPLETE', results: names.map((n) => portal.properties[type].get(n)).filter((p) => p && !p.archived), startedAt: now, completedAt: now });
  });

  router.post(`${base}/batch/create`, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, schemaWriteScopes(type));
    const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs)) throw validationError('inputs must be an array of property definitions', [{ message: 'required', in: 'inputs' }]);
    const results: SandboxProperty[] = [];
    const errors: BatchError[] = [];
    for (const input of inputs) {
      try {
        const property = definitionFrom(portal, type, input);
        portal.properties[type].set(property.name, property);
        results.push(property);
      } catch (error) {
        if (!(error instanceof SandboxError)) throw error;
        errors.push(error.asBatchError({ name: [String((input as { name?: unknown })?.name)] }));
      }
    }
    const now = new Date().toISOString();
    res.status(errors.length > 0 ? 207 : 201).json({ status: 'COMPLETE', results, startedAt: now, completedAt: now, ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}) });
  });

  router.post(`${base}/batch/archive`, (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, schemaWriteScopes(type));
    const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs)) throw validationError('inputs must be an array of { name }', [{ message: 'required', in: 'inputs' }]);
    for (const input of inputs) {
      const property = portal.properties[type].get(String((input as { name?: unknown })?.name));
      if (property && !property.hubspotDefined) property.archived = true;
    }
    res.status(204).end();
  });

  return router;
}
