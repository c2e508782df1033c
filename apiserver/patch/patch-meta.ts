// Strategic-merge metadata: for each field, how a patch combines with the live value. Upstream
// reads it from Go struct tags (`patchStrategy:"merge" patchMergeKey:"name"`); Skiff keeps the
// same facts as a data tree per kind, in patch-meta-kinds.ts.

/**
 * PatchMeta describes one value. `fields` lists the known fields of an object; a list field with
 * `patchStrategy: 'merge'` merges element-wise, by `patchMergeKey` for lists of objects or as a
 * set for primitives; `items` describes each element. Lists without a strategy are replaced.
 */
export interface PatchMeta {
  readonly fields?: Readonly<Record<string, PatchMeta>>;
  readonly patchStrategy?: 'merge' | 'replace';
  readonly patchMergeKey?: string;
  readonly items?: PatchMeta;
}

/** fieldMeta looks up a field of an object; unknown fields and unknown kinds get no metadata. */
export function fieldMeta(meta: PatchMeta | undefined, field: string): PatchMeta | undefined {
  return meta?.fields?.[field];
}

/** isMergeList reports whether a list field merges element-wise rather than being replaced. */
export function isMergeList(meta: PatchMeta | undefined): boolean {
  return meta?.patchStrategy === 'merge';
}
