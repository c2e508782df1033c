// startClusterDns: the node's cluster DNS server, run by the agent. Services and Endpoints come
// from shared informers (cluster-wide, unlike the agent's pod informer which sees only its node);
// the zone is computed per query from their stores; the rest goes to the host's resolvers.
//
// Where it listens, and why: on 169.254.20.10, a link-local address the agent puts on a dummy
// link of its own node (upstream's NodeLocal DNSCache address and technique). Every node uses
// the same address, so every pod's resolv.conf is the same; a pod reaches it through its
// default route to its node, so queries never leave the node and need neither the service proxy
// nor routes to other nodes, nor a bridge that exists only once the first pod runs (the CNI
// bridge's gateway IP would). Nodes joined in their own network namespaces each get their own
// link. The cost: root to add the link, and a node whose agent is down has no DNS for its pods.

import type { Clock } from '../../client/clock.js';
import { realClock } from '../../client/clock.js';
import { InformerFactory } from '../../client/informer-factory.js';
import type { RestClient } from '../../client/rest.js';
import { mustResource } from '../../api/registry.js';
import { newForwarder, parseUpstream } from './forward.js';
import { ensureDnsLink, removeDnsAddress } from './link.js';
import { DEFAULT_ZONE, ENDPOINT_IP_INDEX, endpointIpIndex, lookup, SERVICE_IP_INDEX, serviceIpIndex, type EndpointsObject, type ServiceObject } from './records.js';
import { upstreamServers, type DnsConfig, type PodDnsSettings } from './resolv-conf.js';
import { listenDns, newResponder } from './server.js';

/** NODE_LOCAL_DNS is the address pods use as their nameserver on every node. */
export const NODE_LOCAL_DNS = '169.254.20.10';
/** DNS_LINK is the dummy link that carries it. */
export const DNS_LINK = 'skiff-dns';

/** ClusterDnsOptions configure the node's DNS server; every field has a default. */
export interface ClusterDnsOptions {
  /** Cluster domain (default cluster.local). */
  domain?: string;
  /** Listen address, and the nameserver pods get (default 169.254.20.10). */
  address?: string;
  /** Port (default 53; pods' resolv.conf cannot name another, so other ports are for tests). */
  port?: number;
  /** Dummy link to put the address on (default skiff-dns for the default address, else none). */
  link?: string | false;
  /** Resolvers for other names, `ip[:port]` (default: the host's resolv.conf, minus this server). */
  upstreams?: string[];
  /** How long each upstream gets to answer (default 2 s). */
  forwardTimeoutMs?: number;
  /** TTL of cluster records (default 5 s, as CoreDNS). */
  ttl?: number;
}

/** ClusterDns is the running server. */
export interface ClusterDns {
  readonly address: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** podDnsSettings: what pods on this node are told; no cluster DNS server → the host's resolvers. */
export function podDnsSettings(o: ClusterDnsOptions | undefined, host: DnsConfig): PodDnsSettings {
  return { clusterDomain: o?.domain ?? DEFAULT_ZONE.domain, clusterDns: o ? [o.address ?? NODE_LOCAL_DNS] : [], host };
}

export interface ClusterDnsDeps {
  client: RestClient;
  /** The host's resolv.conf, parsed (kubelet/dns/host.ts readHostDns). */
  host: DnsConfig;
  clock?: Clock;
  onError?: (err: unknown, what: string) => void;
}

/** startClusterDns syncs the informers, then listens; resolves once it answers. */
export async function startClusterDns(o: ClusterDnsOptions, deps: ClusterDnsDeps): Promise<ClusterDns> {
  const clock = deps.clock ?? realClock;
  const report = (what: string) => (err: unknown) => deps.onError?.(err, what);
  const address = o.address ?? NODE_LOCAL_DNS;
  const link = o.link ?? (address === NODE_LOCAL_DNS ? DNS_LINK : false);
  const factory = InformerFactory.forClient(deps.client, {}, { clock, onError: report('cluster DNS informer') });
  const services = factory.informerFor<ServiceObject>(mustResource('services'), { [SERVICE_IP_INDEX]: serviceIpIndex });
  const endpoints = factory.informerFor<EndpointsObject>(mustResource('endpoints'), { [ENDPOINT_IP_INDEX]: endpointIpIndex });
  // The SOA serial changes with the data, as CoreDNS's does.
  const zone = { ...DEFAULT_ZONE, domain: o.domain ?? DEFAULT_ZONE.domain, ttl: o.ttl ?? DEFAULT_ZONE.ttl, serial: Math.floor(clock.now() / 1000) };
  const bump = () => void (zone.serial = Math.max(zone.serial + 1, Math.floor(clock.now() / 1000)));
  for (const inf of [services, endpoints]) inf.addEventHandler({ onAdd: bump, onUpdate: bump, onDelete: bump });
  factory.start();
  // The address belongs to whoever listens on it: a failed start removes it only if it added it.
  let added = false;
  try {
    await factory.waitForSync();
    if (link) added = await ensureDnsLink(link, address);
    const upstreams = (o.upstreams ?? upstreamServers(deps.host, [address])).map(parseUpstream);
    const respond = newResponder((q) => lookup(q, { services: services.store, endpoints: endpoints.store }, zone), newForwarder(upstreams, o.forwardTimeoutMs ?? 2000));
    const server = await listenDns(address, o.port ?? 53, respond, report('cluster DNS')).catch((err: NodeJS.ErrnoException) => {
      const hint = err.code === 'EADDRINUSE' ? ' (another agent on this host? give each its own DNS address, or disable cluster DNS)' : '';
      throw new Error(`cluster DNS cannot listen on ${address}:${o.port ?? 53}: ${err.message}${hint}`);
    });
    return {
      address,
      port: server.port,
      stop: async () => {
        await server.close();
        await factory.stop();
        if (link) await removeDnsAddress(link, address).catch(report('remove DNS link'));
      },
    };
  } catch (err) {
    await factory.stop();
    if (link && added) await removeDnsAddress(link, address).catch(() => undefined);
    throw err;
  }
}
