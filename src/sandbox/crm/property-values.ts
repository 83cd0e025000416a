/**
 * HubSpot's checks on written property values: the property exists, is not read-only, and the
 * value fits its type (numbers, enumeration options, booleans, dates as ISO-8601 or epoch ms).
 * Values are always strings; dates are stored as HubSpot returns them.
 */
import { validationError, type ErrorDetail, type SandboxError } from '../errors.ts';
import type { SandboxObjectType, SandboxPortal } from '../sandbox-store.ts';

const MAX_VALUE_LENGTH = 65_536;

export interface CheckedValues {
  values: Record<string, string>;
  errors: ErrorDetail[];
}

export function checkValues(portal: SandboxPortal, type: SandboxObjectType, input: unknown): CheckedValues {
  const values: Record<string, string> = {};
  const errors: ErrorDetail[] = [];
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { values, errors: [{ message: 'properties must be an object of property names to string values', code: 'INVALID_INPUT', in: 'properties' }] };
  }
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const fail = (code: string, message: string) => errors.push({ message, code, context: { propertyName: [name] } });
    const definition = portal.properties[type].get(name);
    if (!definition || definition.archived) {
      fail('PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
      continue;
    }
    if (definition.modificationMetadata?.readOnlyValue) {
      fail('READ_ONLY_VALUE', `"${name}" is a read only property; its value cannot be set.`);
      continue;
    }
    const value = raw === null ? '' : typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
    if (value === undefined) {
      fail('INVALID_OPTION', `${JSON.stringify(raw)} is not a valid value for "${name}": values are strings`);
      continue;
    }
    if (value === '') {
      values[name] = value;
      continue;
    }
    switch (definition.type) {
      case 'number':
        if (value.trim() === '' || !Number.isFinite(Number(value))) fail('INVALID_FLOAT', `${JSON.stringify(value)} is not a valid number for "${name}"`);
        else values[name] = value;
        break;
      case 'enumeration': {
        const allowed = definition.options.map((o) => o.value);
        const chosen = definition.fieldType === 'checkbox' ? value.split(';') : [value];
        const wrong = chosen.filter((v) => !allowed.includes(v));
        if (wrong.length > 0) fail('INVALID_OPTION', `${wrong[0]} was not one of the allowed options: [${allowed.join(', ')}]`);
        else values[name] = value;
        break;
      }
      case 'bool':
        if (value !== 'true' && value !== 'false') fail('INVALID_BOOLEAN', `${JSON.stringify(value)} is not a valid boolean for "${name}" (true or false)`);
        else values[name] = value;
        break;
      case 'datetime':
      case 'date': {
        const time = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
        if (!Number.isFinite(time) || Math.abs(time) > 8.64e15) fail('INVALID_DATE', `${JSON.stringify(value)} is not a valid date for "${name}": use ISO-8601 or epoch milliseconds`);
        else values[name] = definition.type === 'date' ? new Date(time).toISOString().slice(0, 10) : new Date(time).toISOString();
        break;
      }
      default:
        if (value.length > MAX_VALUE_LENGTH) fail('INVALID_STRING', `The value of "${name}" is longer than ${MAX_VALUE_LENGTH} characters`);
        else values[name] = value;
    }
  }
  return { values, errors };
}

/** HubSpot's 400 for invalid property values: the message lists every failure. */
export function invalidValues(errors: ErrorDetail[]): SandboxError {
  const results = errors.map((e) => ({ isValid: false, message: e.message, error: e.code, name: e.context?.propertyName?.[0] }));
  return validationError(`Property values were not valid: ${JSON.stringify(results)}`, errors);
}

/** The values, or HubSpot's 400. */
export function validValues(portal: SandboxPortal, type: SandboxObjectType, input: unknown): Record<string, string> {
  const checked = checkValues(portal, type, input);
  if (checked.errors.length > 0) throw invalidValues(checked.errors);
  return checked.values;
}
