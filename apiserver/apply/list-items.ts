// Indexing a list's elements by path element token, shared by the walkers.

import { badRequest } from '../../api/errors.js';
import type { FieldPath } from './field-set.js';
import { itemToken, printPath } from './path-element.js';
import type { ListType } from './schema.js';

/** IndexedList is a list's tokens in order and its elements by token (first one wins). */
export interface IndexedList {
  readonly tokens: string[];
  readonly byToken: Map<string, unknown>;
}

/**
 * indexList tokenises a granular (map or set) list. Applied configurations must not repeat a key
 * (`strict`); stored objects may, as upstream tolerates duplicates in live objects.
 */
export function indexList(items: unknown[], list: ListType, path: FieldPath, strict: boolean): IndexedList {
  const printed = printPath(path);
  const tokens: string[] = [];
  const byToken = new Map<string, unknown>();
  items.forEach((item, i) => {
    const token = itemToken(item, list, i, printed, !strict);
    if (byToken.has(token) && strict) {
      throw badRequest(`${printed}: duplicate entries for key ${printPath([token])}`);
    }
    tokens.push(token);
    if (!byToken.has(token)) byToken.set(token, item);
  });
  return { tokens, byToken };
}
