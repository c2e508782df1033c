// The verbs of the REST API, one function each, over a ResourceStore. Routing and response
// rendering live in routes.ts; these functions take parsed input and return objects.
import type { KubeObject } from '../api/meta.js';
import { StatusError, badRequest, conflict, OBJECT_MODIFIED } from '../api/errors.js';
import { applyPatch, patchTypeFromContentType, type PatchType } from './patch/index.js';
import type { ResourceStore, WriteOptions } from './resource-store.js';
import type { DeleteOptions } from './strategy.js';
import { applyScale, bindPod, toScale } from './subresources.js';
import { serverSideApply, type ApplyOptions } from './apply/index.js';
import { groupVersion } from '../api/registry.js';

export interface PatchRequest {
  contentType: string | undefined;
  body: unknown;
  subresource?: 'status' | 'scale';
  force?: boolean;
  fieldManager?: string;
}

export function patchType(contentType: string | undefined): PatchType {
  const t = patchTypeFromContentType(contentType);
  if (!t) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
    );
  }
  return t;
}

/** PATCH of an object, its status or its scale; an apply patch creates a missing object, as upstream. */
export async function patchObject(
  store: ResourceStore,
  namespace: string | undefined,
  name: string,
  req: PatchRequest,
  opts: WriteOptions,
): Promise<KubeObject> {
  const type = patchType(req.contentType);
  try {
    const updated = await store.guaranteedUpdate(
      namespace,
      name,
      (cur) => patchOnto(store, cur, type, req, namespace, opts),
      { ...opts, subresource: req.subresource === 'status' ? 'status' : undefined, managedFieldsSet: type === 'apply' },
    );
    return req.subresource === 'scale' ? toScale(updated) : updated;
  } catch (err) {
    if (type === 'apply' && err instanceof StatusError && err.reason === 'NotFound' && !req.subresource) {
      const applied = serverSideApply(undefined, applyBody(req.body), applyOptions(store, req)).object as KubeObject;
      applied.metadata = { ...(applied.metadata ?? {}), name };
      return store.create(namespace, applied, { ...opts, managedFieldsSet: true });
    }
    throw err;
  }
}

function applyBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('an apply patch must be an object');
  return body as Record<string, unknown>;
}

function applyOptions(store: ResourceStore, req: PatchRequest): ApplyOptions {
  if (!req.fieldManager) {
    throw badRequest('PATCH with application/apply-patch+yaml requires fieldManager: Required value: is required for apply patch');
  }
  return {
    manager: req.fieldManager,
    force: req.force === true,
    kind: store.res.kind,
    apiVersion: groupVersion(store.res),
    now: new Date().toISOString(),
  };
}

function patchOnto(
  store: ResourceStore,
  cur: KubeObject,
  type: PatchType,
  req: PatchRequest,
  namespace: string | undefined,
  opts: WriteOptions,
): KubeObject {
  const rv = cur.metadata.resourceVersion;
  if (req.subresource === 'scale') {
    const scale = applyPatch(type, toScale(cur) as Record<string, unknown>, req.body, 'Scale') as KubeObject;
    if (scale.metadata?.resourceVersion !== rv) throw conflict(store.gr, cur.metadata.name!, OBJECT_MODIFIED);
    return applyScale(cur, { spec: scale.spec }, store.gr);
  }
  const patched =
    type === 'apply'
      ? (serverSideApply(cur, applyBody(req.body), applyOptions(store, req)).object as KubeObject)
      : (applyPatch(type, cur as Record<string, unknown>, req.body, store.res.kind) as KubeObject);
  const next = store.admit(patched, namespace, opts);
  if (next.metadata.resourceVersion && next.metadata.resourceVersion !== rv) {
    throw conflict(store.gr, cur.metadata.name!, OBJECT_MODIFIED);
  }
  if (next.metadata.name !== cur.metadata.name) {
    throw badRequest(`metadata.name: Invalid value: "${String(next.metadata.name)}": field is immutable`);
  }
  return next;
}

/** PUT on a subresource. */
export async function updateSubresource(
  store: ResourceStore,
  namespace: string | undefined,
  name: string,
  subresource: 'status' | 'scale',
  body: unknown,
  opts: WriteOptions,
): Promise<KubeObject> {
  if (subresource === 'status') return store.update(namespace, name, body, { ...opts, subresource: 'status' });
  const updated = await store.guaranteedUpdate(namespace, name, (cur) => applyScale(cur, body, store.gr), opts);
  return toScale(updated);
}

export async function bind(
  store: ResourceStore,
  namespace: string | undefined,
  name: string,
  body: unknown,
  now: () => Date,
  opts: WriteOptions,
): Promise<void> {
  await store.guaranteedUpdate(namespace, name, (cur) => bindPod(cur, body, now(), store.gr), {
    ...opts,
    subresource: 'internal',
  });
}

/** Eviction: a graceful delete of the pod (PodDisruptionBudgets are not served yet). */
export async function evict(
  store: ResourceStore,
  namespace: string | undefined,
  name: string,
  body: unknown,
  dryRun: boolean,
): Promise<void> {
  const ev = (body ?? {}) as { deleteOptions?: DeleteOptions };
  await store.delete(namespace, name, { ...(ev.deleteOptions ?? {}), dryRun });
}

export function successStatus(code: number, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code, ...(details ? { details } : {}) };
}
