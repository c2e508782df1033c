// Path element tokens (`f:name`, `k:{"name":"web"}`, `v:"x"`) and their printed form in conflict
// messages (`.spec.template.spec.containers[name="web"].image`), as fieldpath.PathElement.

import { badRequest } from '../../api/errors.js';
import { isJsonObject, type JsonObject } from '../patch/json-value.js';
import type { FieldPath } from './field-set.js';
import type { ListType } from './schema.js';

/** fieldToken names a map field. */
export function fieldToken(name: string): string {
  return `f:${name}`;
}

/** canonicalKeyToken writes an associative list key with its fields sorted, as upstream. */
export function canonicalKeyToken(key: JsonObject): string {
  const sorted: JsonObject = {};
  for (const name of Object.keys(key).sort()) sorted[name] = key[name];
  return `k:${JSON.stringify(sorted)}`;
}

/**
 * itemToken names a list element: by its key fields in an associative list, by value in a set.
 * Atomic lists have no per-item tokens. A missing key field without a default is a 400, as
 * structured-merge-diff rejects it; `lenient` (for stored objects) falls back to the index.
 */
export function itemToken(item: unknown, list: ListType, index: number, path: string, lenient = false): string {
  if (list.type === 'set') return `v:${JSON.stringify(item)}`;
  if (list.type === 'atomic') return `i:${index}`;
  const key: JsonObject = {};
  for (const name of list.keys) {
    const value = isJsonObject(item) && item[name] !== undefined ? item[name] : list.defaults[name];
    if (value === undefined || value === null) {
      if (lenient) return `i:${index}`;
      throw badRequest(
        `${path}: element ${index}: associative list with keys has an element that omits key field ${JSON.stringify(name)} (and doesn't have default value)`,
      );
    }
    key[name] = value;
  }
  return canonicalKeyToken(key);
}

/** keyFieldsOf lists the key field tokens of an associative list item token (none otherwise). */
export function keyFieldsOf(token: string): string[] {
  if (!token.startsWith('k:')) return [];
  return Object.keys(JSON.parse(token.slice(2)) as JsonObject).map(fieldToken);
}

/** printPath renders a path as upstream's fieldpath.Path.String(). */
export function printPath(path: FieldPath): string {
  return path.map(printToken).join('');
}

function printToken(token: string): string {
  const body = token.slice(2);
  switch (token[0]) {
    case 'f':
      return `.${body}`;
    case 'k': {
      const key = JSON.parse(body) as JsonObject;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${printValue(v)}`)
        .join(',')}]`;
    }
    case 'v':
      return `[=${printValue(JSON.parse(body))}]`;
    default:
      return `[${body}]`;
  }
}

function printValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v));
}
