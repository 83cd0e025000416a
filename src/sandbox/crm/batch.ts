/**
 * `POST /crm/v3/objects/{objectType}/batch/{read|create|update|upsert|archive}`: at most 100
 * inputs. Read, update and upsert serve every valid input and answer 207 with an `errors` entry per
 * failed one; create is all or nothing (400 or 409); archive always answers 204.
 */
import { Router, type Response } from 'express';
import { integrationSource, requireScope } from '../api-context.ts';
import { invalidJson, SandboxError, validationError, type BatchError } from '../errors.ts';
import type { SandboxState } from '../sandbox-state.ts';
import { singular } from '../sandbox-store.ts';
import { archivedParam } from './list-objects.ts';
import { listParam, objectJson } from './object-json.ts';
import { objectTypeParam, readScopes, writeScopes } from './object-types.ts';
import { assertUnique, createWithAssociations, findObject, notFoundById, plannedAssociations } from './object-writes.ts';
import { checkValues, invalidValues, validValues } from './property-values.ts';

export const BATCH_MAX = 100;
/** HubSpot answers a batch read with `propertiesWithHistory` over 50 inputs with this (quoted real 400). */
export const HISTORY_BATCH_MAX = 50;

type Input = Record<string, unknown>;

function inputsOf(body: unknown): Input[] {
  const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
  if (!body || typeof body !== 'object' || !Array.isArray(inputs)) throw invalidJson('Cannot build the batch input, some of required attributes are not set [inputs]');
  if (inputs.length > BATCH_MAX) {
    throw validationError(`Batch input must not contain more than ${BATCH_MAX} inputs (got ${inputs.length})`, [{ message: `size must be between 0 and ${BATCH_MAX}`, in: 'inputs' }]);
  }
  return inputs.map((input, index) => {
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw validationError(`inputs[${index}] must be an object`, [{ message: 'must be an object', in: `inputs[${index}]` }]);
    return input as Input;
  });
}

