/**
 * Associations v4 writes: the default association of two objects (single and batch), labelled
 * types (single and batch), and removing them. Each new link announces `associationChange`.
 */
import { Router, type Response } from 'express';
import { integrationSource, requireScope } from '../api-context.ts';
import { objectNotFound, SandboxError, validationError, type BatchError } from '../errors.ts';
import { objectTypeParam, writeScopes } from '../crm/object-types.ts';
import { findObject, notFoundById } from '../crm/object-writes.ts';
import { objectTypeIds, type SandboxObjectType, type SandboxPortal } from '../sandbox-store.ts';
import { associationTypes, defaultTypeIds } from './association-types.ts';

export const ASSOCIATION_WRITE_MAX = 2_000;

function batchInputs(body: unknown): Record<string, unknown>[] {
  const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
  if (!Array.isArray(inputs)) throw validationError('Invalid input JSON on line 1, column 1: inputs must be an array', [{ message: 'required', in: 'inputs' }]);
  if (inputs.length > ASSOCIATION_WRITE_MAX) throw validationError(`Batch input must not contain more than ${ASSOCIATION_WRITE_MAX} inputs (got ${inputs.length})`, [{ message: `size must be between 0 and ${ASSOCIATION_WRITE_MAX}`, in: 'inputs' }]);
  return inputs.map((i) => (i && typeof i === 'object' ? (i as Record<string, unknown>) : {}));
}

/** Checks the types asked for (an array of { associationCategory, associationTypeId }) fit the pair. */
function checkTypes(from: SandboxObjectType, to: SandboxObjectType, types: unknown): void {
  if (!Array.isArray(types) || types.length === 0) throw validationError('types must name at least one association type', [{ message: 'must not be empty', in: 'types' }]);
  for (const t of types as { associationCategory?: unknown; associationTypeId?: unknown }[]) {
    const info = associationTypes.get(Number(t?.associationTypeId));
    if (t?.associationCategory !== 'HUBSPOT_DEFINED' || !info || info.from !== from || info.to !== to) {
      throw validationError(`${String(t?.associationCategory)} ${String(t?.associationTypeId)} is not a valid association type from ${from} to ${to}`, [{ message: 'invalid association type', in: 'types' }]);
    }
  }
}

function pair(portal: SandboxPortal, from: SandboxObjectType, fromId: unknown, to: SandboxObjectType, toId: unknown) {
  const a = findObject(portal, from, fromId);
  const b = findObject(portal, to, toId);
  if (!a) throw notFoundById(fromId);
  if (!b) throw objectNotFound(`The ${to} ${String(toId)} to associate with does not exist`, { id: [String(toId)] });
  return [a, b] as const;
}

function defaultResults(from: SandboxObjectType, fromId: number, to: SandboxObjectType, toId: number): unknown[] {
  return [
    { from: { id: String(fromId) }, to: { id: String(toId) }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: defaultTypeIds[`${from}:${to}`] } },
    { from: { id: String(toId) }, to: { id: String(fromId) }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: defaultTypeIds[`${to}:${from}`] } },
  ];
}

function batchAnswer(res: Response, okStatus: number, results: unknown[], errors: BatchError[]): void {
  const now = new Date().toISOString();
  res.status(errors.length > 0 ? 207 : okStatus).json({ status: 'COMPLETE', results, startedAt: now, completedAt: now, ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}) });
}

function noSelfLinks(from: SandboxObjectType, to: SandboxObjectType): void {
  if (defaultTypeIds[`${from}:${to}`] === undefined) throw validationError(`There is no default association from ${from} to ${to}`);
}

