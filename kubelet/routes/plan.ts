// Host-gw pod routes: every other node's podCIDR is reached via that node's InternalIP, so pods
// talk across nodes by their own addresses, without NAT or encapsulation (flannel's host-gw
// backend). Pure functions of the Node list.
import type { Node } from '../../api/types/core.js';

/** PodRoute is one route to another node's pods. */
export interface PodRoute {
  dst: string;
  via: string;
}

/** RouteChanges turn the routes in place into the desired ones. */
export interface RouteChanges {
  replace: PodRoute[];
  remove: string[];
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** internalIP is a node's first IPv4 InternalIP. */
export function internalIP(node: Node): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP' && IPV4.test(a.address))?.address;
}

/** podCidrs are a node's IPv4 pod ranges (spec.podCIDRs, else spec.podCIDR). */
export function podCidrs(node: Node): string[] {
  const all = node.spec?.podCIDRs?.length ? node.spec.podCIDRs : node.spec?.podCIDR ? [node.spec.podCIDR] : [];
  return all.filter((c) => IPV4.test(c.split('/')[0] ?? ''));
}

/**
 * desiredRoutes: one route per podCIDR of every other node that has an InternalIP. Nothing
 * points at this node's own address or replaces its own pod range (the bridge's route), and a
 * range two nodes claim goes to the first by name, so the answer never depends on list order.
 */
export function desiredRoutes(nodes: readonly Node[], self: string): PodRoute[] {
  const me = nodes.find((n) => n.metadata.name === self);
  const myIP = me ? internalIP(me) : undefined;
  const mine = new Set(me ? podCidrs(me) : []);
  const byDst = new Map<string, PodRoute>();
  for (const n of [...nodes].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))) {
    const via = internalIP(n);
    if (n.metadata.name === self || !via || via === myIP) continue;
    for (const dst of podCidrs(n)) if (!mine.has(dst) && !byDst.has(dst)) byDst.set(dst, { dst, via });
  }
  return [...byDst.values()].sort((a, b) => (a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0));
}

/** diffRoutes: routes to add or change, and destinations of ours to drop. */
export function diffRoutes(current: readonly PodRoute[], desired: readonly PodRoute[]): RouteChanges {
  const have = new Map(current.map((r) => [r.dst, r.via]));
  const want = new Set(desired.map((r) => r.dst));
  return {
    replace: desired.filter((r) => have.get(r.dst) !== r.via),
    remove: [...have.keys()].filter((dst) => !want.has(dst)).sort(),
  };
}
