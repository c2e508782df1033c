// The fields an applied configuration sets, as structured-merge-diff's ToFieldSet: scalars,
// atomic values, empty maps and null are owned as leaves; every associative-list or set element
// is owned as a node; non-empty maps are only the way to their fields; empty granular lists own
// nothing.

import { isJsonObject } from '../patch/json-value.js';
import { FieldSet, type FieldPath } from './field-set.js';
import { indexList } from './list-items.js';
import { fieldToken } from './path-element.js';
import { fieldSchema, itemSchema, listType, type Schema } from './schema.js';

/**
 * fieldSetOf lists every field a value sets. Applied configurations are `strict` (a repeated
 * list key is a 400); stored objects are not.
 */
export function fieldSetOf(value: unknown, schema: Schema, strict = true): FieldSet {
  const set = new FieldSet();
  walk(value, schema, [], set, strict);
  return set;
}

function walk(value: unknown, schema: Schema, path: FieldPath, set: FieldSet, strict: boolean): void {
  if (schema.atomic) {
    set.insert(path);
  } else if (isJsonObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) set.insert(path);
    for (const [name, child] of entries) {
      walk(child, fieldSchema(schema, name), [...path, fieldToken(name)], set, strict);
    }
  } else if (Array.isArray(value)) {
    walkList(value, schema, path, set, strict);
  } else {
    set.insert(path);
  }
}

function walkList(items: unknown[], schema: Schema, path: FieldPath, set: FieldSet, strict: boolean): void {
  const list = listType(schema);
  if (list.type === 'atomic') {
    set.insert(path);
    return;
  }
  const { tokens } = indexList(items, list, path, strict);
  items.forEach((item, i) => {
    const itemPath = [...path, tokens[i] as string];
    set.insert(itemPath);
    if (list.type === 'map') walk(item, itemSchema(schema), itemPath, set, strict);
  });
}
