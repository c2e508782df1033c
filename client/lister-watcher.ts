// The narrow interface an informer needs from the API, and its adapter over RestClient.

import type { KubeList, KubeObject, WatchEvent } from '../api/meta.js';
import type { ResourceInfo } from '../api/registry.js';
import type { RestClient } from './rest.js';

/** LwListOptions: an absent resourceVersion asks for the most recent (consistent) state. */
export interface LwListOptions {
  resourceVersion?: string;
}

/** LwWatchOptions: watch for changes strictly after resourceVersion until the signal aborts. */
export interface LwWatchOptions {
  resourceVersion: string;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  signal: AbortSignal;
}

/** ListerWatcher lists a collection and watches it; errors are StatusErrors. */
export interface ListerWatcher<T extends KubeObject = KubeObject> {
  list(opts: LwListOptions): Promise<KubeList<T>>;
  watch(opts: LwWatchOptions): AsyncIterable<WatchEvent<T>>;
}

/** Selectors narrow what a ListerWatcher sees. */
export interface Selectors {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** PAGE_SIZE is the list chunk size, as client-go's pager uses. */
const PAGE_SIZE = 500;

/** restListerWatcher lists (following continue tokens) and watches res through client. */
export function restListerWatcher<T extends KubeObject = KubeObject>(
  client: RestClient,
  res: ResourceInfo,
  sel: Selectors = {},
): ListerWatcher<T> {
  const { namespace, labelSelector, fieldSelector } = sel;
  return {
    list: (opts) => client.listAll<T>(res, namespace, { labelSelector, fieldSelector, limit: PAGE_SIZE, ...opts }),
    watch: (opts) => client.watch<T>(res, namespace, { labelSelector, fieldSelector, ...opts }),
  };
}
