// What the API server does to an object on create, update and delete, per kind, as pure
// functions of (request, current object, now). Upstream: each registry's strategy.go.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ObjectMeta } from '../api/meta.js';
import type { ResourceInfo } from '../api/registry.js';
import { StatusError } from '../api/errors.js';
import { rfc3339 } from '../api/time.js';
import { admitPodTolerations } from './admission/default-tolerations.js';

/** Kinds whose spec changes bump metadata.generation. */
const GENERATION_KINDS = new Set(['pods', 'deployments', 'replicasets', 'services', 'nodes']);
/** Kinds whose status is written only through /status. */
export function hasStatusSubresource(res: ResourceInfo): boolean {
  return res.subresources.includes('status');
}

const NAME_SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

export function generateName(prefix: string, random: () => number): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_SUFFIX_CHARS[Math.floor(random() * NAME_SUFFIX_CHARS.length)];
  return prefix + suffix;
}

/** Everything but type, metadata and status: a change here is a spec change. */
function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, kind: _k, apiVersion: _v, ...rest } = obj;
  return rest;
}

/** Key order does not count: a merge patch or defaulting may reorder keys without changing anything. */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  return !isDeepStrictEqual(specPart(a), specPart(b));
}

/** Resets what clients may not set on create and fills in system metadata. */
export function prepareForCreate(res: ResourceInfo, obj: KubeObject, uid: string, now: Date): KubeObject {
  const meta: ObjectMeta = { ...obj.metadata, uid, creationTimestamp: rfc3339(now) };
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.resourceVersion;
  if (GENERATION_KINDS.has(res.plural)) meta.generation = 1;
  else delete meta.generation;
  const out: KubeObject = { ...obj, apiVersion: obj.apiVersion, kind: res.kind, metadata: meta };
  if (res.plural === 'secrets') mergeStringData(out);
  const admitted = res.plural === 'pods' ? admitPodTolerations(out) : out; // DefaultTolerationSeconds
  return { ...admitted, ...initialStatus(res, obj) };
}

function initialStatus(res: ResourceInfo, obj: KubeObject): Partial<KubeObject> {
  switch (res.plural) {
    case 'pods':
      return { status: { phase: 'Pending', qosClass: qosClass(obj) } };
    case 'namespaces':
      return { status: { phase: 'Active' } };
    case 'deployments':
    case 'replicasets':
      return { status: {} };
    case 'services':
      return { status: { loadBalancer: {} } };
    default:
      return {};
  }
}

