/**
 * Keys MongoDB would read as an operator (`$set`) or a path (`a.b`), anywhere inside stored
 * documents: a stored document must contain none.
 */
export function operatorKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => operatorKeys(v, `${path}[${i}]`));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => [
    ...(key.startsWith('$') || key.includes('.') ? [`${path}.${key}`] : []),
    ...operatorKeys(v, `${path}.${key}`),
  ]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
