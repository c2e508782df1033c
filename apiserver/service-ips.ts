// The Service hooks of the resource store: allocate a cluster IP on create, release it on delete;
// node ports on create and update.
import type { KubeObject } from '../api/meta.js';
import type { FieldError } from '../api/errors.js';
import { IP_KEY_PREFIX, pickClusterIP, validateRequestedIP, type Cidr } from './clusterip.js';
import type { ResourceHooks } from './resource-store.js';
import type { WatchCache } from './cache/watch-cache.js';
import type { NodePortAllocator } from './nodeport-allocator.js';

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
}

function allocatedIP(obj: KubeObject): string | undefined {
  const ip = (obj.spec as ServiceSpec | undefined)?.clusterIP;
  return ip && ip !== 'None' ? ip : undefined;
}

export function serviceIPHooks(
  cidr: Cidr,
  services: WatchCache,
  random: () => number = Math.random,
  nodePorts?: NodePortAllocator,
): ResourceHooks {
  // Addresses handed out by this process that the cache may not show yet.
  const recent = new Set<string>();
  return {
    beforeCreate(obj: KubeObject): FieldError[] | { claim: string[] } {
      const portErrs = nodePorts?.assign(obj) ?? [];
      if (portErrs.length) return portErrs;
      const spec = (obj.spec ?? {}) as ServiceSpec;
      if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return { claim: [] };
      let ip = spec.clusterIP;
      if (ip) {
        const err = validateRequestedIP(cidr, ip);
        if (err) return [err];
      } else {
        const used = new Set([...recent, ...services.list().map((e) => allocatedIP(e.obj)).filter((x): x is string => !!x)]);
        ip = pickClusterIP(cidr, used, random);
        if (!ip) return [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: [], detail: `failed to allocate a serviceIP: range is full` }];
        recent.add(ip);
        if (recent.size > 256) recent.delete(recent.values().next().value!);
      }
      obj.spec = { ...spec, clusterIP: ip, clusterIPs: [ip] };
      return { claim: [IP_KEY_PREFIX + ip] };
    },
    beforeUpdate(next: KubeObject, cur: KubeObject): FieldError[] {
      return nodePorts?.assign(next, cur) ?? [];
    },
    keysToRelease(obj: KubeObject): string[] {
      nodePorts?.release(obj);
      const ip = allocatedIP(obj);
      return ip ? [IP_KEY_PREFIX + ip] : [];
    },
  };
}
