// The owner graph, kept as indexes on the shared informers of every kind the server serves:
// objects by uid and dependents by owner uid. Upstream keeps an explicit graph fed by its own
// monitors; indexes over the shared caches give the same lookups without a second copy.
import { objectKey, type KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/registry.js';
import type { EventHandlers, Informer } from '../../client/informer.js';
import type { InformerFactory } from '../../client/informer-factory.js';

const UID_INDEX = 'gc-uid';
const OWNER_INDEX = 'gc-owner-uid';

/** Node is an object with the resource it belongs to. */
export interface Node {
  res: ResourceInfo;
  obj: KubeObject;
}

/** itemKey names an object across kinds: `plural.group|namespace/name`. */
export function itemKey(res: ResourceInfo, obj: KubeObject): string {
  return `${res.plural}.${res.group}|${objectKey(obj)}`;
}

/** OwnerGraph answers who owns what from the informer caches. */
export class OwnerGraph {
  private readonly byResource = new Map<string, { res: ResourceInfo; inf: Informer }>();

  constructor(factory: InformerFactory, resources: readonly ResourceInfo[]) {
    for (const res of resources) {
      const inf = factory.informerFor(res, {
        [UID_INDEX]: (o) => (o.metadata.uid ? [o.metadata.uid] : []),
        [OWNER_INDEX]: (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid),
      });
      this.byResource.set(`${res.plural}.${res.group}`, { res, inf });
    }
  }

  /** addEventHandler registers handlers (given the resource too) on every informer. */
  addEventHandler(make: (res: ResourceInfo) => EventHandlers<KubeObject>): void {
    for (const { res, inf } of this.byResource.values()) inf.addEventHandler(make(res));
  }

  /** get returns the cached object an itemKey names. */
  get(key: string): Node | undefined {
    const bar = key.indexOf('|');
    const entry = this.byResource.get(key.slice(0, bar));
    const obj = entry?.inf.lister.get(key.slice(bar + 1));
    return entry && obj ? { res: entry.res, obj } : undefined;
  }

  /** byUid finds the cached object with this uid, of any kind. */
  byUid(uid: string): Node | undefined {
    for (const { res, inf } of this.byResource.values()) {
      const obj = inf.lister.byIndex(UID_INDEX, uid)[0];
      if (obj) return { res, obj };
    }
    return undefined;
  }

  /** dependentsOf lists cached objects with an ownerReference to uid. */
  dependentsOf(uid: string): Node[] {
    const out: Node[] = [];
    for (const { res, inf } of this.byResource.values()) {
      for (const obj of inf.lister.byIndex(OWNER_INDEX, uid)) out.push({ res, obj });
    }
    return out;
  }
}
