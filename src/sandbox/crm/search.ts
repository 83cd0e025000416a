/**
 * `POST /crm/v3/objects/{objectType}/search` as HubSpot runs it: filter groups (OR of ANDs; at most
 * 5 groups, 6 filters each, 18 in all), one sort, a free-text `query`, `properties`, `limit` <= 200,
 * an `after` offset, and never more than 10,000 results per query (400 past that). No history.
 * Its own rate limit (5 per second) is applied in rate-limit.ts.
 */
import { Router } from 'express';
import { requireScope } from '../api-context.ts';
import { validationError } from '../errors.ts';
import { currentValue, type SandboxObject, type SandboxObjectType, type SandboxPortal } from '../sandbox-store.ts';
import { defaultProperties, objectJson } from './object-json.ts';
import { objectTypeParam, readScopes } from './object-types.ts';

export const SEARCH_RESULT_CAP = 10_000;
export const SEARCH_PAGE_MAX = 200;
const operators = new Set(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']);
/** What a free-text `query` looks in. */
const queryProperties: Record<SandboxObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company'],
  companies: ['name', 'domain', 'website', 'phone'],
  deals: ['dealname'],
};

type Key = number | string;
type Test = (object: SandboxObject) => boolean;

interface Filter {
  propertyName?: unknown;
  operator?: unknown;
  value?: unknown;
  highValue?: unknown;
  values?: unknown;
}

const bad = (message: string, field = 'filterGroups') => validationError(message, [{ message, in: field }]);

/** Values of the property as comparable keys: numbers for numbers and dates, lower case text otherwise. */
function keyOf(portal: SandboxPortal, type: SandboxObjectType, name: string): (raw: string) => Key {
  const definition = portal.properties[type].get(name);
  if (name === 'hs_object_id' || definition?.type === 'number') return (raw) => Number(raw);
  if (definition?.type === 'datetime' || definition?.type === 'date') return (raw) => (/^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw));
  return (raw) => raw.toLowerCase();
}

function compileFilter(portal: SandboxPortal, type: SandboxObjectType, filter: Filter, where: string): Test {
  if (!filter || typeof filter !== 'object' || typeof filter.propertyName !== 'string' || filter.propertyName === '') throw bad(`${where}.propertyName is required`);
  const operator = String(filter.operator);
  if (!operators.has(operator)) throw bad(`${where}.operator ${operator} is not one of ${[...operators].join(', ')}`);
  const name = filter.propertyName;
  const key = keyOf(portal, type, name);
  const actual = (o: SandboxObject) => {
    const raw = currentValue(type, o, name);
    return raw === undefined || raw === '' ? undefined : key(raw);
  };
  if (operator === 'HAS_PROPERTY') return (o) => actual(o) !== undefined;
  if (operator === 'NOT_HAS_PROPERTY') return (o) => actual(o) === undefined;
  if (operator === 'IN' || operator === 'NOT_IN') {
    if (!Array.isArray(filter.values)) throw bad(`${where}.values must be an array for ${operator}`);
    const set = new Set(filter.values.map((v) => key(String(v))));
    return operator === 'IN' ? (o) => { const a = actual(o); return a !== undefined && set.has(a); } : (o) => { const a = actual(o); return a === undefined || !set.has(a); };
  }
  if (filter.value === undefined || filter.value === null) throw bad(`${where}.value is required for ${operator}`);
  const value = key(String(filter.value));
  switch (operator) {
    case 'EQ': return (o) => actual(o) === value;
    case 'NEQ': return (o) => actual(o) !== value;
    case 'LT': return (o) => { const a = actual(o); return a !== undefined && a < value; };
    case 'LTE': return (o) => { const a = actual(o); return a !== undefined && a <= value; };
    case 'GT': return (o) => { const a = actual(o); return a !== undefined && a > value; };
    case 'GTE': return (o) => { const a = actual(o); return a !== undefined && a >= value; };
    case 'BETWEEN': {
      if (filter.highValue === undefined || filter.highValue === null) throw bad(`${where}.highValue is required for BETWEEN`);
      const high = key(String(filter.highValue));
      return (o) => { const a = actual(o); return a !== undefined && a >= value && a <= high; };
    }
    default: {
      const token = String(filter.value).toLowerCase().replace(/\*/g, '');
      const has = (o: SandboxObject) => (currentValue(type, o, name) ?? '').toLowerCase().split(/[^a-z0-9@._-]+/).some((t) => t.includes(token));
      return operator === 'CONTAINS_TOKEN' ? has : (o) => !has(o);
    }
  }
}

function compileGroups(portal: SandboxPortal, type: SandboxObjectType, groups: unknown): Test | undefined {
  if (groups === undefined || groups === null) return undefined;
  if (!Array.isArray(groups)) throw bad('filterGroups must be an array');
  if (groups.length > 5) throw bad(`There can be at most 5 filterGroups; got ${groups.length}`);
  let count = 0;
  const compiled = groups.map((group: { filters?: unknown }, g) => {
    if (!group || !Array.isArray(group.filters)) throw bad(`filterGroups[${g}].filters must be an array`);
    if (group.filters.length > 6) throw bad(`A filter group can have at most 6 filters; filterGroups[${g}] has ${group.filters.length}`);
    count += group.filters.length;
    return group.filters.map((f: Filter, i: number) => compileFilter(portal, type, f, `filterGroups[${g}].filters[${i}]`));
  }).filter((tests) => tests.length > 0);
  if (count > 18) throw bad(`There can be at most 18 filters in all; got ${count}`);
  if (compiled.length === 0) return undefined;
  return (o) => compiled.some((tests) => tests.every((t) => t(o)));
}

