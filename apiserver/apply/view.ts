// The part of an object whose fields are tracked. As upstream's stripMeta manager and the
// strategies' reset fields: apiVersion, kind and the server-set metadata are nobody's fields,
// and status belongs to the status subresource (the main resource ignores it, and vice versa).

import { isJsonObject, type JsonObject } from '../patch/json-value.js';

const UNTRACKED_METADATA = [
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'generation',
  'managedFields',
  'resourceVersion',
];

/** SYSTEM_METADATA are the metadata fields an applied configuration cannot change on a live object. */
export const SYSTEM_METADATA = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'generation',
  'selfLink',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/** trackedView returns the fields ownership is tracked for; `subresource: 'status'` keeps only status. */
export function trackedView(obj: JsonObject, subresource?: string): JsonObject {
  if (subresource === 'status') return obj.status === undefined ? {} : { status: obj.status };
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = obj;
  if (!isJsonObject(metadata)) return rest;
  const meta = { ...metadata };
  for (const field of UNTRACKED_METADATA) delete meta[field];
  return Object.keys(meta).length > 0 ? { metadata: meta, ...rest } : rest;
}

// Structs a typed Go object always has, even when zero: upstream diffs a create against such a
// zero object, so these never show up as owned nodes (`.`) of their own.
const ALWAYS_PRESENT = new Set(['metadata', 'spec', 'template', 'strategy', 'status', 'resources']);

/** zeroSkeleton is the empty typed object a create is compared against. */
export function zeroSkeleton(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(obj)) {
    if (ALWAYS_PRESENT.has(name) && isJsonObject(value)) out[name] = zeroSkeleton(value);
  }
  return out;
}
