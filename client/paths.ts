// Builds REST paths and query strings for the Kubernetes API from the resource registry.

import type { ResourceInfo } from '../api/registry.js';

/**
 * resourcePath is `/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{sub}]]` for the core group and
 * `/apis/{group}/{version}/...` otherwise. An empty ns on a namespaced resource means all namespaces.
 */
export function resourcePath(res: ResourceInfo, ns?: string, name?: string, subresource?: string): string {
  const root = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
  const scope = res.namespaced && ns ? `/namespaces/${encodeURIComponent(ns)}` : '';
  const item = name ? `/${encodeURIComponent(name)}` : '';
  const sub = name && subresource ? `/${subresource}` : '';
  return `${root}${scope}/${res.plural}${item}${sub}`;
}

/** QueryValue is anything a query parameter may be built from; undefined and '' are omitted. */
export type QueryValue = string | number | boolean | undefined;

/** withQuery appends the set parameters, in the given order, to path. */
export function withQuery(path: string, params: Record<string, QueryValue>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
