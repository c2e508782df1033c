// What changed between two versions of an object, as structured-merge-diff's Compare: every node
// that appeared (Added), disappeared (Removed), or whose leaf value differs (Modified). Added and
// Removed include all the nodes of a subtree, interior ones too.

import { isDeepStrictEqual } from 'node:util';
import { isJsonObject } from '../patch/json-value.js';
import { FieldSet, type FieldPath } from './field-set.js';
import { indexList } from './list-items.js';
import { fieldToken } from './path-element.js';
import { fieldSchema, itemSchema, listType, type Schema } from './schema.js';

/** Comparison is the difference between an old and a new object. */
export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

/** compare diffs two objects of the same kind. */
export function compare(before: unknown, after: unknown, schema: Schema): Comparison {
  const cmp: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(before, after, schema, [], cmp);
  return cmp;
}

/** changedFields is what an update took ownership of: added or modified, minus removed. */
export function changedFields(cmp: Comparison): FieldSet {
  return cmp.added.union(cmp.modified).difference(cmp.removed);
}

function walk(before: unknown, after: unknown, schema: Schema, path: FieldPath, cmp: Comparison): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) return insertAll(after, schema, path, cmp.added);
  if (after === undefined) return insertAll(before, schema, path, cmp.removed);
  if (isLeaf(before, after, schema)) {
    if (!isDeepStrictEqual(before, after)) cmp.modified.insert(path);
  } else if (isJsonObject(before) && isJsonObject(after)) {
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      walk(before[name], after[name], fieldSchema(schema, name), [...path, fieldToken(name)], cmp);
    }
  } else {
    walkList(before as unknown[], after as unknown[], schema, path, cmp);
  }
}

// Atomic values, scalars, mismatched types and two empty maps compare as one value.
function isLeaf(before: unknown, after: unknown, schema: Schema): boolean {
  if (schema.atomic) return true;
  if (isJsonObject(before) && isJsonObject(after)) {
    return Object.keys(before).length === 0 && Object.keys(after).length === 0;
  }
  if (Array.isArray(before) && Array.isArray(after)) return listType(schema).type === 'atomic';
  return true;
}

function walkList(before: unknown[], after: unknown[], schema: Schema, path: FieldPath, cmp: Comparison): void {
  const list = listType(schema);
  const old = indexList(before, list, path, false);
  const now = indexList(after, list, path, false);
  for (const token of new Set([...old.tokens, ...now.tokens])) {
    const itemPath = [...path, token];
    if (list.type === 'set') {
      if (!old.byToken.has(token)) cmp.added.insert(itemPath);
      else if (!now.byToken.has(token)) cmp.removed.insert(itemPath);
    } else {
      walk(old.byToken.get(token), now.byToken.get(token), itemSchema(schema), itemPath, cmp);
    }
  }
}

function insertAll(value: unknown, schema: Schema, path: FieldPath, set: FieldSet): void {
  set.insert(path);
  if (schema.atomic) return;
  if (isJsonObject(value)) {
    for (const [name, child] of Object.entries(value)) {
      insertAll(child, fieldSchema(schema, name), [...path, fieldToken(name)], set);
    }
  } else if (Array.isArray(value)) {
    const list = listType(schema);
    if (list.type === 'atomic') return;
    const { tokens } = indexList(value, list, path, false);
    value.forEach((item, i) => insertAll(item, itemSchema(schema), [...path, tokens[i] as string], set));
  }
}
