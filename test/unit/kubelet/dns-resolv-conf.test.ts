// Pods' resolv.conf from dnsPolicy and dnsConfig (upstream GetPodDNS), and the host file's parsing.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../api/types/pod.js';
import { podDnsSettings } from '../../../kubelet/dns/cluster-dns.js';
import { chooseHostResolvConf, clusterSearches, parseResolvConf, podDnsConfig, upstreamServers, type DnsConfig, type PodDnsSettings } from '../../../kubelet/dns/resolv-conf.js';
import { sandboxConfig } from '../../../kubelet/container-config.js';
import { parseUpstream } from '../../../kubelet/dns/forward.js';

const host: DnsConfig = { servers: ['10.0.0.2', '127.0.0.53'], searches: ['corp.example'], options: ['timeout:2'] };
const node: PodDnsSettings = { clusterDomain: 'cluster.local', clusterDns: ['169.254.20.10'], host };

function pod(spec: Partial<Pod['spec']> = {}, ns = 'shop'): Pod {
  return { metadata: { name: 'p', namespace: ns, uid: 'u' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

describe('parseResolvConf', () => {
  it.each<[string, string, DnsConfig]>([
    ['plain', 'nameserver 1.1.1.1\nnameserver 8.8.8.8\n', { servers: ['1.1.1.1', '8.8.8.8'], searches: [], options: [] }],
    ['search, options, comments', '# c\nsearch a.example b.example.\noptions ndots:2 edns0 ; x\n; y\nnameserver 10.0.0.2 # z\n', { servers: ['10.0.0.2'], searches: ['a.example', 'b.example'], options: ['ndots:2', 'edns0'] }],
    ['the last of domain/search wins', 'search a.example\ndomain d.example\n', { servers: [], searches: ['d.example'], options: [] }],
    ['empty', '', { servers: [], searches: [], options: [] }],
  ])('%s', (_n, text, want) => expect(parseResolvConf(text)).toEqual(want));
});

describe('chooseHostResolvConf and upstreamServers', () => {
  const stub = 'nameserver 127.0.0.53\nsearch lan\n';
  const real = 'nameserver 192.168.1.1\n';
  it('looks behind a systemd-resolved stub', () => expect(chooseHostResolvConf(stub, real)).toBe(real));
  it('keeps the file when it names real servers, or when nothing is behind the stub', () => {
    expect(chooseHostResolvConf(real, stub)).toBe(real);
    expect(chooseHostResolvConf(stub, undefined)).toBe(stub);
  });
  it('never forwards to itself (a loop)', () => {
    expect(upstreamServers({ servers: ['169.254.20.10', '10.0.0.2', '10.0.0.2'], searches: [], options: [] }, ['169.254.20.10'])).toEqual(['10.0.0.2']);
  });
  it.each([
    ['10.0.0.2', { host: '10.0.0.2', port: 53 }],
    ['127.0.0.9:5353', { host: '127.0.0.9', port: 5353 }],
    ['::1', { host: '::1', port: 53 }],
    ['[fd00::1]:54', { host: 'fd00::1', port: 54 }],
  ])('parseUpstream %s', (s, want) => expect(parseUpstream(s)).toEqual(want));
});

describe('podDnsConfig', () => {
  const cluster = { servers: ['169.254.20.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'], options: ['ndots:5'] };
  const hostForPod = { servers: ['10.0.0.2'], searches: ['corp.example'], options: ['timeout:2'] };
  it.each<[string, Partial<Pod['spec']>, PodDnsSettings, DnsConfig]>([
    ['ClusterFirst (the default)', {}, node, cluster],
    ['ClusterFirst spelled out', { dnsPolicy: 'ClusterFirst' }, node, cluster],
    ['ClusterFirst on hostNetwork is Default, loopback kept', { hostNetwork: true }, node, host],
    ['ClusterFirstWithHostNet', { dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }, node, cluster],
    ['Default: the host’s, minus loopback', { dnsPolicy: 'Default' }, node, hostForPod],
    ['ClusterFirst without a cluster DNS server falls back to the host’s', {}, { ...node, clusterDns: [] }, hostForPod],
    ['None takes only dnsConfig', { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['x.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }, node, { servers: ['1.1.1.1'], searches: ['x.example'], options: ['ndots:2', 'edns0'] }],
    [
      'dnsConfig is appended, duplicates dropped, options override by name',
      { dnsConfig: { nameservers: ['169.254.20.10', '9.9.9.9'], searches: ['cluster.local', 'y.example'], options: [{ name: 'ndots', value: '1' }, { name: 'attempts', value: '3' }] } },
      node,
      { servers: ['169.254.20.10', '9.9.9.9'], searches: [...cluster.searches, 'y.example'], options: ['ndots:1', 'attempts:3'] },
    ],
    ['at most 3 nameservers', { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4'] } }, node, { servers: ['1.1.1.1', '1.1.1.2', '1.1.1.3'], searches: [], options: [] }],
  ])('%s', (_n, spec, settings, want) => expect(podDnsConfig(pod(spec), settings)).toEqual(want));

  it('uses the pod’s namespace and the configured domain', () => {
    expect(podDnsConfig(pod({}, 'kube-system'), { ...node, clusterDomain: 'corp.internal', host: { servers: [], searches: [], options: [] } }).searches).toEqual([
      'kube-system.svc.corp.internal',
      'svc.corp.internal',
      'corp.internal',
    ]);
  });

  it('keeps at most 32 search domains', () => {
    const many = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    const got = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { searches: many } }), node).searches;
    expect(got).toEqual(many.slice(0, 32));
  });

  it('clusterSearches puts the namespace first', () => expect(clusterSearches('a', 'cluster.local', ['cluster.local', 'lan'])).toEqual(['a.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lan']));
});

describe('the sandbox config carries it', () => {
  it('with cluster DNS on the node', () => {
    const settings = podDnsSettings({}, host);
    const want = { servers: ['169.254.20.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'], options: ['ndots:5'] };
    expect(sandboxConfig(pod(), 0, '/logs', settings).dnsConfig).toEqual(want);
  });
  it('without: the host’s resolvers, and nothing at all without settings', () => {
    expect(sandboxConfig(pod(), 0, '/logs', podDnsSettings(undefined, host)).dnsConfig).toEqual({ servers: ['10.0.0.2'], searches: ['corp.example'], options: ['timeout:2'] });
    expect(sandboxConfig(pod(), 0, '/logs').dnsConfig).toBeUndefined();
  });
  it('podDnsSettings names the configured address and domain', () => {
    expect(podDnsSettings({ address: '10.244.0.1', domain: 'k.local' }, host)).toEqual({ clusterDomain: 'k.local', clusterDns: ['10.244.0.1'], host });
  });
});