export function associationWriteRoutes(): Router {
  const router = Router();

  router.put('/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId', (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    noSelfLinks(from, to);
    const { portal } = requireScope(res, writeScopes(from));
    const [a, b] = pair(portal, from, req.params.fromObjectId, to, req.params.toObjectId);
    portal.associate(from, a.id, to, b.id, integrationSource(res));
    batchAnswer(res, 200, defaultResults(from, a.id, to, b.id), []);
  });

  router.put('/crm/v4/objects/:fromObjectType/:fromObjectId/associations/:toObjectType/:toObjectId', (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    const { portal } = requireScope(res, writeScopes(from));
    checkTypes(from, to, req.body);
    const [a, b] = pair(portal, from, req.params.fromObjectId, to, req.params.toObjectId);
    portal.associate(from, a.id, to, b.id, integrationSource(res));
    const labels = (req.body as { associationTypeId?: unknown }[]).map((t) => associationTypes.get(Number(t.associationTypeId))?.label).filter((l): l is string => !!l);
    res.status(201).json({ fromObjectTypeId: objectTypeIds[from], fromObjectId: a.id, toObjectTypeId: objectTypeIds[to], toObjectId: b.id, labels });
  });

  router.delete('/crm/v4/objects/:fromObjectType/:fromObjectId/associations/:toObjectType/:toObjectId', (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    const { portal } = requireScope(res, writeScopes(from));
    const a = findObject(portal, from, req.params.fromObjectId);
    const b = findObject(portal, to, req.params.toObjectId);
    if (a && b) portal.dissociate(from, a.id, to, b.id, integrationSource(res));
    res.status(204).end();
  });

  const batch = (action: string) => `/crm/v4/associations/:fromObjectType/:toObjectType/batch/${action}`;
  const each = (inputs: Record<string, unknown>[], work: (input: Record<string, unknown>) => unknown[]) => {
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    for (const input of inputs) {
      try {
        results.push(...work(input));
      } catch (error) {
        if (!(error instanceof SandboxError)) throw error;
        errors.push(error.asBatchError({ fromObjectId: [String((input.from as { id?: unknown } | undefined)?.id)] }));
      }
    }
    return { results, errors };
  };

  router.post(batch('associate/default'), (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    noSelfLinks(from, to);
    const { portal } = requireScope(res, writeScopes(from));
    const source = integrationSource(res);
    const { results, errors } = each(batchInputs(req.body), (input) => {
      const [a, b] = pair(portal, from, (input.from as { id?: unknown } | undefined)?.id, to, (input.to as { id?: unknown } | undefined)?.id);
      portal.associate(from, a.id, to, b.id, source);
      return defaultResults(from, a.id, to, b.id);
    });
    batchAnswer(res, 200, results, errors);
  });

  router.post(batch('create'), (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    const { portal } = requireScope(res, writeScopes(from));
    const source = integrationSource(res);
    const { results, errors } = each(batchInputs(req.body), (input) => {
      checkTypes(from, to, input.types);
      const [a, b] = pair(portal, from, (input.from as { id?: unknown } | undefined)?.id, to, (input.to as { id?: unknown } | undefined)?.id);
      portal.associate(from, a.id, to, b.id, source);
      const labels = (input.types as { associationTypeId?: unknown }[]).map((t) => associationTypes.get(Number(t.associationTypeId))?.label).filter((l): l is string => !!l);
      return [{ fromObjectTypeId: objectTypeIds[from], fromObjectId: a.id, toObjectTypeId: objectTypeIds[to], toObjectId: b.id, labels }];
    });
    batchAnswer(res, 201, results, errors);
  });

  router.post(batch('archive'), (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    const { portal } = requireScope(res, writeScopes(from));
    const source = integrationSource(res);
    for (const input of batchInputs(req.body)) {
      const a = findObject(portal, from, (input.from as { id?: unknown } | undefined)?.id);
      const targets = Array.isArray(input.to) ? (input.to as { id?: unknown }[]) : [];
      for (const target of targets) {
        const b = findObject(portal, to, target?.id);
        if (a && b) portal.dissociate(from, a.id, to, b.id, source);
      }
    }
    res.status(204).end();
  });

  return router;
}
