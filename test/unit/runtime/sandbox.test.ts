import { describe, expect, it } from 'vitest';
import { podIp, podNetwork, pluginStdin } from '../../../runtime/sandbox/cni-config.js';
import { hostsFile, resolvConf } from '../../../runtime/sandbox/files.js';
import { netnsName } from '../../../runtime/sandbox/namespaces.js';
import { spareFits } from '../../../runtime/sandbox/spare.js';

const opts = { podCidr: '10.88.0.0/16', bridge: 'skiff0', ipamDataDir: '/r/cni/ipam', networkName: 'skiff' };

describe('podNetwork', () => {
  it('is bridge + host-local on the pod CIDR without host ports', () => {
    const net = podNetwork(opts, [{ protocol: 'TCP', containerPort: 80 }]);
    expect(net.plugins.map((p) => p.type)).toEqual(['bridge']);
    expect(net.plugins[0]).toMatchObject({ bridge: 'skiff0', isGateway: true, ipMasq: true, ipam: { type: 'host-local', ranges: [[{ subnet: '10.88.0.0/16' }]], dataDir: '/r/cni/ipam' } });
  });
  it('leaves NAT to the node agent when told to (pod-to-pod across nodes keeps its source)', () => {
    expect(podNetwork({ ...opts, ipMasq: false }, []).plugins[0]).toMatchObject({ ipMasq: false, forceAddress: true });
  });
  it('adds portmap with runtimeConfig for host ports', () => {
    const net = podNetwork(opts, [{ protocol: 'TCP', containerPort: 8080, hostPort: 30080 }, { protocol: 'UDP', containerPort: 53 }]);
    expect(net.plugins[1]).toMatchObject({ type: 'portmap', runtimeConfig: { portMappings: [{ hostPort: 30080, containerPort: 8080, protocol: 'tcp' }] } });
  });
  it('passes the previous result on stdin', () => {
    const net = podNetwork(opts, []);
    const stdin = JSON.parse(pluginStdin(net, net.plugins[0]!, { ips: [] }));
    expect(stdin).toMatchObject({ cniVersion: '1.0.0', name: 'skiff', type: 'bridge', prevResult: { ips: [] } });
  });
  it('reads the pod IP without its prefix', () => {
    expect(podIp({ ips: [{ address: '10.88.0.5/16' }] })).toBe('10.88.0.5');
    expect(podIp({})).toBe('');
  });
});

describe('pod files', () => {
  it('hosts names the pod IP', () => expect(hostsFile('web-1', '10.88.0.5')).toContain('10.88.0.5\tweb-1\n'));
  it('hosts without IP uses 127.0.1.1', () => expect(hostsFile('h', '')).toContain('127.0.1.1\th'));
  it.each([
    ['host file without dnsConfig', undefined, 'nameserver 1.1.1.1\n'],
    ['dnsConfig', { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] }, 'nameserver 10.96.0.10\nsearch default.svc.cluster.local\noptions ndots:5\n'],
  ])('resolv.conf: %s', (_n, dns, want) => {
    expect(resolvConf(dns, 'nameserver 1.1.1.1\n')).toBe(want);
  });
  it('netns names fit and are stable', () => expect(netnsName('a'.repeat(64))).toBe(`skiff-${'a'.repeat(16)}`));
});

describe('spareFits', () => {
  const base = { metadata: { name: 'p', namespace: 'default', uid: 'u', attempt: 0 }, hostname: 'p', logDirectory: '/l', portMappings: [], labels: {}, annotations: {} };
  const spare = { id: 'x', network: podNetwork(opts, []), netns: '/run/netns/skiff-x', ip: '10.88.0.9', ipc: '/s/ipc', uts: '/s/uts' };
  it.each([
    ['a pod on the pod network', {}, podNetwork(opts, []), true],
    ['a pod whose ports have no host port', { portMappings: [{ protocol: 'TCP' as const, containerPort: 80, hostPort: 0 }] }, podNetwork(opts, []), true],
    ['a hostNetwork pod', { hostNetwork: true }, podNetwork(opts, []), false],
    ['a pod with a host port (portmap joins the chain)', { portMappings: [{ protocol: 'TCP' as const, containerPort: 80, hostPort: 8080 }] }, podNetwork(opts, []), false],
    ['after the pod CIDR changed', {}, podNetwork({ ...opts, podCidr: '10.89.0.0/24' }, []), false],
    ['after masquerading moved to the agent', {}, podNetwork({ ...opts, ipMasq: false }, []), false],
  ])('%s', (_name, change, wanted, fits) => {
    expect(spareFits(spare, { ...base, ...change }, wanted)).toBe(fits);
  });
});
