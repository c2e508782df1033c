// The REST semantics of one resource over its etcd Store and WatchCache: keys, admission of
// bodies (decode, unknown fields, defaults, validation), create/get/list/update/patch/delete/
// watch with upstream's preconditions, paging and graceful deletion.
import { randomUUID } from 'node:crypto';
import type { KubeObject, KubeList } from '../api/meta.js';
import type { ResourceInfo } from '../api/registry.js';
import { groupVersion } from '../api/registry.js';
import {
  StatusError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  OBJECT_MODIFIED,
  type FieldError,
  type GroupResource,
} from '../api/errors.js';
import { applyDefaults, decodeError, unknownFields, validateCreate, validateUpdate } from '../api/validate.js';
import { parseSelector } from '../api/labels.js';
import { parseFieldSelector, selectableFields, validateFieldSelector } from '../api/fields.js';
import { AlreadyExistsInStore, type Store } from './storage/store.js';
import type { WatchCache } from './cache/watch-cache.js';
import type { CacheWatcher, WatchSink } from './cache/cache-watcher.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { pruneFields } from './prune.js';
import { recordUpdate } from './apply/index.js';
import {
  generateName,
  planDelete,
  prepareForCreate,
  prepareForStatusUpdate,
  prepareForUpdate,
  shouldRemoveAfterUpdate,
  type DeleteOptions,
} from './strategy.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  /** Filled with Warning header texts. */
  warnings?: string[];
  /** The field manager the write is recorded under in managedFields (none: not recorded). */
  fieldManager?: string;
  /** managedFields were already computed (server-side apply): do not record an Update on top. */
  managedFieldsSet?: boolean;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface ListResult {
  /** Serialized items, so cached objects are not re-serialized for every list. */
  items: { obj: KubeObject; buf?: Buffer }[];
  resourceVersion: string;
  continue?: string;
}

export interface ResourceStoreDeps {
  store: Store;
  cache: WatchCache;
  now: () => Date;
  /** Looks up a namespace for the existence / terminating check. */
  namespaceOf: (name: string) => Promise<KubeObject | undefined>;
  /** The same from the namespaces watch cache, without I/O. */
  cachedNamespace?: (name: string) => KubeObject | undefined;
  /** Kind-specific hooks run inside create and delete (e.g. cluster IP allocation). */
  hooks?: ResourceHooks;
}

export interface ResourceHooks {
  /** Returns extra etcd keys to claim atomically with the create. */
  beforeCreate?(obj: KubeObject): FieldError[] | { claim: string[] };
  /** May fill in next (e.g. node ports) before validation. */
  beforeUpdate?(next: KubeObject, cur: KubeObject): FieldError[];
  keysToRelease?(obj: KubeObject): string[];
  /** Runs once delete has marked obj for deletion or removed it. */
  afterDelete?(obj: KubeObject): void;
}

const CACHE_WAIT_MS = 3000;

export class ResourceStore {
  readonly gr: GroupResource;

  constructor(
    readonly res: ResourceInfo,
    private readonly deps: ResourceStoreDeps,
  ) {
    this.gr = { group: res.group, resource: res.plural };
  }

  get cache(): WatchCache {
    return this.deps.cache;
  }

