// The agent's networking: the service proxy and the host-gw pod routes, on one cluster-wide
// informer factory (Services, Endpoints, Nodes). startNodeNetwork is the agent's hook;
// cleanupNodeNetwork is what `skiff down` runs when the agent could not clean up itself.
import { realClock, type Clock } from '../../client/clock.js';
import { InformerFactory } from '../../client/informer-factory.js';
import type { RestClient } from '../../client/rest.js';
import { RouteController } from '../routes/controller.js';
import { deletePodRoute, listPodRoutes, ROUTE_PROTO } from '../routes/ip-route.js';
import { cidrWithin } from '../../controllers/nodeipam/cidr.js';
import { hostExec, type Exec } from './iptables.js';
import { cleanupProxyRules, ServiceProxy } from './proxier.js';
import { DEFAULT_PROXY_CONFIG, type ProxyConfig } from './rules.js';

export { ServiceProxy, cleanupProxyRules } from './proxier.js';
export { buildProxyRules, DEFAULT_PROXY_CONFIG, type ProxyConfig } from './rules.js';

/** NodeNetworkOptions: what the agent passes; everything but the client has a default. */
export interface NodeNetworkOptions {
  proxy?: Partial<ProxyConfig>;
  /** Install host-gw routes to the other nodes' pod ranges (default true). */
  routes?: boolean;
  /** Route protocol number that marks Skiff's routes (default ROUTE_PROTO). */
  routeProto?: string;
  minSyncPeriodMs?: number;
  /** Run iptables/ip in this network namespace instead of the agent's own (tests). */
  netns?: string;
}

export interface NodeNetwork {
  readonly proxy: ServiceProxy;
  readonly routes?: RouteController;
  stop(): Promise<void>;
}

interface Deps {
  client: RestClient;
  nodeName: string;
  clock?: Clock;
  onError?: (err: unknown, what: string) => void;
}

/** startNodeNetwork starts the proxy and the route controller; rules follow once the informers synced. */
export function startNodeNetwork(opts: NodeNetworkOptions & Deps): NodeNetwork {
  const clock = opts.clock ?? realClock;
  const exec = hostExec(opts.netns);
  const factory = InformerFactory.forClient(opts.client, {}, { clock, onError: (e) => opts.onError?.(e, 'network informers') });
  const proxy = new ServiceProxy({ factory, exec, clock, config: opts.proxy, minSyncPeriodMs: opts.minSyncPeriodMs, onError: opts.onError });
  const routes = opts.routes === false ? undefined : new RouteController({
    factory, exec, clock, nodeName: opts.nodeName, proto: opts.routeProto, within: opts.proxy?.clusterCidr, onError: opts.onError,
  });
  factory.start();
  proxy.start();
  routes?.start();
  return {
    proxy,
    routes,
    async stop() {
      await factory.stop();
      const results = await Promise.allSettled([proxy.stop(), routes?.stop()]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) opts.onError?.(failed.reason, 'clean up node network');
    },
  };
}

/**
 * cleanupNodeNetwork removes Skiff's chains (those with the prefix), the jumps to them and its pod
 * routes (only those inside `within` when given, so another cluster's stay); says what it removed.
 */
export async function cleanupNodeNetwork(o: { exec?: Exec; prefix?: string; proto?: string; within?: string } = {}): Promise<{ chains: boolean; routes: number }> {
  const exec = o.exec ?? hostExec();
  const proto = o.proto ?? ROUTE_PROTO;
  const chains = await cleanupProxyRules(exec, o.prefix ?? DEFAULT_PROXY_CONFIG.prefix);
  const mine = (await listPodRoutes(exec, proto)).filter((r) => !o.within || cidrWithin(r.dst, o.within));
  for (const r of mine) await deletePodRoute(exec, r.dst, proto);
  return { chains, routes: mine.length };
}
