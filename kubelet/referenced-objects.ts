// The ConfigMaps and Secrets this node's pods reference, each watched on its own (upstream's
// watch-based configmap/secret manager, configMapAndSecretChangeDetectionStrategy "Watch"):
// one informer per referenced object, listing and watching with fieldSelector metadata.name=X
// in its namespace, so the node reads only what its pods use (the node authorizer's rule) and a
// change reaches the pods that use it at once instead of at the next resync.
//
// Reference counting is by pod UID: a pod registers what it uses before it is synced, and the
// last pod to let go of an object stops its watch. If the API server refuses the list or watch
// (403: an authorizer that grants nodes only `get` on these objects), that object falls back to a
// GET on every read (upstream's "Get" strategy) and its changes are seen at the next resync; so do
// the objects of that kind registered later (one refusal, one report, until the agent restarts).

import { StatusError } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import type { ConfigMap, Secret } from '../api/types/core.js';
import type { Pod } from '../api/types/pod.js';
import { delay, type Clock } from '../client/clock.js';
import { Informer } from '../client/informer.js';
import { restListerWatcher, type ListerWatcher } from '../client/lister-watcher.js';
import type { RestClient } from '../client/rest.js';
import { referencedNames } from './env.js';
import { referencedVolumeObjects } from './volumes.js';

export type ObjectKind = 'configmaps' | 'secrets';

const RESOURCES = { configmaps: mustResource('configmaps'), secrets: mustResource('secrets') };

/** How long a read waits for a new object's first list before it asks the API server directly. */
const SYNC_WAIT_MS = 5000;

/** ReferencedObjectsOptions; lw is replaceable for tests (default: the REST client). */
export interface ReferencedObjectsOptions {
  client: RestClient;
  clock: Clock;
  /** Told the UIDs of the pods that use an object that changed (never for an object's first list). */
  onChange(podUids: string[]): void;
  onError?(err: unknown, what: string): void;
  lw?: (kind: ObjectKind, namespace: string, name: string) => ListerWatcher;
}

interface Entry {
  kind: ObjectKind;
  namespace: string;
  name: string;
  pods: Set<string>;
  informer: Informer;
  /** The API server refused the watch: every read is a GET. */
  getOnly: boolean;
}

/** podObjectRefs lists every ConfigMap and Secret a pod reads (volumes, env, envFrom), as `kind/name`. */
export function podObjectRefs(pod: Pod): { kind: ObjectKind; name: string }[] {
  const refs = new Map<string, { kind: ObjectKind; name: string }>();
  const add = (kind: ObjectKind, names: string[]) => names.forEach((name) => refs.set(`${kind}/${name}`, { kind, name }));
  const vol = referencedVolumeObjects(pod);
  add('configmaps', vol.configMaps);
  add('secrets', vol.secrets);
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    const env = referencedNames(c);
    add('configmaps', env.configMaps);
    add('secrets', env.secrets);
  }
  return [...refs.values()];
}

/** ReferencedObjects keeps one watch per ConfigMap or Secret that a pod on this node uses. */
export class ReferencedObjects {
  private readonly entries = new Map<string, Entry>();
  private readonly byPod = new Map<string, string[]>();
  private readonly refused = new Set<ObjectKind>();
  private stopped = false;

  constructor(private readonly o: ReferencedObjectsOptions) {}

  /** setPod records what the pod uses now, starting watches for new objects and ending unused ones. */
  setPod(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const ns = pod.metadata.namespace ?? 'default';
    const keys = podObjectRefs(pod).map((r) => entryKey(r.kind, ns, r.name));
    const before = this.byPod.get(uid) ?? [];
    if (sameKeys(before, keys)) return;
    for (const k of keys) this.entry(k).pods.add(uid);
    this.byPod.set(uid, keys);
    for (const k of before) if (!keys.includes(k)) this.release(k, uid);
  }

  /** removePod lets go of everything the pod used. */
  removePod(uid: string): void {
    for (const k of this.byPod.get(uid) ?? []) this.release(k, uid);
    this.byPod.delete(uid);
  }

  /** configMap returns the ConfigMap, or undefined when it does not exist. */
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return this.get('configmaps', namespace, name) as Promise<ConfigMap | undefined>;
  }

  secret(namespace: string, name: string): Promise<Secret | undefined> {
    return this.get('secrets', namespace, name) as Promise<Secret | undefined>;
  }

  /** watching is how many objects have a live watch (for tests and figures). */
  get watching(): number {
    return [...this.entries.values()].filter((e) => !e.getOnly).length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.informer.stop()));
  }

  /**
   * get reads an object from its watch's cache once that has listed; an object no pod registered
   * (or one whose watch is refused or slow to list) is read from the API server.
   */
  private async get(kind: ObjectKind, namespace: string, name: string): Promise<KubeObject | undefined> {
    const e = this.entries.get(entryKey(kind, namespace, name));
    if (e && !e.getOnly && (e.informer.hasSynced() || (await this.waitSynced(e)))) return e.informer.store.getByName(namespace, name);
    return this.fetch(kind, namespace, name);
  }

  private async waitSynced(e: Entry): Promise<boolean> {
    const abort = new AbortController();
    const timeout = delay(this.o.clock, SYNC_WAIT_MS, abort.signal).then(() => false);
    const synced = await Promise.race([e.informer.waitForSync(), timeout]);
    abort.abort();
    return synced;
  }

  private async fetch(kind: ObjectKind, namespace: string, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.o.client.get(RESOURCES[kind], namespace, name);
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return undefined;
      throw err;
    }
  }

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (e) return e;
    const [kind, namespace, name] = splitKey(key);
    const lw = this.o.lw?.(kind, namespace, name) ?? restListerWatcher(this.o.client, RESOURCES[kind], { namespace, fieldSelector: `metadata.name=${name}` });
    const informer = new Informer(lw, { clock: this.o.clock, onError: (err) => this.watchFailed(key, err) });
    e = { kind, namespace, name, pods: new Set(), informer, getOnly: this.refused.has(kind) };
    const changed = () => {
      if (informer.hasSynced()) this.o.onChange([...(this.entries.get(key)?.pods ?? [])]);
    };
    informer.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
    this.entries.set(key, e);
    if (!this.stopped && !e.getOnly) informer.start();
    return e;
  }

  // A 403 will not go away by retrying: stop the watch and read this object with GETs instead.
  private watchFailed(key: string, err: unknown): void {
    const e = this.entries.get(key);
    if (e && err instanceof StatusError && err.code === 403) {
      if (!this.refused.has(e.kind)) this.o.onError?.(err, `watch of ${e.kind} ${e.namespace}/${e.name} refused; reading ${e.kind} with GET on every sync`);
      this.refused.add(e.kind);
      e.getOnly = true;
      void e.informer.stop();
      return;
    }
    this.o.onError?.(err, `watch ${key}`);
  }

  private release(key: string, uid: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    e.pods.delete(uid);
    if (e.pods.size > 0) return;
    this.entries.delete(key);
    void e.informer.stop();
  }
}

function entryKey(kind: ObjectKind, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function splitKey(key: string): [ObjectKind, string, string] {
  const [kind, namespace, ...rest] = key.split('/');
  return [kind as ObjectKind, namespace ?? '', rest.join('/')];
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