  prefix(namespace?: string): string {
    const base = `/registry/${this.res.plural}/`;
    return this.res.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  key(namespace: string | undefined, name: string): string {
    return this.res.namespaced ? `${this.prefix()}${namespace}/${name}` : `${this.prefix()}${name}`;
  }

  notFound(name: string): StatusError {
    return notFound(this.gr, name);
  }

  /** Checks kind/apiVersion/namespace of a body and applies fieldValidation; returns a pruned copy. */
  admit(body: unknown, namespace: string | undefined, opts: WriteOptions): KubeObject {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw badRequest(`the body of the request must be a ${this.res.kind} object`);
    }
    const obj = structuredClone(body) as KubeObject;
    const gv = groupVersion(this.res);
    if (obj.kind !== undefined && obj.kind !== this.res.kind) {
      throw badRequest(`the kind of the object (${String(obj.kind)}) does not match the kind on the URL (${this.res.kind})`);
    }
    if (obj.apiVersion !== undefined && obj.apiVersion !== gv) {
      throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${gv})`);
    }
    obj.apiVersion = gv;
    obj.kind = this.res.kind;
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    const decodeMsg = decodeError(this.res, obj);
    if (decodeMsg) throw badRequest(decodeMsg);
    this.checkUnknownFields(obj, opts);
    this.checkNamespace(obj, namespace);
    return obj;
  }

  private checkUnknownFields(obj: KubeObject, opts: WriteOptions): void {
    const unknown = unknownFields(this.res, obj);
    if (unknown.length === 0) return;
    const texts = unknown.map((f: string) => `unknown field "${f}"`);
    if (opts.fieldValidation === 'Strict') {
      throw badRequest(
        `${this.res.kind} in version "${this.res.version}" cannot be handled as a ${this.res.kind}: strict decoding error: ${texts.join(', ')}`,
      );
    }
    if (opts.fieldValidation !== 'Ignore') opts.warnings?.push(...texts);
    pruneFields(obj, unknown);
  }

  private checkNamespace(obj: KubeObject, namespace: string | undefined): void {
    if (!this.res.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (namespace) obj.metadata.namespace = namespace;
  }

  private async checkNamespaceUsable(namespace: string | undefined, name: string): Promise<void> {
    if (!this.res.namespaced) return;
    // The namespaces cache answers almost always; only a miss (maybe just created) goes to etcd.
    const ns = this.deps.cachedNamespace?.(namespace!) ?? (await this.deps.namespaceOf(namespace!));
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace!);
    if (ns.metadata.deletionTimestamp) {
      throw forbidden(
        `${this.res.plural}${this.res.group ? '.' + this.res.group : ''} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private invalid(name: string, errs: FieldError[]): StatusError {
    return invalid(this.res.group, this.res.kind, name, errs);
  }

  async create(namespace: string | undefined, body: unknown, opts: WriteOptions = {}): Promise<KubeObject> {
    const obj = this.admit(body, namespace, opts);
    if (obj.metadata.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = generateName(obj.metadata.generateName, Math.random);
    }
    const prepared = prepareForCreate(this.res, obj, randomUUID(), this.deps.now());
    applyDefaults(this.res, prepared);
    const name = prepared.metadata.name ?? '';
    const errs = validateCreate(this.res, prepared);
    if (errs.length) throw this.invalid(name, errs);
    this.recordManager(undefined, prepared, opts);
    await this.checkNamespaceUsable(prepared.metadata.namespace, name);
    const hook = this.deps.hooks?.beforeCreate?.(prepared);
    if (Array.isArray(hook) && hook.length) throw this.invalid(name, hook);
    const claim = hook && !Array.isArray(hook) ? hook.claim : [];
    if (opts.dryRun) return prepared;
    try {
      return await this.deps.store.create(this.key(prepared.metadata.namespace, name), prepared, name, claim);
    } catch (err) {
      if (err instanceof AlreadyExistsInStore) throw await this.createConflict(prepared, name, claim);
      throw err;
    }
  }

  /** Tells "name taken" from "a claimed key (e.g. the cluster IP) taken". */
  private async createConflict(obj: KubeObject, name: string, claim: string[]): Promise<StatusError> {
    const existing = await this.deps.store.get(this.key(obj.metadata.namespace, name));
    if (existing || claim.length === 0) return alreadyExists(this.gr, name);
    return this.invalid(name, [
      { type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: (obj.spec as { clusterIPs?: string[] })?.clusterIPs, detail: 'failed to allocate IP: provided IP is already allocated' },
    ]);
  }

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.deps.store.get(this.key(namespace, name));
    if (!obj) throw this.notFound(name);
    return obj;
  }

  async list(namespace: string | undefined, opts: ListOptions): Promise<ListResult> {
    const filter = this.filterFor(opts.labelSelector, opts.fieldSelector);
    const rv = opts.resourceVersion;
    if (opts.continue) return this.listFromEtcd(namespace, opts, filter);
    if (rv === '0' || (rv && rv !== '')) return this.listFromCache(namespace, opts, filter);
    return this.listFromEtcd(namespace, opts, filter);
  }

  /** A matcher for label and field selectors; throws 400 on bad syntax or unsupported fields. */
  filterFor(labelSelector?: string, fieldSelector?: string): (obj: KubeObject) => boolean {
    const labels = labelSelector ? parseSelector(labelSelector) : undefined;
    const fields = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
    if (fields) validateFieldSelector(this.res.plural, fields);
    if (!labels && !fields) return () => true;
    return (obj) =>
      (!labels || labels.matches(obj.metadata.labels)) &&
      (!fields || fields.matches(selectableFields(this.res.plural, obj)));
  }

