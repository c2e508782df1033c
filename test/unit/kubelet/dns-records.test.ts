// The cluster zone as a table: question in, rcode and records out, over listed Services/Endpoints.
import { describe, expect, it } from 'vitest';
import { IndexedStore } from '../../../client/store.js';
import {
  DEFAULT_ZONE,
  ENDPOINT_IP_INDEX,
  endpointIpIndex,
  lookup,
  reverseIp,
  SERVICE_IP_INDEX,
  serviceIpIndex,
  type ClusterView,
  type EndpointsObject,
  type LookupResult,
  type ServiceObject,
} from '../../../kubelet/dns/records.js';

function view(services: ServiceObject[], endpoints: EndpointsObject[]): ClusterView {
  const s = new IndexedStore<ServiceObject>({ [SERVICE_IP_INDEX]: serviceIpIndex });
  const e = new IndexedStore<EndpointsObject>({ [ENDPOINT_IP_INDEX]: endpointIpIndex });
  s.replace(services);
  e.replace(endpoints);
  return { services: s, endpoints: e };
}

const svc = (ns: string, name: string, spec: ServiceObject['spec']): ServiceObject => ({ metadata: { namespace: ns, name, resourceVersion: '1' }, spec });
const ep = (ns: string, name: string, subsets: EndpointsObject['subsets']): EndpointsObject => ({ metadata: { namespace: ns, name, resourceVersion: '1' }, subsets });

