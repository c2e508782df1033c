// The service proxy's rule generator: Services and Endpoints in, iptables rules out. No I/O.
import { describe, expect, it } from 'vitest';
import type { Endpoints, EndpointSubset, Service, ServiceSpec } from '../../../api/types/core.js';
import { buildProxyRules, chainNames, checkPrefix, DEFAULT_PROXY_CONFIG, hash16, probability, type ProxyConfig } from '../../../kubelet/proxy/rules.js';
import { servicePorts } from '../../../kubelet/proxy/service-ports.js';

function svc(name: string, spec: ServiceSpec, ns = 'default'): Service {
  return { metadata: { name, namespace: ns }, spec: { type: 'ClusterIP', ...spec } };
}

function eps(name: string, subsets: EndpointSubset[], ns = 'default'): Endpoints {
  return { metadata: { name, namespace: ns }, subsets };
}

const web = svc('web', { clusterIP: '10.96.0.10', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] });
const webEps = (ready: string[], notReady: string[] = []) =>
  eps('web', [{ addresses: ready.map((ip) => ({ ip })), notReadyAddresses: notReady.map((ip) => ({ ip })), ports: [{ port: 8080, protocol: 'TCP' }] }]);

function rules(services: Service[], endpoints: Endpoints[], cfg: Partial<ProxyConfig> = {}) {
  return buildProxyRules(servicePorts(services, endpoints), { ...DEFAULT_PROXY_CONFIG, ...cfg });
}

/** chain returns the rules of one chain, without the leading "-A NAME". */
function chain(lines: string[], name: string): string[] {
  return lines.filter((l) => l.startsWith(`-A ${name} `)).map((l) => l.slice(`-A ${name} `.length));
}

const c = chainNames('SKIFF');
const webPort = servicePorts([web], [])[0]!;
const svcChain = c.svc(webPort);

describe('kube-proxy compatible names', () => {
  it.each([
    ['ns1/svc1:p80tcp', 'XPGD46QRK7WJZT7O'], // upstream's servicePortChainName test value
  ])('hash16(%s) = %s', (text, want) => expect(hash16(text)).toBe(want));

  it.each([['SKIFF', true], ['T1A2B3C', true], ['TOOLONGX', false], ['skiff', false], ['1ABC', false], ['', false]])('prefix %s valid: %s', (p, ok) => {
    if (ok) expect(() => checkPrefix(p)).not.toThrow();
    else expect(() => checkPrefix(p)).toThrow(/invalid chain prefix/);
  });

  it('every chain name fits iptables (28 characters) with the longest prefix', () => {
    const r = rules([svc('a-very-long-service-name-indeed', { clusterIP: '10.96.0.1', type: 'NodePort', ports: [{ port: 1, nodePort: 30001 }] })], [
      eps('a-very-long-service-name-indeed', [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 1 }] }]),
    ], { prefix: 'ABCDEFG' });
    for (const name of [...r.nat.chains, ...r.filter.chains]) expect(name.length).toBeLessThanOrEqual(28);
  });
});