  private async listFromEtcd(
    namespace: string | undefined,
    opts: ListOptions,
    filter: (obj: KubeObject) => boolean,
  ): Promise<ListResult> {
    const prefix = this.prefix(namespace);
    const token = opts.continue ? decodeContinue(opts.continue) : undefined;
    const page = await this.deps.store.list(prefix, {
      revision: token?.rv,
      after: token ? prefix + token.start : undefined,
      limit: opts.limit,
      filter,
    });
    const result: ListResult = { items: page.items.map((obj) => ({ obj })), resourceVersion: String(page.revision) };
    if (page.lastKey) result.continue = encodeContinue({ rv: page.revision, start: page.lastKey.slice(prefix.length) });
    return result;
  }

  private async listFromCache(
    namespace: string | undefined,
    opts: ListOptions,
    filter: (obj: KubeObject) => boolean,
  ): Promise<ListResult> {
    const cache = this.deps.cache;
    const rv = Number(opts.resourceVersion);
    if (rv > 0 && !(await cache.waitForRevision(rv, CACHE_WAIT_MS))) {
      throw new StatusError(504, 'Timeout', `Too large resource version: ${rv}, current: ${cache.revision}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      });
    }
    const entries =
      namespace && this.res.namespaced ? cache.list({ name: 'namespace', value: namespace }) : cache.list();
    const items = entries.filter((e) => filter(e.obj)).map((e) => ({ obj: e.obj, buf: (e.buf ??= Buffer.from(e.json)) }));
    return { items, resourceVersion: String(cache.revision) };
  }

  /** PUT: replace the object (or its status), guarded by the body's resourceVersion when given. */
  async update(
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions & { subresource?: 'status' } = {},
  ): Promise<KubeObject> {
    const next = this.admit(body, namespace, opts);
    if (next.metadata.name !== undefined && next.metadata.name !== name) {
      throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
    }
    next.metadata.name = name;
    return this.guaranteedUpdate(namespace, name, (cur) => {
      checkPreconditions(this.gr, name, next.metadata.resourceVersion, next.metadata.uid, cur);
      return next;
    }, opts);
  }

  /**
   * The shared update path: mutate(cur) gives the requested object; the strategy keeps system
   * fields, defaults and validation run, and an object whose last finalizer went is removed.
   */
  async guaranteedUpdate(
    namespace: string | undefined,
    name: string,
    mutate: (cur: KubeObject) => KubeObject | Promise<KubeObject>,
    /** 'internal': mutate is the server's own change (a binding), stored as it returns it. */
    opts: WriteOptions & { subresource?: 'status' | 'internal' } = {},
  ): Promise<KubeObject> {
    const key = this.key(namespace, name);
    const updated = await this.deps.store.guaranteedUpdate(
      key,
      name,
      async (cur) => {
        const requested = await mutate(structuredClone(cur));
        if (opts.subresource === 'internal') return requested;
        // Defaults first, so a body that omits defaulted fields is not a spec change.
        applyDefaults(this.res, requested);
        const next =
          opts.subresource === 'status'
            ? prepareForStatusUpdate(requested, cur)
            : prepareForUpdate(this.res, requested, cur);
        const hookErrs = opts.subresource === 'status' || opts.dryRun ? [] : (this.deps.hooks?.beforeUpdate?.(next, cur) ?? []);
        if (hookErrs.length) throw this.invalid(name, hookErrs);
        const errs = validateUpdate(this.res, next, cur);
        if (errs.length) throw this.invalid(name, errs);
        return this.recordManager(cur, next, opts);
      },
      { dryRun: opts.dryRun, notFound: () => this.notFound(name), cached: this.deps.cache.get(key)?.obj },
    );
    if (!opts.dryRun && shouldRemoveAfterUpdate(this.res, updated)) {
      await this.deps.store.deleteAt(key, Number(updated.metadata.resourceVersion), this.keysToRelease(updated));
    }
    return updated;
  }

  /** managedFields for an ordinary write, as upstream's field manager records them. */
  private recordManager(
    cur: KubeObject | undefined,
    next: KubeObject,
    opts: WriteOptions & { subresource?: 'status' | 'internal' },
  ): KubeObject {
    if (!opts.fieldManager || opts.managedFieldsSet) return next;
    const recorded = recordUpdate(cur, next, {
      manager: opts.fieldManager,
      apiVersion: groupVersion(this.res),
      now: this.deps.now().toISOString(),
      subresource: opts.subresource === 'status' ? 'status' : undefined,
    }) as KubeObject;
    if (cur === undefined) Object.assign(next, recorded);
    return recorded;
  }

  private keysToRelease(obj: KubeObject): string[] {
    return this.deps.hooks?.keysToRelease?.(obj) ?? [];
  }

  /**
   * DELETE. Returns the object as it now stands: removed (deleted: true) or marked for
   * deletion (graceful pods, finalizers, terminating namespaces).
   */
  async delete(
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions & { dryRun?: boolean } = {},
  ): Promise<{ obj: KubeObject; deleted: boolean }> {
    const key = this.key(namespace, name);
    for (let attempt = 0; attempt < 16; attempt++) {
      const cur = await this.deps.store.get(key);
      if (!cur) throw this.notFound(name);
      checkPreconditions(this.gr, name, opts.preconditions?.resourceVersion, opts.preconditions?.uid, cur, true);
      const plan = planDelete(this.res, cur, opts, this.deps.now());
      if (plan.action === 'none' || opts.dryRun) return { obj: cur, deleted: plan.action === 'delete' };
      if (plan.action === 'delete') {
        const rev = await this.deps.store.deleteAt(key, Number(cur.metadata.resourceVersion), this.keysToRelease(cur));
        if (rev === undefined) continue;
        this.deps.hooks?.afterDelete?.(cur);
        return { obj: withRv(cur, rev), deleted: true };
      }
      const marked = await this.tryWrite(key, cur, plan.obj);
      if (marked) {
        this.deps.hooks?.afterDelete?.(marked);
        return { obj: marked, deleted: false };
      }
    }
    throw conflict(this.gr, name, OBJECT_MODIFIED);
  }

  /** One compare-and-swap write of obj over cur; undefined when cur moved. */
  private async tryWrite(key: string, cur: KubeObject, obj: KubeObject): Promise<KubeObject | undefined> {
    let first = true;
    try {
      return await this.deps.store.guaranteedUpdate(
        key,
        obj.metadata.name ?? '',
        (latest) => {
          if (!first || latest.metadata.resourceVersion !== cur.metadata.resourceVersion) throw new Moved();
          first = false;
          return obj;
        },
        { notFound: () => this.notFound(obj.metadata.name ?? '') },
      );
    } catch (err) {
      if (err instanceof Moved) return undefined;
      throw err;
    }
  }

  async deleteCollection(
    namespace: string | undefined,
    listOpts: ListOptions,
    opts: DeleteOptions & { dryRun?: boolean },
  ): Promise<KubeObject[]> {
    const { items } = await this.list(namespace, { ...listOpts, limit: undefined, continue: undefined });
    const out: KubeObject[] = [];
    for (const { obj } of items) {
      try {
        out.push((await this.delete(obj.metadata.namespace, obj.metadata.name!, opts)).obj);
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
      }
    }
    return out;
  }

  /** Starts a watch from the cache, or from etcd for a resourceVersion older than the cache's window. */
  async watch(
    namespace: string | undefined,
    opts: { resourceVersion?: string; labelSelector?: string; fieldSelector?: string; bookmarks: boolean },
    sink: WatchSink,
  ): Promise<CacheWatcher> {
    const selectorFilter = this.filterFor(opts.labelSelector, opts.fieldSelector);
    const filter =
      namespace && this.res.namespaced
        ? (o: KubeObject) => o.metadata.namespace === namespace && selectorFilter(o)
        : selectorFilter;
    const req = { resourceVersion: opts.resourceVersion, filter, sink, bookmarks: opts.bookmarks };
    const rv = Number(opts.resourceVersion);
    if (opts.resourceVersion && !(rv >= 0)) throw badRequest(`invalid resource version: ${opts.resourceVersion}`);
    if (rv > this.deps.cache.revision) await this.deps.cache.waitForRevision(rv, CACHE_WAIT_MS);
    return this.deps.cache.watch(req) ?? this.deps.cache.watchFromEtcd(req);
  }

  toList(result: ListResult): KubeList {
    return {
      apiVersion: groupVersion(this.res),
      kind: this.res.listKind,
      metadata: { resourceVersion: result.resourceVersion, ...(result.continue ? { continue: result.continue } : {}) },
      items: result.items.map((i) => i.obj),
    };
  }
}

class Moved extends Error {}

function withRv(obj: KubeObject, rev: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } };
}

/** Upstream's update/delete preconditions: a stale resourceVersion or another uid is a 409. */
export function checkPreconditions(
  gr: GroupResource,
  name: string,
  resourceVersion: string | undefined,
  uid: string | undefined,
  cur: KubeObject,
  isDelete = false,
): void {
  if (uid && uid !== cur.metadata.uid) {
    throw conflict(gr, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${cur.metadata.uid}`);
  }
  if (resourceVersion && resourceVersion !== cur.metadata.resourceVersion) {
    const why = isDelete
      ? `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`
      : OBJECT_MODIFIED;
    throw conflict(gr, name, why);
  }
}
