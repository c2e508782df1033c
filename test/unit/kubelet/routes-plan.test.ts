// Host-gw pod routes: the Node list in, the routes this node needs out. No I/O.
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../api/types/core.js';
import { desiredRoutes, diffRoutes, internalIP, podCidrs } from '../../../kubelet/routes/plan.js';
import { cidrWithin } from '../../../controllers/nodeipam/cidr.js';
import { podCidrOf } from '../../../kubelet/pod-cidr.js';

function node(name: string, ip: string | undefined, cidr: string | string[] | undefined): Node {
  return {
    metadata: { name },
    spec: Array.isArray(cidr) ? { podCIDR: cidr[0], podCIDRs: cidr } : cidr ? { podCIDR: cidr } : {},
    status: { addresses: [{ type: 'Hostname', address: name }, ...(ip ? [{ type: 'InternalIP', address: ip }] : [])] },
  };
}

const a = node('a', '192.168.0.1', '10.244.0.0/24');
const b = node('b', '192.168.0.2', '10.244.1.0/24');
const c = node('c', '192.168.0.3', '10.244.2.0/24');

describe('desiredRoutes', () => {
  it.each([
    { name: 'every other node, via its InternalIP', nodes: [a, b, c], self: 'a', want: [['10.244.1.0/24', '192.168.0.2'], ['10.244.2.0/24', '192.168.0.3']] },
    { name: 'alone', nodes: [a], self: 'a', want: [] },
    { name: 'a node without a podCIDR yet', nodes: [a, b, node('d', '192.168.0.4', undefined)], self: 'a', want: [['10.244.1.0/24', '192.168.0.2']] },
    { name: 'a node without an InternalIP', nodes: [a, b, node('d', undefined, '10.244.3.0/24')], self: 'a', want: [['10.244.1.0/24', '192.168.0.2']] },
    { name: 'a node sharing our address (hollow nodes)', nodes: [a, b, node('h', '192.168.0.1', '10.244.9.0/24')], self: 'a', want: [['10.244.1.0/24', '192.168.0.2']] },
    { name: 'a node claiming our own range', nodes: [a, b, node('x', '192.168.0.9', '10.244.0.0/24')], self: 'a', want: [['10.244.1.0/24', '192.168.0.2']] },
    { name: 'two nodes claiming one range: first by name', nodes: [a, node('z', '192.168.0.26', '10.244.1.0/24'), b], self: 'a', want: [['10.244.1.0/24', '192.168.0.2']] },
    { name: 'several ranges, IPv6 ignored', nodes: [a, node('b', '192.168.0.2', ['10.244.1.0/24', 'fd00::/64'])], self: 'a', want: [['10.244.1.0/24', '192.168.0.2']] },
    { name: 'our Node not registered yet', nodes: [b], self: 'a', want: [['10.244.1.0/24', '192.168.0.2']] },
  ])('$name', ({ nodes, self, want }) => {
    expect(desiredRoutes(nodes, self).map((r) => [r.dst, r.via])).toEqual(want);
  });

  it('is the same in any order', () => {
    expect(desiredRoutes([c, b, a], 'b')).toEqual(desiredRoutes([a, b, c], 'b'));
  });

  it('reads addresses and ranges', () => {
    expect(internalIP(node('v6', 'fd00::1', undefined))).toBeUndefined();
    expect(podCidrs(node('n', 'x', ['10.1.0.0/24', '10.2.0.0/24']))).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
  });
});

describe('diffRoutes', () => {
  it.each([
    { name: 'nothing to do', cur: [['10.244.1.0/24', '192.168.0.2']], want: [['10.244.1.0/24', '192.168.0.2']], replace: [], remove: [] },
    { name: 'new node', cur: [], want: [['10.244.1.0/24', '192.168.0.2']], replace: [['10.244.1.0/24', '192.168.0.2']], remove: [] },
    { name: 'node moved address', cur: [['10.244.1.0/24', '192.168.0.2']], want: [['10.244.1.0/24', '192.168.0.7']], replace: [['10.244.1.0/24', '192.168.0.7']], remove: [] },
    { name: 'node gone', cur: [['10.244.1.0/24', '192.168.0.2'], ['10.244.2.0/24', '192.168.0.3']], want: [['10.244.2.0/24', '192.168.0.3']], replace: [], remove: ['10.244.1.0/24'] },
  ])('$name', ({ cur, want, replace, remove }) => {
    const r = (l: string[][]) => l.map(([dst, via]) => ({ dst: dst!, via: via! }));
    expect(diffRoutes(r(cur), r(want))).toEqual({ replace: r(replace), remove });
  });
});

describe('cidrWithin (which routes are this cluster\'s)', () => {
  it.each([
    { inner: '10.244.1.0/24', outer: '10.244.0.0/16', want: true },
    { inner: '10.244.1.7', outer: '10.244.0.0/16', want: true },
    { inner: '10.245.1.0/24', outer: '10.244.0.0/16', want: false },
    { inner: '10.244.0.0/15', outer: '10.244.0.0/16', want: false },
    { inner: '10.244.0.0/16', outer: '10.244.0.0/16', want: true },
    { inner: 'default', outer: '10.244.0.0/16', want: false },
  ])('$inner in $outer: $want', ({ inner, outer, want }) => expect(cidrWithin(inner, outer)).toBe(want));
});

describe('podCidrOf (the range the agent hands to the runtime)', () => {
  it.each([
    { name: 'podCIDRs first', spec: { podCIDR: '10.1.0.0/24', podCIDRs: ['fd00::/64', '10.2.0.0/24'] }, want: '10.2.0.0/24' },
    { name: 'podCIDR alone', spec: { podCIDR: '10.1.0.0/24' }, want: '10.1.0.0/24' },
    { name: 'not assigned yet', spec: {}, want: undefined },
  ])('$name', ({ spec, want }) => expect(podCidrOf({ spec })).toBe(want));
});
