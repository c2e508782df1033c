// JSON merge patch (RFC 7386): null deletes, objects merge recursively, anything else replaces.

import { badRequest } from '../../api/errors.js';
import { deepCopy, isJsonObject, type JsonObject } from './json-value.js';

/** applyMergePatch applies an RFC 7386 merge patch; the patch must be an object, since the result must be one. */
export function applyMergePatch(original: JsonObject, patch: unknown): JsonObject {
  if (!isJsonObject(patch)) {
    throw badRequest(`merge patch must be a JSON object, got ${patchKind(patch)}`);
  }
  return mergeObjects(deepCopy(original), patch);
}

function mergeObjects(target: JsonObject | undefined, patch: JsonObject): JsonObject {
  const result: JsonObject = target ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergeValue(result[key], value);
  }
  return result;
}

function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return deepCopy(patch);
  // A patch object merged onto a non-object starts from {} (RFC 7386 section 2).
  return mergeObjects(isJsonObject(target) ? target : undefined, patch);
}

/** patchKind names the JSON type of a rejected patch body. */
export function patchKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