describe('ClusterIP load balancing', () => {
  it.each([
    { n: 1, probs: [] },
    { n: 2, probs: ['0.5000000000'] },
    { n: 3, probs: ['0.3333333333', '0.5000000000'] },
    { n: 4, probs: ['0.2500000000', '0.3333333333', '0.5000000000'] },
  ])('$n ready endpoints: probabilities $probs then an unconditional last', ({ n, probs }) => {
    const ips = Array.from({ length: n }, (_, i) => `10.244.1.${i + 2}`);
    const r = rules([web], [webEps(ips)]);
    const jumps = chain(r.nat.rules, svcChain).filter((l) => l.includes('-SEP-'));
    expect(jumps).toHaveLength(n);
    expect(jumps.map((l) => /--probability (\S+)/.exec(l)?.[1]).filter(Boolean)).toEqual(probs);
    expect(jumps[n - 1]).not.toContain('statistic');
    // Overall each endpoint gets 1/n: the product of "not taken before" and "taken here".
    let left = 1;
    const shares = jumps.map((l) => {
      const p = Number(/--probability (\S+)/.exec(l)?.[1] ?? 1);
      const share = left * p;
      left -= share;
      return share;
    });
    for (const s of shares) expect(s).toBeCloseTo(1 / n, 8);
  });

  it('the cluster IP rule leads to the service chain and each endpoint chain DNATs to its pod', () => {
    const r = rules([web], [webEps(['10.244.1.2', '10.244.2.3'])]);
    expect(chain(r.nat.rules, c.services)[0]).toBe(`-m comment --comment "default/web cluster IP" -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j ${svcChain}`);
    const seps = chain(r.nat.rules, svcChain).filter((l) => l.includes('-SEP-')).map((l) => /-j (\S+)$/.exec(l)![1]!);
    expect(seps.map((s) => chain(r.nat.rules, s))).toEqual([
      [`-m comment --comment default/web -s 10.244.1.2/32 -j ${c.markMasq}`, '-m comment --comment default/web -p tcp -m tcp -j DNAT --to-destination 10.244.1.2:8080'],
      [`-m comment --comment default/web -s 10.244.2.3/32 -j ${c.markMasq}`, '-m comment --comment default/web -p tcp -m tcp -j DNAT --to-destination 10.244.2.3:8080'],
    ]);
  });

  it.each([
    { name: 'one ready, one not', ready: ['10.244.1.2'], notReady: ['10.244.1.3'], want: ['10.244.1.2:8080'] },
    { name: 'none ready', ready: [], notReady: ['10.244.1.3'], want: [] },
  ])('not-ready endpoints get no traffic: $name', ({ ready, notReady, want }) => {
    const r = rules([web], [webEps(ready, notReady)]);
    expect(r.nat.rules.filter((l) => l.includes('DNAT')).map((l) => /--to-destination (\S+)/.exec(l)![1])).toEqual(want);
  });

  it('a service without ready endpoints is rejected in the filter table and has no nat chain', () => {
    const r = rules([web], [webEps([], ['10.244.1.3'])]);
    expect(r.nat.chains).not.toContain(svcChain);
    expect(chain(r.filter.rules, c.services)).toEqual([
      '-m comment --comment "default/web has no endpoints" -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    ]);
  });

  it.each([
    { cfg: { clusterCidr: '10.244.0.0/16' }, match: '! -s 10.244.0.0/16' },
    { cfg: { localBridge: 'skiff0' }, match: '! -i skiff0' },
  ])('traffic to a cluster IP from outside the pods is marked for masquerade ($match)', ({ cfg, match }) => {
    const r = rules([web], [webEps(['10.244.1.2'])], cfg);
    expect(chain(r.nat.rules, svcChain)[0]).toBe(`-m comment --comment "default/web cluster IP" -d 10.96.0.10/32 -p tcp -m tcp --dport 80 ${match} -j ${c.markMasq}`);
  });

  it('marks nothing when neither the cluster CIDR nor the bridge is known', () => {
    const r = rules([web], [webEps(['10.244.1.2'])]);
    expect(chain(r.nat.rules, svcChain).some((l) => l.includes(c.markMasq))).toBe(false);
  });
});

describe('ports', () => {
  const multi = svc('shop', {
    clusterIP: '10.96.0.20',
    ports: [
      { name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' },
      { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' },
    ],
  });
  const multiEps = eps('shop', [
    { addresses: [{ ip: '10.244.1.2' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }] },
    { addresses: [{ ip: '10.244.2.2' }], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }] },
  ]);

  it('named target ports use the numbers the Endpoints carry, per subset', () => {
    const http = servicePorts([multi], [multiEps]).find((p) => p.name === 'default/shop:http')!;
    expect(http.endpoints).toEqual([{ ip: '10.244.1.2', port: 8080 }, { ip: '10.244.2.2', port: 9090 }]);
    const r = buildProxyRules([http], DEFAULT_PROXY_CONFIG);
    expect(r.nat.rules.filter((l) => l.includes('DNAT')).map((l) => /--to-destination (\S+)/.exec(l)![1])).toEqual(['10.244.1.2:8080', '10.244.2.2:9090']);
  });

  it('each port gets its own chain and protocol match', () => {
    const r = rules([multi], [multiEps]);
    const svcRules = chain(r.nat.rules, c.services);
    expect(svcRules.filter((l) => l.includes('-d 10.96.0.20/32'))).toEqual([
      `-m comment --comment "default/shop:dns cluster IP" -d 10.96.0.20/32 -p udp -m udp --dport 53 -j ${c.svc(servicePorts([multi], [])[0]!)}`,
      `-m comment --comment "default/shop:http cluster IP" -d 10.96.0.20/32 -p tcp -m tcp --dport 80 -j ${c.svc(servicePorts([multi], [])[1]!)}`,
    ]);
  });

  it('an Endpoints port of another name or protocol does not serve the service port', () => {
    const e = eps('shop', [{ addresses: [{ ip: '10.244.1.2' }], ports: [{ name: 'http', port: 8080, protocol: 'UDP' }] }]);
    expect(servicePorts([multi], [e]).map((p) => p.endpoints.length)).toEqual([0, 0]);
  });

  it.each([
    { name: 'ExternalName', s: svc('ext', { type: 'ExternalName', externalName: 'example.com', ports: [{ port: 80 }] }) },
    { name: 'headless', s: svc('hl', { clusterIP: 'None', ports: [{ port: 80 }] }) },
    { name: 'no cluster IP yet', s: svc('pending', { ports: [{ port: 80 }] }) },
  ])('$name services get no rules', ({ s }) => {
    expect(servicePorts([s], [eps(s.metadata.name!, [{ addresses: [{ ip: '10.244.1.2' }], ports: [{ port: 80 }] }])])).toEqual([]);
  });
});

describe('NodePort and external IPs', () => {
  const np = svc('web', { type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }] });
  const npPort = servicePorts([np], [])[0]!;

  it('a NodePort leads through the external chain (masquerade) to the service chain', () => {
    const r = rules([np], [webEps(['10.244.1.2'])]);
    const ext = c.ext(npPort);
    expect(chain(r.nat.rules, c.nodePorts)).toEqual([`-m comment --comment default/web -p tcp -m tcp --dport 30080 -j ${ext}`]);
    expect(chain(r.nat.rules, ext)).toEqual([`-m comment --comment "masquerade traffic for default/web external destinations" -j ${c.markMasq}`, `-j ${c.svc(npPort)}`]);
  });

  it.each([
    { cfg: {}, last: ['-m addrtype --dst-type LOCAL'] },
    { cfg: { localhostNodePorts: false }, last: ['-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8'] },
    { cfg: { nodePortAddresses: ['192.168.1.10', '10.0.0.5'] }, last: ['-d 192.168.1.10/32', '-d 10.0.0.5/32', '-d 127.0.0.1/32'] },
    { cfg: { nodePortAddresses: ['192.168.1.10'], localhostNodePorts: false }, last: ['-d 192.168.1.10/32'] },
  ])('node ports answer on $last, after every service rule', ({ cfg, last }) => {
    const r = rules([np], [webEps(['10.244.1.2'])], cfg);
    const svcRules = chain(r.nat.rules, c.services);
    const tail = svcRules.slice(-last.length);
    expect(tail.map((l) => l.replace(/^-m comment --comment "[^"]*" /, '').replace(` -j ${c.nodePorts}`, ''))).toEqual(last);
    expect(svcRules.slice(0, -last.length).every((l) => !l.includes(c.nodePorts))).toBe(true);
  });

  it('a NodePort without ready endpoints is rejected on local addresses', () => {
    const r = rules([np], [webEps([])]);
    expect(chain(r.filter.rules, c.externalServices)).toEqual([
      '-m comment --comment "default/web has no endpoints" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable',
    ]);
    expect(r.nat.rules.some((l) => l.includes('30080'))).toBe(false);
  });

  it('a ClusterIP service ignores a stray nodePort; external IPs go through the external chain', () => {
    const s = svc('web', { clusterIP: '10.96.0.10', externalIPs: ['192.0.2.50'], ports: [{ port: 80, nodePort: 30080 }] });
    const r = rules([s], [webEps(['10.244.1.2'])]);
    expect(chain(r.nat.rules, c.nodePorts)).toEqual([]);
    expect(chain(r.nat.rules, c.services)).toContain(`-m comment --comment "default/web external IP" -d 192.0.2.50/32 -p tcp -m tcp --dport 80 -j ${c.ext(npPort)}`);
  });
});

describe('session affinity ClientIP', () => {
  it.each([
    { config: undefined, seconds: '10800' },
    { config: { clientIP: { timeoutSeconds: 60 } }, seconds: '60' },
  ])('recent-module checks before the random choice, for $seconds s', ({ config, seconds }) => {
    const s = svc('web', { clusterIP: '10.96.0.10', sessionAffinity: 'ClientIP', sessionAffinityConfig: config, ports: [{ port: 80 }] });
    const r = rules([s], [eps('web', [{ addresses: [{ ip: '10.244.1.2' }, { ip: '10.244.1.3' }], ports: [{ port: 8080 }] }])]);
    const lines = chain(r.nat.rules, svcChain);
    expect(lines.slice(0, 2).every((l) => l.includes(`--rcheck --seconds ${seconds} --reap`))).toBe(true);
    expect(lines.slice(2).every((l) => !l.includes('recent'))).toBe(true);
    const sep = /--name (\S+)/.exec(lines[0]!)![1]!;
    expect(chain(r.nat.rules, sep)[1]).toBe(`-m comment --comment default/web -m recent --name ${sep} --set -p tcp -m tcp -j DNAT --to-destination 10.244.1.2:8080`);
  });
});

describe('whole rule set', () => {
  const services = [web, svc('api', { clusterIP: '10.96.0.11', ports: [{ port: 443 }] }, 'shop')];
  const endpoints = [webEps(['10.244.2.3', '10.244.1.2']), eps('api', [{ addresses: [{ ip: '10.244.3.4' }], ports: [{ port: 8443 }] }], 'shop')];

  it('is the same for the same state in any order', () => {
    const a = rules(services, endpoints);
    const b = rules([...services].reverse(), [...endpoints].reverse().map((e) => ({ ...e, subsets: e.subsets!.map((s) => ({ ...s, addresses: [...s.addresses!].reverse() })) })));
    expect(b).toEqual(a);
  });

  it('masquerades marked packets once and, with a cluster CIDR, pods leaving the cluster', () => {
    const r = rules(services, endpoints, { clusterCidr: '10.244.0.0/16' });
    expect(chain(r.nat.rules, c.postrouting)).toEqual([
      '-m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-j MARK --xor-mark 0x4000',
      '-m comment --comment "skiff service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ]);
    expect(chain(r.nat.rules, c.markMasq)).toEqual(['-j MARK --or-mark 0x4000']);
    expect(chain(r.nat.rules, c.egress)).toEqual([
      '-m comment --comment "pod to pod stays unNATed" -s 10.244.0.0/16 -d 10.244.0.0/16 -j RETURN',
      '-m comment --comment "pods leaving the cluster" -s 10.244.0.0/16 ! -d 224.0.0.0/4 -j MASQUERADE --random-fully',
    ]);
    expect(r.jumps.filter((j) => j.table === 'nat').map((j) => `${j.chain}->${j.args.at(-1)}`)).toEqual([
      `PREROUTING->${c.services}`, `OUTPUT->${c.services}`, `POSTROUTING->${c.postrouting}`, `POSTROUTING->${c.egress}`,
    ]);
  });

  it('every chain a rule jumps to is declared in the same table', () => {
    const r = rules(services, [...endpoints, webEps([])], { clusterCidr: '10.244.0.0/16' });
    for (const t of [r.nat, r.filter]) {
      for (const l of t.rules) {
        const target = /-j (\S+)/.exec(l)![1]!;
        if (target.startsWith('SKIFF-')) expect(t.chains).toContain(target);
      }
    }
  });

  it('uses the masquerade bit it is given', () => {
    const r = rules(services, endpoints, { masqueradeBit: 13 });
    expect(chain(r.nat.rules, c.markMasq)).toEqual(['-j MARK --or-mark 0x2000']);
  });

  it('probability has upstream\'s ten decimals', () => expect(probability(3)).toBe('0.3333333333'));
});
