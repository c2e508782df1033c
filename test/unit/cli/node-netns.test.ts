// The layout of `skiff up --nodes N`: addresses, names and links of the extra nodes. No I/O.
import { describe, expect, it } from 'vitest';
import { DEFAULT_NODE_NETWORK, planNodeNetwork } from '../../../cli/node-netns.js';

describe('planNodeNetwork', () => {
  it('puts the host first on the bridge and node i at the i-th address, each with a home of its own', () => {
    const plan = planNodeNetwork('/h', 'vm', 3, DEFAULT_NODE_NETWORK);
    expect(plan).toMatchObject({ bridge: 'skiff-nodes', hostIp: '10.77.0.1', prefix: 24 });
    expect(plan.nodes.map((n) => [n.name, n.netns, n.ip, n.home])).toEqual([
      ['vm-2', 'skiff-vm-2', '10.77.0.2', '/h/machines/vm-2'],
      ['vm-3', 'skiff-vm-3', '10.77.0.3', '/h/machines/vm-3'],
    ]);
  });

  it('names host links within 15 characters, apart for two clusters on one host', () => {
    const a = planNodeNetwork('/a', 'vm', 3, DEFAULT_NODE_NETWORK).nodes.map((n) => n.veth);
    const b = planNodeNetwork('/b', 'vm', 3, DEFAULT_NODE_NETWORK).nodes.map((n) => n.veth);
    for (const v of [...a, ...b]) expect(v.length).toBeLessThanOrEqual(15);
    expect(new Set([...a, ...b]).size).toBe(4);
  });

  it('has no extra node for a single node', () => {
    expect(planNodeNetwork('/h', 'vm', 1, DEFAULT_NODE_NETWORK).nodes).toEqual([]);
  });

  it.each([
    { name: 'a malformed network', cidr: '10.77.0/24', bridge: 'b', count: 2, error: /not an IPv4 CIDR/ },
    { name: 'a network too small', cidr: '10.77.0.0/30', bridge: 'b', count: 3, error: /no room for 3 nodes/ },
    { name: 'a bridge name too long', cidr: '10.77.0.0/24', bridge: 'a-very-long-bridge', count: 2, error: /longer than 15/ },
  ])('refuses $name', ({ cidr, bridge, count, error }) => {
    expect(() => planNodeNetwork('/h', 'vm', count, { cidr, bridge })).toThrow(error);
  });
});
