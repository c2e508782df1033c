// Pods' DNS settings, after upstream's pkg/kubelet/network/dns (GetPodDNS): the dnsPolicy picks a
// base (the cluster DNS server with the cluster search path, or the host's resolvers), then
// pod.spec.dnsConfig is merged in and the result cut to what resolvers accept. Pure; the caller
// reads the host's resolv.conf.

import type { Pod } from '../../api/types/pod.js';

/** DnsConfig is the CRI sandbox DNS config (runtime/api.ts PodSandboxConfig.dnsConfig). */
export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** PodDnsSettings are the node's facts a pod's DNS config is computed from. */
export interface PodDnsSettings {
  /** e.g. cluster.local. */
  clusterDomain: string;
  /** The cluster DNS server(s) pods use; empty when this node runs none. */
  clusterDns: string[];
  /** The host's resolv.conf, parsed. */
  host: DnsConfig;
}

// glibc reads at most 3 nameservers; upstream caps search domains at 32 and 2048 characters.
const MAX_SERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;
const CLUSTER_OPTIONS = ['ndots:5'];

/** parseResolvConf reads nameserver, search/domain and options lines (the last search/domain wins). */
export function parseResolvConf(text: string): DnsConfig {
  const out: DnsConfig = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const [key, ...fields] = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (key === 'nameserver' && fields[0]) out.servers.push(fields[0]);
    else if (key === 'search') out.searches = fields.map((s) => s.replace(/\.$/, '')).filter((s) => s !== '');
    else if (key === 'domain' && fields[0]) out.searches = [fields[0].replace(/\.$/, '')];
    else if (key === 'options') out.options.push(...fields);
  }
  return out;
}

/** isLoopback: 127/8 and ::1, which a pod's network namespace cannot reach on the host. */
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

/**
 * chooseHostResolvConf picks the host file the kubelet reads. With systemd-resolved,
 * /etc/resolv.conf names only its stub (127.0.0.53), useless inside a pod; the real upstreams are
 * in /run/systemd/resolve/resolv.conf (upstream kubelet is pointed at that file the same way).
 */
export function chooseHostResolvConf(etc: string, systemd: string | undefined): string {
  const servers = parseResolvConf(etc).servers;
  return systemd !== undefined && servers.length > 0 && servers.every(isLoopback) ? systemd : etc;
}

/** upstreamServers are where the node's DNS server forwards: the host's, minus itself (a loop). */
export function upstreamServers(host: DnsConfig, self: string[]): string[] {
  return [...new Set(host.servers.filter((s) => !self.includes(s)))];
}

type Base = 'cluster' | 'host' | 'none';

/** dnsBase maps the policy as upstream's getPodDNSType does (ClusterFirst on hostNetwork is Default). */
function dnsBase(pod: Pod, s: PodDnsSettings): Base {
  const policy = pod.spec.dnsPolicy || 'ClusterFirst';
  let base: Base;
  if (policy === 'None') base = 'none';
  else if (policy === 'Default') base = 'host';
  else if (policy === 'ClusterFirst' && pod.spec.hostNetwork) base = 'host';
  else base = 'cluster';
  // Without a cluster DNS server, ClusterFirst falls back to the host's (upstream does the same).
  return base === 'cluster' && s.clusterDns.length === 0 ? 'host' : base;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** clusterSearches: `<ns>.svc.<domain> svc.<domain> <domain>`, then the host's. */
export function clusterSearches(namespace: string, domain: string, host: string[]): string[] {
  return dedupe([`${namespace}.svc.${domain}`, `svc.${domain}`, domain, ...host]);
}

/** mergeOptions: pod options override base options of the same name (`ndots:2` replaces `ndots:5`). */
function mergeOptions(base: string[], extra: { name?: string; value?: string }[]): string[] {
  const byName = new Map<string, string>();
  for (const o of base) byName.set(o.split(':')[0]!, o);
  for (const o of extra) if (o.name) byName.set(o.name, o.value !== undefined && o.value !== '' ? `${o.name}:${o.value}` : o.name);
  return [...byName.values()];
}

/** fitSearches keeps whole search domains while the count and the line length allow. */
function fitSearches(searches: string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const s of searches) {
    if (out.length === MAX_SEARCHES || chars + s.length + (out.length > 0 ? 1 : 0) > MAX_SEARCH_CHARS) break;
    chars += s.length + (out.length > 0 ? 1 : 0);
    out.push(s);
  }
  return out;
}

/** podDnsConfig is the sandbox DNS config for a pod on this node. */
export function podDnsConfig(pod: Pod, s: PodDnsSettings): DnsConfig {
  const base = dnsBase(pod, s);
  let cfg: DnsConfig;
  if (base === 'none') cfg = { servers: [], searches: [], options: [] };
  else if (base === 'cluster') {
    cfg = { servers: [...s.clusterDns], searches: clusterSearches(pod.metadata.namespace ?? 'default', s.clusterDomain, s.host.searches), options: CLUSTER_OPTIONS };
  } else {
    // A host loopback resolver is unreachable from the pod's network namespace.
    const servers = pod.spec.hostNetwork ? s.host.servers : s.host.servers.filter((ip) => !isLoopback(ip));
    cfg = { servers, searches: [...s.host.searches], options: [...s.host.options] };
  }
  const extra = pod.spec.dnsConfig;
  if (extra) {
    cfg = {
      servers: dedupe([...cfg.servers, ...(extra.nameservers ?? [])]),
      searches: dedupe([...cfg.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(cfg.options, extra.options ?? []),
    };
  }
  return { servers: cfg.servers.slice(0, MAX_SERVERS), searches: fitSearches(cfg.searches), options: cfg.options };
}
