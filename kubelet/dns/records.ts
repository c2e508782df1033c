// The cluster zone: what the node's DNS server answers for names under the cluster domain, after
// the Kubernetes DNS specification (kubernetes/dns docs/specification.md) and CoreDNS's
// kubernetes plugin where the spec is silent. A pure function over the Service and Endpoints
// listers; names outside the zone (and unknown reverse names) are left to the forwarder.

import type { Answer } from 'dns-packet';
import type { KubeObject } from '../../api/meta.js';
import type { EndpointAddress, EndpointPort, Endpoints, Service, ServicePort } from '../../api/types/core.js';
import type { IndexFunc, Lister } from '../../client/store.js';

/** Question is one DNS question; type is a string since dns-packet also decodes ANY (255). */
export interface Question {
  name: string;
  type: string;
  class?: string;
}

export type ServiceObject = Service & KubeObject;
export type EndpointsObject = Endpoints & KubeObject;

/** Index names the view needs on the informers' stores (for reverse lookups). */
export const SERVICE_IP_INDEX = 'dns-cluster-ip';
export const ENDPOINT_IP_INDEX = 'dns-endpoint-ip';

/** serviceIpIndex files a Service under its cluster IPs (headless Services under none). */
export const serviceIpIndex: IndexFunc<ServiceObject> = (s) =>
  [...new Set([s.spec?.clusterIP ?? '', ...(s.spec?.clusterIPs ?? [])])].filter((ip) => ip !== '' && ip !== 'None');

/** endpointIpIndex files Endpoints under every address they list. */
export const endpointIpIndex: IndexFunc<EndpointsObject> = (e) => [...new Set((e.subsets ?? []).flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])].map((a) => a.ip)))];

/** ClusterView is the listed state the zone is computed from. */
export interface ClusterView {
  services: Lister<ServiceObject>;
  endpoints: Lister<EndpointsObject>;
}

/** ZoneSettings: the cluster domain and the numbers of its records. */
export interface ZoneSettings {
  /** e.g. cluster.local (no trailing dot). */
  domain: string;
  /** TTL of every record and of negative answers (CoreDNS's default is 5 s). */
  ttl: number;
  /** SOA serial. */
  serial: number;
}

export const DEFAULT_ZONE: ZoneSettings = { domain: 'cluster.local', ttl: 5, serial: 1 };

/** ZoneAnswer is an authoritative answer; a 'forward' result sends the query upstream. */
export type LookupResult =
  | { kind: 'forward' }
  | { kind: 'answer'; rcode: 'NOERROR' | 'NXDOMAIN'; answers: Answer[]; authorities: Answer[]; additionals: Answer[] };

type Found = { answers: Answer[]; additionals?: Answer[] } | 'nodata' | 'nxdomain';

