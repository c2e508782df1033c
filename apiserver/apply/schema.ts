// The structural facts server-side apply needs about each field, as structured-merge-diff reads
// them from the OpenAPI extensions: whether a map or list is atomic (replaced whole, owned as one
// field), and whether a list is a set or an associative list keyed by some fields
// (`x-kubernetes-list-type: map` + `x-kubernetes-list-map-keys`). Skiff derives them from the
// strategic-merge metadata, as upstream's schema converter does for lists without a list-type:
// a merge list with a key is associative, a merge list without one is a set, any other list is
// atomic.

import { PATCH_META_BY_KIND } from '../patch/patch-meta-kinds.js';
import { fieldMeta, isMergeList, type PatchMeta } from '../patch/patch-meta.js';

/** Schema describes one value of an object: its strategic metadata and whether it is atomic. */
export interface Schema {
  readonly meta: PatchMeta | undefined;
  readonly atomic: boolean;
}

/** ListType is how a list is merged and owned. */
export type ListType =
  | { readonly type: 'map'; readonly keys: readonly string[]; readonly defaults: Readonly<Record<string, unknown>> }
  | { readonly type: 'set' }
  | { readonly type: 'atomic' };

// Maps upstream marks `+mapType=atomic` / `+structType=atomic`: label selectors, node selectors
// and the object references of env sources.
const ATOMIC_FIELDS: ReadonlySet<string> = new Set([
  'selector',
  'labelSelector',
  'namespaceSelector',
  'nodeSelector',
  'fieldRef',
  'resourceFieldRef',
  'configMapKeyRef',
  'secretKeyRef',
]);

// Lists whose upstream `+listMapKey`s go beyond the strategic merge key, with the schema defaults
// structured-merge-diff fills in for an absent key field (ports are keyed by port and protocol).
const MAP_KEYS: Readonly<Record<string, { keys: string[]; defaults: Record<string, unknown> }>> = {
  containerPort: { keys: ['containerPort', 'protocol'], defaults: { protocol: 'TCP' } },
  port: { keys: ['port', 'protocol'], defaults: { protocol: 'TCP' } },
  topologyKey: { keys: ['topologyKey', 'whenUnsatisfiable'], defaults: {} },
};

/** schemaForKind is the root schema of a kind; unknown kinds have every list atomic. */
export function schemaForKind(kind: string): Schema {
  return { meta: PATCH_META_BY_KIND[kind], atomic: false };
}

/** fieldSchema is the schema of a map's field. */
export function fieldSchema(schema: Schema, name: string): Schema {
  return { meta: fieldMeta(schema.meta, name), atomic: ATOMIC_FIELDS.has(name) };
}

/** itemSchema is the schema of a list's elements. */
export function itemSchema(schema: Schema): Schema {
  return { meta: schema.meta?.items, atomic: false };
}

/** listType says how a list field is merged and owned. */
export function listType(schema: Schema): ListType {
  if (schema.atomic || !isMergeList(schema.meta)) return { type: 'atomic' };
  const key = schema.meta?.patchMergeKey;
  if (!key) return { type: 'set' };
  return { type: 'map', ...(MAP_KEYS[key] ?? { keys: [key], defaults: {} }) };
}
