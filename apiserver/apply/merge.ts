// Merging an applied configuration into the live object, as structured-merge-diff's Merge: the
// configuration's values win; maps merge field by field; associative lists and sets merge element
// by element by key; atomic values are replaced. A null in the configuration removes the field
// (the typed object upstream has no way to hold it), though the applier still owns it.

import { deepCopy, isJsonObject, type JsonObject } from '../patch/json-value.js';
import type { FieldPath } from './field-set.js';
import { indexList } from './list-items.js';
import { fieldToken } from './path-element.js';
import { fieldSchema, itemSchema, listType, type Schema } from './schema.js';

/** mergeApplied returns live with config merged in; neither argument is modified. */
export function mergeApplied(live: JsonObject, config: JsonObject, schema: Schema): JsonObject {
  return mergeMaps(live, config, schema, []);
}

function mergeValue(live: unknown, config: unknown, schema: Schema, path: FieldPath): unknown {
  if (live === undefined || schema.atomic) return deepCopy(config);
  if (isJsonObject(live) && isJsonObject(config)) return mergeMaps(live, config, schema, path);
  if (Array.isArray(live) && Array.isArray(config)) return mergeLists(live, config, schema, path);
  return deepCopy(config);
}

function mergeMaps(live: JsonObject, config: JsonObject, schema: Schema, path: FieldPath): JsonObject {
  const out = deepCopy(live);
  for (const [name, value] of Object.entries(config)) {
    if (value === null) {
      delete out[name];
      continue;
    }
    out[name] = mergeValue(live[name], value, fieldSchema(schema, name), [...path, fieldToken(name)]);
  }
  return out;
}

/**
 * mergeLists keeps live-only elements where they were and puts shared and new elements in the
 * configuration's order — the interleaving of upstream's mergingWalker.visitListItems.
 * Example: live [a, x, b], config [b, a, c] → [x, b, a, c].
 */
function mergeLists(live: unknown[], config: unknown[], schema: Schema, path: FieldPath): unknown[] {
  const list = listType(schema);
  if (list.type === 'atomic') return deepCopy(config);
  const lhs = indexList(live, list, path, false);
  const rhs = indexList(config, list, path, true);
  const item = (token: string): unknown =>
    list.type === 'set'
      ? deepCopy(rhs.byToken.get(token))
      : mergeValue(lhs.byToken.get(token), rhs.byToken.get(token), itemSchema(schema), [...path, token]);

  const shared = rhs.tokens.filter((t) => lhs.byToken.has(t));
  let nextShared = shared.shift();
  const merged = new Set<string>();
  const out: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < lhs.tokens.length || r < rhs.tokens.length) {
    const lt = lhs.tokens[l];
    const rt = rhs.tokens[r];
    if (lt !== undefined && rt !== undefined) {
      if (lt === rt) {
        merged.add(lt);
        out.push(item(lt));
        l++;
        r++;
        nextShared = shared.shift();
        continue;
      }
      // A shared element met out of the configuration's order waits for its turn.
      if (rhs.byToken.has(lt) && nextShared !== undefined && nextShared !== lt) {
        l++;
        continue;
      }
    }
    if (lt !== undefined) {
      if (!rhs.byToken.has(lt)) {
        out.push(deepCopy(live[l]));
        l++;
        continue;
      }
      if (merged.has(lt)) {
        l++;
        continue;
      }
    }
    if (rt !== undefined) {
      merged.add(rt);
      out.push(item(rt));
      r++;
      if (nextShared === rt) nextShared = shared.shift();
    }
  }
  return out;
}