function noDuplicateIds(inputs: Input[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const input of inputs) {
    const id = String(input.id);
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  if (duplicates.size > 0) throw validationError(`Duplicate IDs found in batch input: [${[...duplicates].join(', ')}]. IDs must be unique`, [{ message: 'duplicate ids', in: 'inputs' }]);
}

function answer(res: Response, okStatus: number, results: unknown[], errors: BatchError[]): void {
  const now = new Date().toISOString();
  const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
  if (errors.length > 0) {
    body.numErrors = errors.length;
    body.errors = errors;
  }
  res.status(errors.length > 0 ? 207 : okStatus).json(body);
}

export function batchRoutes(state: SandboxState): Router {
  const router = Router();
  const path = (action: string) => `/crm/v3/objects/:objectType/batch/${action}`;

  router.post(path('read'), (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, readScopes(type));
    const inputs = inputsOf(req.body);
    const body = req.body as Input;
    const view = { properties: listParam(body.properties), propertiesWithHistory: listParam(body.propertiesWithHistory) };
    if (view.propertiesWithHistory.length > 0 && inputs.length > HISTORY_BATCH_MAX) {
      throw validationError(`The maximum number of inputs supported in a batch request for property histories is ${HISTORY_BATCH_MAX}`);
    }
    const archived = archivedParam(req.query.archived);
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const object = findObject(portal, type, input.id, body.idProperty, archived);
      if (object) results.push(objectJson(portal, type, object, view));
      else missing.push(String(input.id));
    }
    const errors = missing.length === 0 ? [] : [{
      status: 'error' as const, category: 'OBJECT_NOT_FOUND', message: `Could not get some ${singular[type].toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid numbers and that the objects have not been deleted.`,
      context: { ids: missing }, errors: [], links: {},
    }];
    answer(res, 200, results, errors);
  });

  router.post(path('create'), (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, writeScopes(type));
    const planned = inputsOf(req.body).map((input) => {
      const values = validValues(portal, type, input.properties);
      assertUnique(portal, type, values);
      return { values, links: plannedAssociations(portal, type, input.associations) };
    });
    const emails = planned.map((p) => p.values.email?.toLowerCase()).filter(Boolean);
    if (type === 'contacts' && new Set(emails).size !== emails.length) throw validationError('Duplicate emails found in batch input: emails must be unique', [{ message: 'duplicate emails', in: 'inputs' }]);
    const source = integrationSource(res);
    const results = planned.map(({ values, links }) => objectJson(portal, type, createWithAssociations(portal, type, values, links, source), { properties: Object.keys(values) }));
    answer(res, 201, results, []);
  });

  router.post(path('update'), (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, writeScopes(type));
    const inputs = inputsOf(req.body);
    noDuplicateIds(inputs);
    state.count(`batch-update:${portal.id}`);
    state.count(`batch-update-inputs:${portal.id}`, inputs.length);
    const source = integrationSource(res);
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    const itemErrorRate = state.faults.batchItemErrorRate ?? 0;
    const itemOmitRate = state.faults.batchItemOmitRate ?? 0;
    for (const input of inputs) {
      const ids = { ids: [String(input.id)] };
      if (itemErrorRate > 0 && state.random() < itemErrorRate) {
        errors.push(new SandboxError(500, 'INTERNAL_ERROR', 'Injected fault: this input was not applied, try again').asBatchError(ids));
        continue;
      }
      if (itemOmitRate > 0 && state.random() < itemOmitRate) continue;
      const object = findObject(portal, type, input.id, input.idProperty);
      if (!object) {
        errors.push(notFoundById(input.id).asBatchError(ids));
        continue;
      }
      const checked = checkValues(portal, type, input.properties);
      if (checked.errors.length > 0) {
        errors.push(invalidValues(checked.errors).asBatchError(ids));
        continue;
      }
      try {
        assertUnique(portal, type, checked.values, object.id);
      } catch (error) {
        errors.push((error as SandboxError).asBatchError(ids));
        continue;
      }
      portal.write(type, object, checked.values, source);
      results.push(objectJson(portal, type, object, { properties: Object.keys(checked.values) }));
    }
    answer(res, 200, results, errors);
  });

  router.post(path('upsert'), (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, writeScopes(type));
    const inputs = inputsOf(req.body);
    noDuplicateIds(inputs);
    state.count(`batch-update:${portal.id}`);
    state.count(`batch-update-inputs:${portal.id}`, inputs.length);
    const source = integrationSource(res);
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    const itemErrorRate = state.faults.batchItemErrorRate ?? 0;
    for (const input of inputs) {
      const ids = { ids: [String(input.id)] };
      if (itemErrorRate > 0 && state.random() < itemErrorRate) {
        errors.push(new SandboxError(500, 'INTERNAL_ERROR', 'Injected fault: this input was not applied, try again').asBatchError(ids));
        continue;
      }
      const idProperty = typeof input.idProperty === 'string' && input.idProperty !== '' ? input.idProperty : undefined;
      const checked = checkValues(portal, type, input.properties);
      if (checked.errors.length > 0) {
        errors.push(invalidValues(checked.errors).asBatchError(ids));
        continue;
      }
      const existing = findObject(portal, type, input.id, idProperty);
      if (existing) {
        portal.write(type, existing, checked.values, source);
        results.push({ ...objectJson(portal, type, existing, { properties: Object.keys(checked.values) }), new: false });
      } else if (idProperty) {
        const values = { ...checked.values, [idProperty]: String(input.id) };
        results.push({ ...objectJson(portal, type, portal.create(type, values, source), { properties: Object.keys(values) }), new: true });
      } else {
        errors.push(notFoundById(input.id).asBatchError(ids));
      }
    }
    answer(res, 200, results, errors);
  });

  router.post(path('archive'), (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, writeScopes(type));
    const source = integrationSource(res);
    for (const input of inputsOf(req.body)) {
      const object = findObject(portal, type, input.id);
      if (object) portal.archive(type, object, source);
    }
    res.status(204).end();
  });

  return router;
}
