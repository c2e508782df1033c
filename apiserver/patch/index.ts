// The patch engine of the API server: turns a PATCH body into the new object. Pure: no I/O, and
// the original object is never modified. Every malformed or inapplicable patch is a 400 Status.

import { parse as parseYaml } from 'yaml';
import { badRequest } from '../../api/errors.js';
import type { JsonObject } from './json-value.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicPatch } from './strategic-merge.js';

/** PatchType is the kind of PATCH body, chosen by its Content-Type. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const CONTENT_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** patchTypeFromContentType maps a PATCH Content-Type (parameters ignored) to its patch type. */
export function patchTypeFromContentType(contentType: string | undefined): PatchType | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType ? CONTENT_TYPES[mediaType] : undefined;
}

/**
 * applyPatch applies `patch` to `original` and returns the new object; `kind` (Deployment, Pod, ...)
 * selects the strategic-merge metadata. 'apply' is, for now, a merge patch of the applied
 * manifest (no managedFields, no conflicts); its body may be YAML text or an already decoded object.
 */
export function applyPatch(
  patchType: PatchType,
  original: Record<string, unknown>,
  patch: unknown,
  kind: string,
): Record<string, unknown> {
  switch (patchType) {
    case 'json':
      return applyJsonPatch(original, patch);
    case 'merge':
      return applyMergePatch(original, patch);
    case 'strategic':
      return applyStrategicPatch(original, patch, kind);
    case 'apply':
      return applyMergePatch(original, decodeApplyBody(patch));
  }
}

function decodeApplyBody(patch: unknown): unknown {
  if (typeof patch !== 'string') return patch;
  try {
    return parseYaml(patch) as unknown;
  } catch (err) {
    throw badRequest(`error decoding YAML apply patch: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export type { JsonObject };
