// Client-side apply's patch: kubectl's three-way strategic merge patch between the last applied
// configuration (original), the new manifest (modified) and the live object (current).
// Additions and changes come from current→modified, deletions from original→modified, so fields
// someone else set (not in original) survive, and fields dropped from the manifest are removed.

import { isDeepStrictEqual } from 'node:util';
import { PATCH_META_BY_KIND } from '../../apiserver/patch/patch-meta-kinds.js';
import { fieldMeta, isMergeList, type PatchMeta } from '../../apiserver/patch/patch-meta.js';

type Obj = Record<string, unknown>;

/** LAST_APPLIED is the annotation client-side apply keeps the applied manifest in. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// Fields whose patches carry `$retainKeys` (patchStrategy "retainKeys" upstream).
const RETAIN_KEYS: Readonly<Record<string, string[]>> = {
  Deployment: ['spec.strategy'],
};

/** threeWayPatch computes the strategic merge patch; `{}` means unchanged. */
export function threeWayPatch(original: Obj | undefined, modified: Obj, current: Obj, kind: string): Obj {
  const ctx: Ctx = { retain: new Set(RETAIN_KEYS[kind] ?? []) };
  return diffMaps(original, modified, current, PATCH_META_BY_KIND[kind], '', ctx);
}

interface Ctx {
  retain: Set<string>;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function diffMaps(original: Obj | undefined, modified: Obj, current: Obj | undefined, meta: PatchMeta | undefined, path: string, ctx: Ctx): Obj {
  const patch: Obj = {};
  for (const [k, m] of Object.entries(modified)) {
    const c = current?.[k];
    const o = original?.[k];
    const fm = fieldMeta(meta, k);
    const p = path ? `${path}.${k}` : k;
    if (isObj(m) && isObj(c)) {
      const sub = diffMaps(isObj(o) ? o : undefined, m, c, fm, p, ctx);
      if (Object.keys(sub).length) patch[k] = sub;
    } else if (Array.isArray(m) && Array.isArray(c) && isMergeList(fm)) {
      Object.assign(patch, diffMergeList(k, Array.isArray(o) ? o : undefined, m, c, fm!, p, ctx));
    } else if (!isDeepStrictEqual(m, c)) {
      patch[k] = m;
    }
  }
  for (const k of Object.keys(original ?? {})) if (!(k in modified)) patch[k] = null;
  if (ctx.retain.has(path) && Object.keys(patch).length) patch.$retainKeys = Object.keys(modified).sort();
  return patch;
}

function diffMergeList(k: string, original: unknown[] | undefined, modified: unknown[], current: unknown[], meta: PatchMeta, path: string, ctx: Ctx): Obj {
  const key = meta.patchMergeKey;
  if (!key) return diffPrimitiveSet(k, original, modified, current);
  const keyOf = (v: unknown): unknown => (isObj(v) ? v[key] : undefined);
  const find = (list: unknown[] | undefined, kv: unknown): Obj | undefined =>
    list?.find((x): x is Obj => isObj(x) && isDeepStrictEqual(x[key], kv));
  const items: unknown[] = [];
  for (const m of modified) {
    if (!isObj(m)) continue;
    const c = find(current, m[key]);
    if (!c) {
      items.push(m);
      continue;
    }
    const sub = diffMaps(find(original, m[key]), m, c, meta.items, path, ctx);
    if (Object.keys(sub).length) items.push({ ...sub, [key]: m[key] });
  }
  for (const o of original ?? []) {
    if (isObj(o) && !find(modified, o[key])) items.push({ $patch: 'delete', [key]: o[key] });
  }
  if (items.length === 0) return {};
  return { [`$setElementOrder/${k}`]: modified.map((m) => ({ [key]: keyOf(m) })), [k]: items };
}

function diffPrimitiveSet(k: string, original: unknown[] | undefined, modified: unknown[], current: unknown[]): Obj {
  const added = modified.filter((m) => !current.includes(m));
  const deleted = (original ?? []).filter((o) => !modified.includes(o) && current.includes(o));
  if (!added.length && !deleted.length) return {};
  const patch: Obj = { [`$setElementOrder/${k}`]: modified };
  if (added.length) patch[k] = added;
  if (deleted.length) patch[`$deleteFromPrimitiveList/${k}`] = deleted;
  return patch;
}