function sortOf(sorts: unknown): { propertyName: string; descending: boolean } | undefined {
  if (sorts === undefined || sorts === null) return undefined;
  if (!Array.isArray(sorts)) throw bad('sorts must be an array', 'sorts');
  if (sorts.length === 0) return undefined;
  const first = sorts[0] as unknown;
  if (typeof first === 'string' && first !== '') return { propertyName: first.replace(/^-/, ''), descending: first.startsWith('-') };
  const rule = first as { propertyName?: unknown; direction?: unknown };
  if (rule && typeof rule.propertyName === 'string' && (rule.direction === undefined || rule.direction === 'ASCENDING' || rule.direction === 'DESCENDING')) {
    return { propertyName: rule.propertyName, descending: rule.direction === 'DESCENDING' };
  }
  throw bad('sorts[0] must be a property name or { propertyName, direction: ASCENDING | DESCENDING }', 'sorts');
}

function whole(value: unknown, field: string, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw bad(`${field} must be a whole number, got ${JSON.stringify(value)}`, field);
  return n;
}

export function searchObjects(portal: SandboxPortal, type: SandboxObjectType, body: unknown): Record<string, unknown> {
  if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) throw bad('The search request must be a JSON object', 'body');
  const request = (body ?? {}) as { filterGroups?: unknown; sorts?: unknown; properties?: unknown; limit?: unknown; after?: unknown; query?: unknown };
  const limit = whole(request.limit, 'limit', 10);
  if (limit > SEARCH_PAGE_MAX) throw bad(`limit must be at most ${SEARCH_PAGE_MAX}, got ${limit}`, 'limit');
  const after = whole(request.after, 'after', 0);
  if (after + limit > SEARCH_RESULT_CAP) {
    throw bad(`Search results are limited to ${SEARCH_RESULT_CAP} per query: after + limit (${after} + ${limit}) is past that. Narrow the query (for example with a filter on hs_object_id) instead of paging further.`, 'after');
  }
  if (request.properties !== undefined && (!Array.isArray(request.properties) || request.properties.some((p) => typeof p !== 'string'))) throw bad('properties must be an array of property names', 'properties');
  if (request.query !== undefined && (typeof request.query !== 'string' || request.query.length > 3000)) throw bad('query must be a string of at most 3000 characters', 'query');
  const matches = compileGroups(portal, type, request.filterGroups);
  const sort = sortOf(request.sorts);
  const words = typeof request.query === 'string' ? request.query.toLowerCase().split(/\s+/).filter(Boolean) : [];
  const searched = queryProperties[type];
  const matchesQuery = (o: SandboxObject) => words.every((w) => searched.some((n) => (currentValue(type, o, n) ?? '').toLowerCase().includes(w)));

  const found: SandboxObject[] = [];
  for (const id of portal.ids(type)) {
    const object = portal.objects[type].get(id);
    if (!object || object.archived || object.mergedInto !== undefined) continue;
    if (matches && !matches(object)) continue;
    if (words.length > 0 && !matchesQuery(object)) continue;
    found.push(object);
  }
  if (sort && !(sort.propertyName === 'hs_object_id' && !sort.descending)) {
    const key = keyOf(portal, type, sort.propertyName);
    const keys = new Map(found.map((o) => {
      const raw = currentValue(type, o, sort.propertyName);
      return [o.id, raw === undefined || raw === '' ? undefined : key(raw)] as const;
    }));
    found.sort((a, b) => {
      const ka = keys.get(a.id);
      const kb = keys.get(b.id);
      // Objects without a value come last either way; ties in id order.
      if (ka === undefined || kb === undefined) return ka === kb ? a.id - b.id : ka === undefined ? 1 : -1;
      const order = ka < kb ? -1 : ka > kb ? 1 : 0;
      return (sort.descending ? -order : order) || a.id - b.id;
    });
  }
  const requested = Array.isArray(request.properties) && request.properties.length > 0 ? (request.properties as string[]) : defaultProperties[type];
  const names = [...new Set([...requested, 'createdate', 'hs_object_id', type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate'])];
  const results = found.slice(after, after + limit).map((o) => objectJson(portal, type, o, { properties: names }));
  const answer: Record<string, unknown> = { total: found.length, results };
  if (after + limit < found.length) answer.paging = { next: { after: String(after + limit), link: `?after=${after + limit}` } };
  return answer;
}

export function searchRoutes(): Router {
  const router = Router();
  router.post('/crm/v3/objects/:objectType/search', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = requireScope(res, readScopes(type));
    res.json(searchObjects(portal, type, req.body));
  });
  return router;
}
