// Pruning on re-apply, as structured-merge-diff's Updater.prune: a field the applier set last
// time and no longer sets is removed from the object, unless some manager (the applier's new
// configuration included) still owns it or something below it. Fields nobody owns, and fields
// the applier never set, stay.

import { isJsonObject, type JsonObject } from '../patch/json-value.js';
import { FieldSet } from './field-set.js';
import { indexList } from './list-items.js';
import { fieldToken, keyFieldsOf } from './path-element.js';
import { fieldSchema, itemSchema, listType, type Schema } from './schema.js';

// The object's identity is never pruned, only what lies inside metadata.
const ROOT_KEEP = [fieldToken('apiVersion'), fieldToken('kind'), fieldToken('metadata')];

/**
 * prunable lists the nodes of `last` that no manager owns any more (`owned` is the union of every
 * manager's set). `keep` protects tokens at this level: the object's identity at the root, the
 * key fields inside a list element that survives.
 */
export function prunable(last: FieldSet, owned: FieldSet, keep: readonly string[] = ROOT_KEEP): FieldSet {
  const out = new FieldSet();
  for (const token of last.tokens()) {
    if (!keep.includes(token) && !owned.owns(token)) {
      out.members.add(token);
      continue;
    }
    const below = last.children.get(token);
    if (below) out.setChild(token, prunable(below, owned.children.get(token) ?? new FieldSet(), keyFieldsOf(token)));
  }
  return out;
}

/** removeFields returns the object without the member nodes of `set` (whole subtrees). */
export function removeFields(obj: JsonObject, set: FieldSet, schema: Schema): JsonObject {
  return removeFromMap(obj, set, schema);
}

function removeFrom(value: unknown, set: FieldSet, schema: Schema): unknown {
  if (schema.atomic) return value;
  if (isJsonObject(value)) return removeFromMap(value, set, schema);
  if (Array.isArray(value)) return removeFromList(value, set, schema);
  return value;
}

function removeFromMap(obj: JsonObject, set: FieldSet, schema: Schema): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(obj)) {
    const token = fieldToken(name);
    if (set.members.has(token)) continue;
    const below = set.children.get(token);
    out[name] = below ? removeFrom(value, below, fieldSchema(schema, name)) : value;
  }
  return out;
}

function removeFromList(items: unknown[], set: FieldSet, schema: Schema): unknown[] {
  const list = listType(schema);
  if (list.type === 'atomic') return items;
  const { tokens } = indexList(items, list, [], false);
  const out: unknown[] = [];
  items.forEach((item, i) => {
    const token = tokens[i] as string;
    if (set.members.has(token)) return;
    const below = set.children.get(token);
    out.push(below ? removeFrom(item, below, itemSchema(schema)) : item);
  });
  return out;
}
