// Node port allocation against the stored Services. The used set is derived from the Service
// watch cache (so it survives a restart), plus ports this process handed out that the cache may
// not show yet. Planning and reserving happen in one synchronous step, so concurrent requests to
// this API server never get the same port. (One API server per cluster, as Skiff runs.)
import type { FieldError } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import type { ServiceSpec } from '../api/types/core.js';
import type { WatchCache } from './cache/watch-cache.js';
import { nodePortsOf, planNodePorts, type PortRange } from './nodeport.js';

/** Longer than the cache ever lags behind a write. */
const RESERVE_MS = 60_000;

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

export class NodePortAllocator {
  private readonly reserved = new Map<number, { key: string; until: number }>();

  constructor(
    private readonly range: PortRange,
    private readonly services: WatchCache,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  private used(exceptKey: string): Set<number> {
    const used = new Set<number>();
    for (const e of this.services.list()) {
      if (keyOf(e.obj) !== exceptKey) for (const p of nodePortsOf(e.obj.spec as ServiceSpec)) used.add(p);
    }
    const t = this.now();
    for (const [port, r] of this.reserved) {
      if (r.until < t) this.reserved.delete(port);
      else if (r.key !== exceptKey) used.add(port);
    }
    return used;
  }

  /** Fills or clears next's node ports (old: the stored object on update); errors leave it as is. */
  assign(next: KubeObject, old?: KubeObject): FieldError[] {
    const spec = (next.spec ?? {}) as ServiceSpec;
    const key = keyOf(next);
    const plan = planNodePorts(this.range, spec, old?.spec as ServiceSpec | undefined, this.used(key), this.random);
    if (plan.errors.length) return plan.errors;
    if (spec.ports) next.spec = { ...spec, ports: plan.ports };
    const until = this.now() + RESERVE_MS;
    for (const p of plan.taken) this.reserved.set(p, { key, until });
    // Stored ports stay used through the cache until the write shows there; only our own
    // reservations go now.
    for (const p of plan.released) if (this.reserved.get(p)?.key === key) this.reserved.delete(p);
    return [];
  }

  /** The Service is being deleted: its reservations go (the cache frees its stored ports). */
  release(obj: KubeObject): void {
    const key = keyOf(obj);
    for (const p of nodePortsOf(obj.spec as ServiceSpec)) if (this.reserved.get(p)?.key === key) this.reserved.delete(p);
  }
}
