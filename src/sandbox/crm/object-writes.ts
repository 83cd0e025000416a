/**
 * The checks shared by every CRM write path (single, batch, upsert): finding the object by id or
 * by a unique property, HubSpot's 409 for a second contact with the same email, and the
 * associations a create may carry.
 */
import { associationTypes } from '../associations/association-types.ts';
import { objectNotFound, SandboxError, validationError } from '../errors.ts';
import type { ChangeSource, SandboxObject, SandboxObjectType, SandboxPortal } from '../sandbox-store.ts';

/** The object named by `id` (a record id, or a value of `idProperty`), live or archived. */
export function findObject(portal: SandboxPortal, type: SandboxObjectType, id: unknown, idProperty?: unknown, archived = false): SandboxObject | undefined {
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  if (typeof idProperty === 'string' && idProperty !== '' && idProperty !== 'hs_object_id') {
    return archived ? undefined : portal.findByUnique(type, idProperty, String(id));
  }
  const text = String(id);
  return /^\d{1,15}$/.test(text) ? portal.get(type, Number(text), archived) : undefined;
}

export const notFoundById = (id: unknown) => objectNotFound(`Object not found.  objectId are usually numeric.`, { id: [String(id)] });

export function duplicateContact(existingId: number): SandboxError {
  return new SandboxError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existingId}`);
}

/** HubSpot's 409 when a write would give a second live contact an email already in use. */
export function assertUnique(portal: SandboxPortal, type: SandboxObjectType, values: Record<string, string>, selfId?: number): void {
  const holder = portal.uniqueConflict(type, values, selfId);
  if (holder !== undefined) throw duplicateContact(holder);
}

interface AssociationInput {
  to?: { id?: unknown };
  types?: { associationCategory?: unknown; associationTypeId?: unknown }[];
}

/** Checks a create's `associations` and returns the links to make once the object exists. */
export function plannedAssociations(portal: SandboxPortal, type: SandboxObjectType, input: unknown): { toType: SandboxObjectType; toId: number }[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw validationError('associations must be an array', [{ message: 'must be an array', in: 'associations' }]);
  return (input as AssociationInput[]).flatMap((association, index) => {
    const types = Array.isArray(association?.types) ? association.types : [];
    if (types.length === 0) throw validationError(`associations[${index}].types must name at least one association type`, [{ message: 'must not be empty', in: `associations[${index}].types` }]);
    return types.map((t) => {
      const info = associationTypes.get(Number(t?.associationTypeId));
      if (!info || info.from !== type || t?.associationCategory !== 'HUBSPOT_DEFINED') {
        throw validationError(`${String(t?.associationCategory)} ${String(t?.associationTypeId)} is not a valid association type from ${type}`, [{ message: 'invalid association type', in: `associations[${index}].types` }]);
      }
      const target = findObject(portal, info.to, association.to?.id);
      if (!target) throw objectNotFound(`The ${info.to} ${String(association.to?.id)} to associate with does not exist`, { id: [String(association.to?.id)] });
      return { toType: info.to, toId: target.id };
    });
  });
}

export function createWithAssociations(portal: SandboxPortal, type: SandboxObjectType, values: Record<string, string>, links: { toType: SandboxObjectType; toId: number }[], source: ChangeSource): SandboxObject {
  const object = portal.create(type, values, source);
  for (const { toType, toId } of links) portal.associate(type, object.id, toType, toId, source, object.createdAt);
  return object;
}