interface ContainerResources {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

/** Upstream's QoS classes: Guaranteed when every container's cpu and memory limits equal requests. */
export function qosClass(pod: KubeObject): string {
  const spec = pod.spec as { containers?: ContainerResources[]; initContainers?: ContainerResources[] } | undefined;
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (l === undefined || String(q) !== String(l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/**
 * The object to store for a main-resource update: system metadata is kept from the current
 * object, status too when it has its own subresource, and generation moves on spec changes.
 */
export function prepareForUpdate(res: ResourceInfo, next: KubeObject, cur: KubeObject): KubeObject {
  const m = cur.metadata;
  const meta: ObjectMeta = {
    ...next.metadata,
    uid: m.uid,
    creationTimestamp: m.creationTimestamp,
    resourceVersion: m.resourceVersion,
  };
  setOrDelete(meta, 'deletionTimestamp', m.deletionTimestamp);
  setOrDelete(meta, 'deletionGracePeriodSeconds', m.deletionGracePeriodSeconds);
  setOrDelete(meta, 'generation', m.generation);
  const out: KubeObject = { ...next, kind: res.kind, metadata: meta };
  if (hasStatusSubresource(res)) setOrDelete(out, 'status', cur.status);
  if (res.plural === 'services') keepClusterIP(out, cur);
  // Namespace finalizers change only through /finalize, as upstream.
  if (res.plural === 'namespaces') out.spec = { ...(out.spec as object), finalizers: (cur.spec as { finalizers?: string[] })?.finalizers };
  if (res.plural === 'secrets') mergeStringData(out);
  if (m.generation !== undefined && specChanged(out, cur)) meta.generation = m.generation + 1;
  return out;
}

/** Secret.stringData is write-only: its entries go into data, base64-encoded, as upstream. */
function mergeStringData(secret: KubeObject): void {
  const stringData = secret.stringData as Record<string, string> | undefined;
  if (!stringData) return;
  const data = { ...((secret.data as Record<string, string> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v)).toString('base64');
  secret.data = data;
  delete secret.stringData;
}

interface ServiceIPs {
  clusterIP?: string;
  clusterIPs?: string[];
}

/** A Service update that leaves clusterIP out keeps the allocated one, as upstream. */
function keepClusterIP(out: KubeObject, cur: KubeObject): void {
  const spec = (out.spec ?? {}) as ServiceIPs;
  const old = (cur.spec ?? {}) as ServiceIPs;
  if (!spec.clusterIP && old.clusterIP) out.spec = { ...spec, clusterIP: old.clusterIP, clusterIPs: old.clusterIPs };
}

/**
 * A /status update: status and annotations move (controllers record revisions there, as
 * upstream's status strategies allow); spec, labels and the rest stay as stored.
 */
export function prepareForStatusUpdate(next: KubeObject, cur: KubeObject): KubeObject {
  const out: KubeObject = { ...cur, metadata: { ...cur.metadata } };
  setOrDelete(out.metadata, 'annotations', next.metadata?.annotations);
  setOrDelete(out, 'status', next.status);
  return out;
}

function setOrDelete<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v === undefined) delete o[k];
  else o[k] = v;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type DeletePlan =
  | { action: 'delete' }
  /** Keep the object, marked for deletion; someone else (kubelet, a controller) finishes it. */
  | { action: 'mark'; obj: KubeObject }
  /** Already being deleted no sooner than asked: nothing to do. */
  | { action: 'none' };

/**
 * Graceful deletion and finalizers, as upstream's BeforeDelete: a pod on a node gets a
 * deletionTimestamp and grace period for its kubelet; an object with finalizers waits for them.
 */
export function planDelete(res: ResourceInfo, cur: KubeObject, opts: DeleteOptions, now: Date): DeletePlan {
  const finalizers = withPolicyFinalizer(cur.metadata.finalizers ?? [], opts.propagationPolicy);
  const grace = gracePeriod(res, cur, opts);
  const terminating = cur.metadata.deletionTimestamp !== undefined;
  if (res.plural === 'namespaces') return planNamespaceDelete(cur, now);
  if (finalizers.length === 0 && grace === 0) return { action: 'delete' };
  if (terminating && (cur.metadata.deletionGracePeriodSeconds ?? 0) <= grace && sameList(finalizers, cur.metadata.finalizers)) {
    return { action: 'none' };
  }
  const deleteAt = terminating && grace !== 0 ? cur.metadata.deletionTimestamp! : rfc3339(new Date(now.getTime() + grace * 1000));
  const metadata: ObjectMeta = {
    ...cur.metadata,
    deletionTimestamp: deleteAt,
    deletionGracePeriodSeconds: grace,
  };
  if (finalizers.length) metadata.finalizers = finalizers;
  return { action: 'mark', obj: { ...cur, metadata } };
}

function planNamespaceDelete(cur: KubeObject, now: Date): DeletePlan {
  const spec = cur.spec as { finalizers?: string[] } | undefined;
  const pending = (spec?.finalizers?.length ?? 0) + (cur.metadata.finalizers?.length ?? 0);
  if (pending === 0) return { action: 'delete' };
  if (cur.metadata.deletionTimestamp) return { action: 'none' };
  return {
    action: 'mark',
    obj: {
      ...cur,
      metadata: { ...cur.metadata, deletionTimestamp: rfc3339(now), deletionGracePeriodSeconds: 0 },
      status: { ...(cur.status as object), phase: 'Terminating' },
    },
  };
}

function gracePeriod(res: ResourceInfo, cur: KubeObject, opts: DeleteOptions): number {
  if (res.plural !== 'pods') return 0;
  const spec = cur.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
  const phase = (cur.status as { phase?: string } | undefined)?.phase;
  // Unbound or finished pods have no kubelet to wait for.
  if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  return Math.max(0, opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30);
}

function withPolicyFinalizer(finalizers: string[], policy: DeleteOptions['propagationPolicy']): string[] {
  const f = policy === 'Orphan' ? 'orphan' : policy === 'Foreground' ? 'foregroundDeletion' : undefined;
  if (!f || finalizers.includes(f)) return finalizers;
  return [...finalizers, f];
}

function sameList(a: string[], b: string[] | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b ?? []);
}

/** After an update: an object marked for deletion whose finalizers are all gone is removed. */
export function shouldRemoveAfterUpdate(res: ResourceInfo, obj: KubeObject): boolean {
  const m = obj.metadata;
  if (!m.deletionTimestamp || (m.finalizers?.length ?? 0) > 0) return false;
  if (res.plural === 'namespaces') return ((obj.spec as { finalizers?: string[] })?.finalizers?.length ?? 0) === 0;
  return (m.deletionGracePeriodSeconds ?? 0) === 0;
}

/** PUT namespaces/NAME/finalize: only spec.finalizers moves. */
export function finalizeNamespace(cur: KubeObject, body: unknown): KubeObject {
  const finalizers = ((body as { spec?: { finalizers?: unknown } } | undefined)?.spec?.finalizers ?? []) as unknown;
  if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string')) {
    throw new StatusError(400, 'BadRequest', 'spec.finalizers must be a list of strings');
  }
  return { ...cur, spec: { ...(cur.spec as object), finalizers } };
}
