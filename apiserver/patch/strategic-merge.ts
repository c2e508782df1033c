// Strategic merge patch (apimachinery pkg/util/strategicpatch, applying side): maps merge
// recursively, null deletes, lists follow the field's patch metadata, directives steer the merge
// and are consumed. Everything here returns new values; inputs are never modified.

import { badRequest } from '../../api/errors.js';
import { isDirectiveKey, parseListDirective, PATCH_DIRECTIVE, RETAIN_KEYS_DIRECTIVE } from './directives.js';
import { deepCopy, describe, isJsonObject, type JsonObject } from './json-value.js';
import { patchKind } from './merge-patch.js';
import { fieldMeta, isMergeList, type PatchMeta } from './patch-meta.js';
import { PATCH_META_BY_KIND } from './patch-meta-kinds.js';
import { listKeyOf, mergeList } from './strategic-list.js';
import { checkSetElementOrder, orderMerged } from './strategic-order.js';

/** applyStrategicPatch applies a strategic merge patch using the patch metadata of `kind`. */
export function applyStrategicPatch(original: JsonObject, patch: unknown, kind: string): JsonObject {
  if (!isJsonObject(patch)) {
    throw badRequest(`strategic merge patch must be a JSON object, got ${patchKind(patch)}`);
  }
  // A top-level `$patch: delete` leaves an empty object, as upstream.
  return mergeMap(deepCopy(original), deepCopy(patch), PATCH_META_BY_KIND[kind], '') ?? {};
}

/**
 * mergeMap merges `patch` into `live` (absent when the field is new) and returns the result, or
 * undefined when the patch says `$patch: delete`. Order as upstream: map directive, $retainKeys,
 * $setElementOrder lists, plain fields, then $deleteFromPrimitiveList.
 */
export function mergeMap(
  live: JsonObject | undefined,
  patch: JsonObject,
  meta: PatchMeta | undefined,
  path: string,
): JsonObject | undefined {
  if (PATCH_DIRECTIVE in patch) return mapDirective(patch, meta, path);
  const result: JsonObject = live ? { ...live } : {};
  retainKeys(result, patch, path);
  const ordered = applySetElementOrders(result, patch, meta, path);
  for (const [key, value] of Object.entries(patch)) {
    if (isDirectiveKey(key) || ordered.has(key)) continue;
    setField(result, key, mergeValue(result[key], value, fieldMeta(meta, key), `${path}.${key}`));
  }
  deleteFromPrimitiveLists(result, patch, path);
  return result;
}

function mapDirective(patch: JsonObject, meta: PatchMeta | undefined, path: string): JsonObject | undefined {
  const directive = patch[PATCH_DIRECTIVE];
  if (directive === 'delete') return undefined;
  if (directive !== 'replace')
    throw badRequest(`unknown patch type: ${describe(directive)} in map at ${path || '.'}`);
  const rest = { ...patch };
  delete rest[PATCH_DIRECTIVE];
  return mergeMap(undefined, rest, meta, path);
}

// null deletes; undefined (a `$patch: delete` map) deletes too.
function mergeValue(live: unknown, value: unknown, meta: PatchMeta | undefined, path: string): unknown {
  if (value === null) return undefined;
  if (isJsonObject(value)) {
    const base = isJsonObject(live) && meta?.patchStrategy !== 'replace' ? live : undefined;
    return mergeMap(base, value, meta, path);
  }
  if (Array.isArray(value)) return mergeList(Array.isArray(live) ? live : undefined, value, meta, path);
  return value;
}

function setField(result: JsonObject, key: string, value: unknown): void {
  if (value === undefined) delete result[key];
  else result[key] = value;
}

// `$retainKeys: [..]` clears live keys not listed; a patch field not listed is a malformed patch.
function retainKeys(result: JsonObject, patch: JsonObject, path: string): void {
  const keep = patch[RETAIN_KEYS_DIRECTIVE];
  if (keep === undefined) return;
  if (!Array.isArray(keep) || !keep.every((k) => typeof k === 'string')) {
    throw badRequest(`invalid patch format at ${path || '.'}: $retainKeys must be a list of field names`);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value !== null && !isDirectiveKey(key) && !keep.includes(key)) {
      throw badRequest(`invalid patch format at ${path || '.'}: field ${key} is not listed in $retainKeys`);
    }
  }
  for (const key of Object.keys(result)) if (!keep.includes(key)) delete result[key];
}

// Merges each list named by a `$setElementOrder/<field>` and orders it; returns the fields done.
function applySetElementOrders(
  result: JsonObject,
  patch: JsonObject,
  meta: PatchMeta | undefined,
  path: string,
): Set<string> {
  const done = new Set<string>();
  for (const [key, order] of Object.entries(patch)) {
    const directive = parseListDirective(key, path);
    if (directive?.kind !== 'setElementOrder' || patch[directive.field] === null) continue;
    const field = directive.field;
    setField(
      result,
      field,
      orderedList(result[field], patch[field], order, fieldMeta(meta, field), `${path}.${field}`),
    );
    done.add(field);
  }
  return done;
}

function orderedList(
  live: unknown,
  patchList: unknown,
  order: unknown,
  meta: PatchMeta | undefined,
  path: string,
): unknown[] | undefined {
  if (!Array.isArray(order))
    throw badRequest(`invalid patch format at ${path}: $setElementOrder must be a list`);
  if (patchList !== undefined && !Array.isArray(patchList)) {
    throw badRequest(
      `invalid patch format at ${path}: expected a list to go with $setElementOrder, got ${describe(patchList)}`,
    );
  }
  const current = Array.isArray(live) ? live : undefined;
  if (patchList === undefined && current === undefined) return undefined;
  const merged = patchList === undefined ? (current as unknown[]) : mergeList(current, patchList, meta, path);
  // Only merge lists have an order to keep; a replaced list is exactly the patch's.
  if (!isMergeList(meta)) return merged;
  const keyOf = listKeyOf(meta, path);
  checkSetElementOrder(patchList ?? [], order, keyOf, path);
  return orderMerged(merged, order, current ?? [], keyOf);
}

function deleteFromPrimitiveLists(result: JsonObject, patch: JsonObject, path: string): void {
  for (const [key, values] of Object.entries(patch)) {
    const directive = parseListDirective(key, path);
    if (directive?.kind !== 'deleteFromPrimitiveList') continue;
    if (!Array.isArray(values)) {
      throw badRequest(`invalid patch format at ${path || '.'}: ${key} must be a list of values`);
    }
    const live = result[directive.field];
    if (Array.isArray(live)) result[directive.field] = live.filter((v) => !values.includes(v));
  }
}
