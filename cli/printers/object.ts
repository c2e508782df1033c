// -o yaml and -o json: kubectl prints objects with keys sorted (they pass through a Go map).

import { stringify } from 'yaml';

/** sortKeys returns v with every object's keys sorted, recursively. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const src = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(src)
      .sort()
      .filter((k) => src[k] !== undefined)
      .map((k) => [k, sortKeys(src[k])]),
  );
}

/** toYaml prints like kubectl -o yaml (sorted keys, lists not indented under their key). */
export function toYaml(v: unknown): string {
  return stringify(sortKeys(v), { indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

/** toJson prints like kubectl -o json (sorted keys, four-space indent). */
export function toJson(v: unknown): string {
  return `${JSON.stringify(sortKeys(v), null, 4)}\n`;
}

/** asList wraps items the way kubectl prints several objects: a v1 List. */
export function asList(items: unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
}
