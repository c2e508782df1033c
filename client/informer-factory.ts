// One informer per resource per process, shared by every controller (client-go's SharedInformerFactory).

import type { KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/registry.js';
import { Informer, type InformerOptions } from './informer.js';
import { restListerWatcher, type ListerWatcher, type Selectors } from './lister-watcher.js';
import type { RestClient } from './rest.js';
import type { IndexFunc } from './store.js';

/** ListerWatcherSource builds the ListerWatcher for one resource. */
export type ListerWatcherSource = (res: ResourceInfo) => ListerWatcher;

/** FactoryOptions apply to every informer the factory makes. */
export type FactoryOptions = Omit<InformerOptions<KubeObject>, 'indexers'>;

/** InformerFactory hands out one shared informer per resource and starts them together. */
export class InformerFactory {
  private informers = new Map<string, Informer>();

  constructor(
    private readonly source: ListerWatcherSource,
    private readonly opts: FactoryOptions = {},
  ) {}

  /** forClient builds a factory over a RestClient, optionally limited to a namespace or selectors. */
  static forClient(client: RestClient, sel: Selectors = {}, opts: FactoryOptions = {}): InformerFactory {
    return new InformerFactory((res) => restListerWatcher(client, res, sel), opts);
  }

  /** informerFor returns the process-wide informer for res, adding any indexers asked for. */
  informerFor<T extends KubeObject = KubeObject>(res: ResourceInfo, indexers: Record<string, IndexFunc<T>> = {}): Informer<T> {
    const key = `${res.group}/${res.version}/${res.plural}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer(this.source(res), this.opts);
      this.informers.set(key, inf);
    }
    for (const [name, fn] of Object.entries(indexers)) inf.addIndexer(name, fn as IndexFunc<KubeObject>);
    return inf as unknown as Informer<T>;
  }

  /** start starts every informer requested so far; later ones need another start(). */
  start(): void {
    for (const inf of this.informers.values()) inf.start();
  }

  /** waitForSync resolves true once every informer has synced, false if any was stopped first. */
  async waitForSync(): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
    return results.every(Boolean);
  }

  /** stop stops every informer. */
  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