const cluster = view(
  [
    svc('shop', 'web', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }, { port: 8080 }] }),
    svc('shop', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
    svc('shop', 'empty', { clusterIP: 'None' }),
    svc('shop', 'all', { clusterIP: 'None', publishNotReadyAddresses: true }),
    svc('shop', 'ext', { type: 'ExternalName', externalName: 'example.org' }),
    svc('default', 'v6', { clusterIP: 'fd00::10', clusterIPs: ['fd00::10'] }),
    svc('default', 'dual', { clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.30', 'fd00::30'] }),
  ],
  [
    ep('shop', 'db', [
      { addresses: [{ ip: '10.244.1.5', hostname: 'db-0' }, { ip: '10.244.2.7' }], notReadyAddresses: [{ ip: '10.244.3.9' }], ports: [{ name: 'pg', port: 5432 }] },
    ]),
    ep('shop', 'empty', [{ notReadyAddresses: [{ ip: '10.244.1.6' }] }]),
    ep('shop', 'all', [{ addresses: [{ ip: '10.244.1.8' }], notReadyAddresses: [{ ip: '10.244.1.9' }] }]),
    ep('shop', 'web', [{ addresses: [{ ip: '10.244.1.10' }], ports: [{ name: 'http', port: 8000 }] }]),
  ],
);

/** summary reduces a result to `RCODE data data ...` (sorted), SOA shown as `soa`. */
function summary(r: LookupResult): string {
  if (r.kind === 'forward') return 'forward';
  const data = r.answers.map((a) => {
    if (a.type === 'SRV') return `${a.data.port}@${a.data.target}`;
    if (a.type === 'SOA') return 'soa';
    return `${a.type}:${String((a as { data?: unknown }).data)}`;
  });
  const neg = r.authorities.some((a) => a.type === 'SOA') ? ['+soa'] : [];
  return [r.rcode, ...data.sort(), ...neg].join(' ');
}

const zone = DEFAULT_ZONE;

describe('lookup (cluster zone)', () => {
  const cases: [string, string, string][] = [
    // Services with a cluster IP
    ['web.shop.svc.cluster.local', 'A', 'NOERROR A:10.96.0.20'],
    ['WEB.Shop.svc.cluster.local.', 'A', 'NOERROR A:10.96.0.20'],
    ['web.shop.svc.cluster.local', 'AAAA', 'NOERROR +soa'],
    ['web.shop.svc.cluster.local', 'TXT', 'NOERROR +soa'],
    ['v6.default.svc.cluster.local', 'AAAA', 'NOERROR AAAA:fd00::10'],
    ['v6.default.svc.cluster.local', 'A', 'NOERROR +soa'],
    ['dual.default.svc.cluster.local', 'A', 'NOERROR A:10.96.0.30'],
    ['dual.default.svc.cluster.local', 'AAAA', 'NOERROR AAAA:fd00::30'],
    ['nope.shop.svc.cluster.local', 'A', 'NXDOMAIN +soa'],
    ['web.other.svc.cluster.local', 'A', 'NXDOMAIN +soa'],
    // headless: ready endpoints; per-endpoint names by hostname or dashed IP
    ['db.shop.svc.cluster.local', 'A', 'NOERROR A:10.244.1.5 A:10.244.2.7'],
    ['db-0.db.shop.svc.cluster.local', 'A', 'NOERROR A:10.244.1.5'],
    ['10-244-2-7.db.shop.svc.cluster.local', 'A', 'NOERROR A:10.244.2.7'],
    ['10-244-3-9.db.shop.svc.cluster.local', 'A', 'NXDOMAIN +soa'],
    ['empty.shop.svc.cluster.local', 'A', 'NXDOMAIN +soa'],
    ['all.shop.svc.cluster.local', 'A', 'NOERROR A:10.244.1.8 A:10.244.1.9'],
    ['x.web.shop.svc.cluster.local', 'A', 'NXDOMAIN +soa'],
    // ExternalName
    ['ext.shop.svc.cluster.local', 'A', 'NOERROR CNAME:example.org'],
    ['ext.shop.svc.cluster.local', 'MX', 'NOERROR +soa'],
    // SRV for named ports: the Service port for a cluster IP, endpoint ports for headless
    ['_http._tcp.web.shop.svc.cluster.local', 'SRV', 'NOERROR 80@web.shop.svc.cluster.local'],
    ['_dns._udp.web.shop.svc.cluster.local', 'SRV', 'NOERROR 53@web.shop.svc.cluster.local'],
    ['_dns._tcp.web.shop.svc.cluster.local', 'SRV', 'NXDOMAIN +soa'],
    ['_nope._tcp.web.shop.svc.cluster.local', 'SRV', 'NXDOMAIN +soa'],
    ['_http._tcp.web.shop.svc.cluster.local', 'A', 'NOERROR +soa'],
    ['_pg._tcp.db.shop.svc.cluster.local', 'SRV', 'NOERROR 5432@10-244-2-7.db.shop.svc.cluster.local 5432@db-0.db.shop.svc.cluster.local'],
    // pods insecure
    ['10-244-1-5.shop.pod.cluster.local', 'A', 'NOERROR A:10.244.1.5'],
    ['10-244-1-999.shop.pod.cluster.local', 'A', 'NXDOMAIN +soa'],
    // structure of the zone
    ['cluster.local', 'SOA', 'NOERROR soa'],
    ['cluster.local', 'NS', 'NOERROR NS:ns.dns.cluster.local'],
    ['cluster.local', 'A', 'NOERROR +soa'],
    ['svc.cluster.local', 'A', 'NOERROR +soa'],
    ['shop.svc.cluster.local', 'A', 'NOERROR +soa'],
    ['ghost.svc.cluster.local', 'A', 'NXDOMAIN +soa'],
    ['foo.cluster.local', 'A', 'NXDOMAIN +soa'],
    ['a.b.c.d.e.f.svc.cluster.local', 'A', 'NXDOMAIN +soa'],
    // short names are the client's business (search path): outside the zone, so forwarded
    ['web', 'A', 'forward'],
    ['web.shop', 'A', 'forward'],
    ['example.com', 'A', 'forward'],
    ['notcluster.local', 'A', 'forward'],
    ['web.shop.svc.cluster.local.example.com', 'A', 'forward'],
    // reverse: cluster IPs and headless endpoints answered, the rest forwarded
    ['20.0.96.10.in-addr.arpa', 'PTR', 'NOERROR PTR:web.shop.svc.cluster.local'],
    ['5.1.244.10.in-addr.arpa', 'PTR', 'NOERROR PTR:db-0.db.shop.svc.cluster.local'],
    ['10.1.244.10.in-addr.arpa', 'PTR', 'forward'],
    ['1.1.168.192.in-addr.arpa', 'PTR', 'forward'],
  ];
  it.each(cases)('%s %s → %s', (name, type, want) => {
    expect(summary(lookup({ name, type, class: 'IN' }, cluster, zone))).toBe(want);
  });

  it('answers with the name as asked, the zone TTL, and an SOA for negative caching', () => {
    const r = lookup({ name: 'WEB.shop.svc.cluster.local', type: 'A' }, cluster, { ...zone, ttl: 30, serial: 7 });
    expect(r).toMatchObject({ kind: 'answer', answers: [{ name: 'WEB.shop.svc.cluster.local', ttl: 30 }] });
    const neg = lookup({ name: 'nope.shop.svc.cluster.local', type: 'A' }, cluster, { ...zone, serial: 7 });
    expect(neg).toMatchObject({ kind: 'answer', rcode: 'NXDOMAIN', authorities: [{ type: 'SOA', name: 'cluster.local', data: { serial: 7, minimum: 5, mname: 'ns.dns.cluster.local' } }] });
  });

  it('sends the SRV targets’ addresses along as additional records', () => {
    const r = lookup({ name: '_pg._tcp.db.shop.svc.cluster.local', type: 'SRV' }, cluster, zone);
    expect(r.kind === 'answer' && r.additionals.map((a) => `${a.name}=${String(a.type === 'A' ? a.data : '')}`).sort()).toEqual([
      '10-244-2-7.db.shop.svc.cluster.local=10.244.2.7',
      'db-0.db.shop.svc.cluster.local=10.244.1.5',
    ]);
  });

  it('serves another cluster domain, and leaves the default one alone then', () => {
    const other = { ...zone, domain: 'corp.internal' };
    expect(summary(lookup({ name: 'web.shop.svc.corp.internal', type: 'A' }, cluster, other))).toBe('NOERROR A:10.96.0.20');
    expect(summary(lookup({ name: 'web.shop.svc.cluster.local', type: 'A' }, cluster, other))).toBe('forward');
  });

  it('forwards other classes (CHAOS version queries and the like)', () => {
    expect(lookup({ name: 'version.bind', type: 'TXT', class: 'CH' }, cluster, zone)).toEqual({ kind: 'forward' });
  });
});

describe('reverseIp', () => {
  it.each([
    ['4.3.2.1.in-addr.arpa', '1.2.3.4'],
    ['3.2.1.in-addr.arpa', undefined],
    ['x.3.2.1.in-addr.arpa', undefined],
  ])('%s → %s', (name, ip) => expect(reverseIp(name)).toBe(ip));
});