/** lookup answers one question. Names are matched case-insensitively; answers carry the asked name. */
export function lookup(q: Question, view: ClusterView, zone: ZoneSettings): LookupResult {
  const name = q.name.replace(/\.$/, '').toLowerCase();
  const domain = zone.domain.toLowerCase();
  if (q.class !== undefined && q.class !== 'IN' && q.class !== 'ANY') return { kind: 'forward' };
  if (name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa')) return reverse(q, name, view, zone);
  if (name !== domain && !name.endsWith(`.${domain}`)) return { kind: 'forward' };
  const labels = name === domain ? [] : name.slice(0, -(domain.length + 1)).split('.');
  return finish(inZone(q, labels, view, zone), zone);
}

function finish(found: Found, zone: ZoneSettings): LookupResult {
  if (found === 'nodata' || found === 'nxdomain') {
    return { kind: 'answer', rcode: found === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR', answers: [], authorities: [soa(zone)], additionals: [] };
  }
  return { kind: 'answer', rcode: 'NOERROR', answers: found.answers, authorities: [], additionals: found.additionals ?? [] };
}

/** soa is the zone's SOA record, sent in the authority section of negative answers (RFC 2308). */
export function soa(zone: ZoneSettings): Answer {
  return {
    type: 'SOA',
    name: zone.domain,
    ttl: zone.ttl,
    class: 'IN',
    data: { mname: `ns.dns.${zone.domain}`, rname: `hostmaster.${zone.domain}`, serial: zone.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: zone.ttl },
  };
}

function inZone(q: Question, labels: string[], view: ClusterView, zone: ZoneSettings): Found {
  const [a, b, c, d, e] = labels;
  switch (labels.length) {
    case 0:
      if (q.type === 'SOA') return { answers: [soa(zone)] };
      if (q.type === 'NS') return { answers: [record(q, 'NS', `ns.dns.${zone.domain}`, zone)] };
      return 'nodata';
    case 1:
      return a === 'svc' || a === 'pod' ? 'nodata' : 'nxdomain';
    case 2:
      if (b === 'svc') return view.services.listByNamespace(a!).length > 0 ? 'nodata' : 'nxdomain';
      return 'nxdomain';
    case 3:
      if (c === 'svc') return serviceRecords(q, a!, b!, view, zone);
      if (c === 'pod') return podRecord(q, a!, zone);
      return 'nxdomain';
    case 4:
      return d === 'svc' ? endpointRecord(q, a!, b!, c!, view, zone) : 'nxdomain';
    case 5:
      return e === 'svc' && a!.startsWith('_') && b!.startsWith('_') ? srvRecords(q, a!.slice(1), b!.slice(1), c!, d!, view, zone) : 'nxdomain';
    default:
      return 'nxdomain';
  }
}

function record(q: Question, type: 'A' | 'AAAA' | 'NS' | 'PTR' | 'CNAME', data: string, zone: ZoneSettings, name = q.name): Answer {
  return { type, name, ttl: zone.ttl, class: 'IN', data };
}

function addressRecord(name: string, ip: string, zone: ZoneSettings): Answer {
  return { type: ip.includes(':') ? 'AAAA' : 'A', name, ttl: zone.ttl, class: 'IN', data: ip };
}

/** addressAnswers keeps the IPs of the asked family; none of it but some of the other is NODATA. */
function addressAnswers(q: Question, ips: string[], zone: ZoneSettings): Found {
  if (ips.length === 0) return 'nxdomain';
  if (q.type !== 'A' && q.type !== 'AAAA' && q.type !== 'ANY') return 'nodata';
  const want = ips.filter((ip) => q.type === 'ANY' || ip.includes(':') === (q.type === 'AAAA'));
  return want.length === 0 ? 'nodata' : { answers: want.map((ip) => addressRecord(q.name, ip, zone)) };
}

function isHeadless(s: Service): boolean {
  return s.spec?.clusterIP === 'None';
}

/** serviceRecords: `<svc>.<ns>.svc.<zone>`, the cluster IPs, or for a headless Service its endpoints. */
function serviceRecords(q: Question, svcName: string, ns: string, view: ClusterView, zone: ZoneSettings): Found {
  const svc = view.services.getByName(ns, svcName);
  if (!svc) return 'nxdomain';
  if (svc.spec?.type === 'ExternalName') {
    return q.type === 'A' || q.type === 'AAAA' || q.type === 'CNAME' || q.type === 'ANY' ? { answers: [record(q, 'CNAME', svc.spec.externalName ?? '', zone)] } : 'nodata';
  }
  if (isHeadless(svc)) {
    // CoreDNS answers NXDOMAIN for a headless Service with no (ready) endpoints.
    return addressAnswers(q, [...new Set(endpointAddresses(svc, view).map((x) => x.address.ip))], zone);
  }
  return addressAnswers(q, serviceIpIndex(svc), zone);
}

interface ListedAddress {
  address: EndpointAddress;
  ports: EndpointPort[];
}

/** endpointAddresses are the Service's ready addresses (all of them if it publishes not-ready ones). */
function endpointAddresses(svc: ServiceObject, view: ClusterView): ListedAddress[] {
  const ep = view.endpoints.getByName(svc.metadata.namespace, svc.metadata.name ?? '');
  const all = svc.spec?.publishNotReadyAddresses === true;
  return (ep?.subsets ?? []).flatMap((s) => [...(s.addresses ?? []), ...(all ? s.notReadyAddresses ?? [] : [])].map((address) => ({ address, ports: s.ports ?? [] })));
}

/** endpointName is the label of one endpoint of a headless Service: its hostname, else its dashed IP. */
export function endpointName(a: EndpointAddress): string {
  return a.hostname || a.ip.replace(/[.:]/g, '-');
}

/** endpointRecord: `<hostname-or-dashed-ip>.<svc>.<ns>.svc.<zone>` for headless Services. */
function endpointRecord(q: Question, label: string, svcName: string, ns: string, view: ClusterView, zone: ZoneSettings): Found {
  const svc = view.services.getByName(ns, svcName);
  if (!svc || !isHeadless(svc)) return 'nxdomain';
  return addressAnswers(q, [...new Set(endpointAddresses(svc, view).filter((x) => endpointName(x.address) === label).map((x) => x.address.ip))], zone);
}

/** podRecord: `a-b-c-d.<ns>.pod.<zone>` is that IP, as CoreDNS's `pods insecure` mode answers. */
function podRecord(q: Question, label: string, zone: ZoneSettings): Found {
  const parts = label.split('-');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return 'nxdomain';
  if (q.type !== 'A' && q.type !== 'ANY') return 'nodata';
  return { answers: [addressRecord(q.name, parts.map(Number).join('.'), zone)] };
}

/** srvRecords: `_<port>._<proto>.<svc>.<ns>.svc.<zone>` for named ports. */
function srvRecords(q: Question, port: string, proto: string, svcName: string, ns: string, view: ClusterView, zone: ZoneSettings): Found {
  const svc = view.services.getByName(ns, svcName);
  if (!svc || svc.spec?.type === 'ExternalName') return 'nxdomain';
  const svcFqdn = `${svcName}.${ns}.svc.${zone.domain}`;
  const matches = (p: ServicePort | EndpointPort) => p.name?.toLowerCase() === port && (p.protocol ?? 'TCP').toLowerCase() === proto;
  const targets: { target: string; port: number; ips: string[] }[] = isHeadless(svc)
    ? endpointAddresses(svc, view).flatMap((x) => x.ports.filter(matches).map((p) => ({ target: `${endpointName(x.address)}.${svcFqdn}`, port: p.port, ips: [x.address.ip] })))
    : (svc.spec?.ports ?? []).filter(matches).map((p) => ({ target: svcFqdn, port: p.port, ips: serviceIpIndex(svc) }));
  if (targets.length === 0) return 'nxdomain';
  if (q.type !== 'SRV' && q.type !== 'ANY') return 'nodata';
  const weight = Math.max(1, Math.floor(100 / targets.length));
  const additionals = new Map<string, Answer>();
  for (const t of targets) for (const ip of t.ips) additionals.set(`${t.target}/${ip}`, addressRecord(t.target, ip, zone));
  return {
    answers: targets.map((t) => ({ type: 'SRV', name: q.name, ttl: zone.ttl, class: 'IN', data: { priority: 0, weight, port: t.port, target: t.target } })),
    additionals: [...additionals.values()],
  };
}

/** reverseIp turns `4.3.2.1.in-addr.arpa` into 1.2.3.4 (IPv6 reverse names are not answered). */
export function reverseIp(name: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(name);
  return m ? [m[4], m[3], m[2], m[1]].join('.') : undefined;
}

/** reverse answers PTR for cluster IPs and headless endpoints; other addresses go upstream. */
function reverse(q: Question, name: string, view: ClusterView, zone: ZoneSettings): LookupResult {
  const ip = reverseIp(name);
  if (!ip) return { kind: 'forward' };
  const names = new Set<string>();
  for (const s of view.services.byIndex(SERVICE_IP_INDEX, ip)) names.add(`${s.metadata.name}.${s.metadata.namespace}.svc.${zone.domain}`);
  for (const e of view.endpoints.byIndex(ENDPOINT_IP_INDEX, ip)) {
    const svc = view.services.getByName(e.metadata.namespace, e.metadata.name ?? '');
    if (!svc || !isHeadless(svc)) continue;
    for (const x of endpointAddresses(svc, view)) if (x.address.ip === ip) names.add(`${endpointName(x.address)}.${svc.metadata.name}.${svc.metadata.namespace}.svc.${zone.domain}`);
  }
  if (names.size === 0) return { kind: 'forward' };
  const found: Found = q.type === 'PTR' || q.type === 'ANY' ? { answers: [...names].map((n) => record(q, 'PTR', n, zone)) } : 'nodata';
  return finish(found, zone);
}
