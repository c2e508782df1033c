// The edge to the kernel's routing table: `ip route` on routes carrying Skiff's own protocol
// number, so listing, replacing and deleting never touch a route somebody else made.
import { hostExec, type Exec } from '../proxy/iptables.js';
import type { PodRoute } from './plan.js';

/** ROUTE_PROTO marks Skiff's pod routes (`proto 214`); any number iproute2 does not reserve would do. */
export const ROUTE_PROTO = '214';

async function ip(exec: Exec, args: string[]): Promise<string> {
  const r = await exec('ip', args);
  if (r.code !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout;
}

/** listPodRoutes is every IPv4 route in the main table with Skiff's protocol. */
export async function listPodRoutes(exec: Exec = hostExec(), proto = ROUTE_PROTO): Promise<PodRoute[]> {
  const out = await ip(exec, ['-j', '-4', 'route', 'show', 'table', 'main', 'proto', proto]);
  const rows = JSON.parse(out.trim() || '[]') as { dst: string; gateway?: string }[];
  return rows.map((r) => ({ dst: r.dst.includes('/') ? r.dst : `${r.dst}/32`, via: r.gateway ?? '' }));
}

/** replacePodRoute adds or changes the route to dst. */
export async function replacePodRoute(exec: Exec, r: PodRoute, proto = ROUTE_PROTO): Promise<void> {
  await ip(exec, ['route', 'replace', r.dst, 'via', r.via, 'proto', proto]);
}

/** deletePodRoute removes our route to dst (only if it carries our protocol). */
export async function deletePodRoute(exec: Exec, dst: string, proto = ROUTE_PROTO): Promise<void> {
  await ip(exec, ['route', 'del', dst, 'proto', proto]);
}

/** removeAllPodRoutes deletes every route with our protocol; returns how many. */
export async function removeAllPodRoutes(exec: Exec = hostExec(), proto = ROUTE_PROTO): Promise<number> {
  const routes = await listPodRoutes(exec, proto);
  for (const r of routes) await deletePodRoute(exec, r.dst, proto);
  return routes.length;
}
