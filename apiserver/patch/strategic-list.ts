// List fields under a strategic merge patch (apimachinery mergeSlice). Merge lists of objects
// merge element-wise by merge key and honour `{$patch: delete}` / `{$patch: replace}` elements;
// merge lists of primitives are unions; every other list is replaced by the patch's.

import { badRequest } from '../../api/errors.js';
import { PATCH_DIRECTIVE } from './directives.js';
import { deepCopy, describe, isJsonObject, type JsonObject } from './json-value.js';
import { isMergeList, type PatchMeta } from './patch-meta.js';
import { mergeMap } from './strategic-merge.js';
import { orderMerged, type KeyOf } from './strategic-order.js';

/** mergeList combines a live list (absent when the field is new) with a patch list. */
export function mergeList(
  live: unknown[] | undefined,
  patch: unknown[],
  meta: PatchMeta | undefined,
  path: string,
): unknown[] {
  if (!isMergeList(meta)) return patch.flatMap((item) => freshElement(item, meta?.items, path));
  const current = live ?? [];
  if (current.length === 0 && patch.length === 0) return [];
  if (elementsAreObjects([...current, ...patch], path)) {
    return mergeObjectList(current, patch, meta?.patchMergeKey, meta?.items, path);
  }
  return orderMerged(unique([...current, ...patch]), patch, current, (item) => item);
}

/** listKeyOf gives the identity function of a merge list's elements; objects must carry the key. */
export function listKeyOf(meta: PatchMeta | undefined, path: string): KeyOf {
  const key = meta?.patchMergeKey;
  if (!key) return (item) => item;
  return (item) => {
    if (!isJsonObject(item) || !(key in item)) {
      throw badRequest(`${describe(item)} in ${path} does not contain declared merge key: ${key}`);
    }
    return item[key];
  };
}

// A patch element with no live counterpart still goes through mergeMap so no directive survives.
function freshElement(item: unknown, meta: PatchMeta | undefined, path: string): unknown[] {
  if (!isJsonObject(item)) return [deepCopy(item)];
  const merged = mergeMap(undefined, item, meta, path);
  return merged === undefined ? [] : [merged];
}

function elementsAreObjects(items: unknown[], path: string): boolean {
  if (items.some(Array.isArray)) throw badRequest(`lists of lists are not supported in ${path}`);
  const objects = items.filter(isJsonObject).length;
  if (objects !== 0 && objects !== items.length) {
    throw badRequest(`list element types are not identical in ${path}: ${describe(items)}`);
  }
  return objects !== 0;
}

function unique(items: unknown[]): unknown[] {
  return items.filter((item, i) => items.indexOf(item) === i);
}

function mergeObjectList(
  live: unknown[],
  patch: unknown[],
  mergeKey: string | undefined,
  items: PatchMeta | undefined,
  path: string,
): unknown[] {
  if (!mergeKey) throw badRequest(`cannot merge lists without merge key for ${path}`);
  const keyOf = listKeyOf({ patchMergeKey: mergeKey }, path);
  const special = splitSpecialElements(live, patch as JsonObject[], mergeKey, keyOf, path);
  if (special.replace) return special.rest.flatMap((item) => freshElement(item, items, path));
  const merged = [...special.base];
  for (const item of special.rest) {
    const key = keyOf(item);
    const at = merged.findIndex((m) => isJsonObject(m) && mergeKey in m && m[mergeKey] === key);
    const next = mergeMap(at < 0 ? undefined : (merged[at] as JsonObject), item, items, path);
    if (at < 0) merged.push(next ?? {});
    else merged[at] = next ?? {};
  }
  return orderMerged(merged, special.rest, special.base, keyOf);
}

interface SpecialSplit {
  base: unknown[]; // the live list minus elements deleted by `$patch: delete`
  rest: JsonObject[]; // patch elements without a directive
  replace: boolean; // a `$patch: replace` element: the list becomes `rest`
}

// apimachinery mergeSliceWithSpecialElements.
function splitSpecialElements(
  live: unknown[],
  patch: JsonObject[],
  mergeKey: string,
  keyOf: KeyOf,
  path: string,
): SpecialSplit {
  const split: SpecialSplit = { base: live, rest: [], replace: false };
  for (const item of patch) {
    const directive = item[PATCH_DIRECTIVE];
    if (directive === undefined) {
      split.rest.push(item);
    } else if (directive === 'delete') {
      const key = keyOf(item);
      split.base = split.base.filter((m) => !(isJsonObject(m) && m[mergeKey] === key));
    } else if (directive === 'replace') {
      split.replace = true;
    } else {
      throw badRequest(
        `unknown patch type: ${describe(directive)} in list element ${describe(item)} of ${path}`,
      );
    }
  }
  return split;
}
