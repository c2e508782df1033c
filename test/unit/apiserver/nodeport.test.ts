// Node port planning (pure): range parsing, picking a free port, and create/update plans.
import { describe, expect, it } from 'vitest';
import { parsePortRange, pickNodePort, planNodePorts, validateRequestedNodePort } from '../../../apiserver/nodeport.js';
import type { ServiceSpec } from '../../../api/types/core.js';

const range = parsePortRange('30000-30004');
const first = () => 0;

describe('parsePortRange', () => {
  it.each([
    ['30000-32767', { min: 30000, max: 32767, text: '30000-32767' }],
    ['30080', { min: 30080, max: 30080, text: '30080-30080' }],
  ])('%s', (text, want) => expect(parsePortRange(text)).toEqual(want));
  it.each(['', 'a-b', '32767-30000', '0-10', '30000-70000'])('rejects %j', (text) => {
    expect(() => parsePortRange(text)).toThrow(/invalid service node port range/);
  });
});

describe('pickNodePort', () => {
  it.each([
    { used: [], random: 0, want: 30000 },
    { used: [30000, 30001], random: 0, want: 30002 },
    { used: [30004], random: 0.99, want: 30000 }, // wraps around
    { used: [30000, 30001, 30002, 30003, 30004], random: 0, want: undefined },
  ])('used $used random $random -> $want', ({ used, random, want }) => {
    expect(pickNodePort(range, new Set(used), () => random)).toBe(want);
  });
});

describe('validateRequestedNodePort', () => {
  it.each([
    { port: 30001, used: [], want: undefined },
    { port: 30001, used: [30001], want: 'provided port is already allocated' },
    { port: 29999, used: [], want: 'provided port is not in the valid range. The range of valid ports is 30000-30004' },
    { port: 30005, used: [], want: 'provided port is not in the valid range. The range of valid ports is 30000-30004' },
  ])('$port with $used', ({ port, used, want }) => {
    expect(validateRequestedNodePort(range, port, 'spec.ports[0].nodePort', new Set(used))?.detail).toBe(want);
  });
});

const svc = (type: string, ports: Array<{ name?: string; port: number; nodePort?: number }>): ServiceSpec => ({ type, ports });

describe('planNodePorts', () => {
  it.each([
    {
      name: 'create: allocates a free port to each port without one',
      next: svc('NodePort', [{ name: 'a', port: 80 }, { name: 'b', port: 81 }]),
      old: undefined, used: [30000],
      want: { nodePorts: [30001, 30002], taken: [30001, 30002], released: [], errors: [] },
    },
    {
      name: 'create: an explicit port is kept and not given to another port',
      next: svc('LoadBalancer', [{ name: 'a', port: 80 }, { name: 'b', port: 81, nodePort: 30000 }]),
      old: undefined, used: [],
      want: { nodePorts: [30001, 30000], taken: [30000, 30001], released: [], errors: [] },
    },
    {
      name: 'create: an explicit port used by another Service is refused',
      next: svc('NodePort', [{ port: 80, nodePort: 30002 }]),
      old: undefined, used: [30002],
      want: { errors: ['spec.ports[0].nodePort: provided port is already allocated'] },
    },
    {
      name: 'create: ClusterIP needs none',
      next: svc('ClusterIP', [{ port: 80 }]),
      old: undefined, used: [],
      want: { nodePorts: [undefined], taken: [], released: [], errors: [] },
    },
    {
      name: 'update: a port left out keeps the old one; an added port gets a new one',
      next: svc('NodePort', [{ name: 'a', port: 80 }, { name: 'b', port: 81 }]),
      old: svc('NodePort', [{ name: 'a', port: 80, nodePort: 30003 }]), used: [],
      want: { nodePorts: [30003, 30000], taken: [30000], released: [], errors: [] },
    },
    {
      name: 'update: its own explicit port is no conflict',
      next: svc('NodePort', [{ port: 80, nodePort: 30003 }]),
      old: svc('NodePort', [{ port: 80, nodePort: 30003 }]), used: [],
      want: { nodePorts: [30003], taken: [], released: [], errors: [] },
    },
    {
      name: 'update: to ClusterIP clears and releases the node ports',
      next: svc('ClusterIP', [{ port: 80, nodePort: 30003 }]),
      old: svc('NodePort', [{ port: 80, nodePort: 30003 }]), used: [],
      want: { nodePorts: [undefined], taken: [], released: [30003], errors: [] },
    },
    {
      name: 'update: from ClusterIP to NodePort allocates',
      next: svc('NodePort', [{ port: 80 }]),
      old: svc('ClusterIP', [{ port: 80 }]), used: [30000],
      want: { nodePorts: [30001], taken: [30001], released: [], errors: [] },
    },
    {
      name: 'update: a changed explicit port releases the old one',
      next: svc('NodePort', [{ port: 80, nodePort: 30004 }]),
      old: svc('NodePort', [{ port: 80, nodePort: 30003 }]), used: [],
      want: { nodePorts: [30004], taken: [30004], released: [30003], errors: [] },
    },
    {
      name: 'range full',
      next: svc('NodePort', [{ port: 80 }]),
      old: undefined, used: [30000, 30001, 30002, 30003, 30004],
      want: { errors: ['spec.ports: failed to allocate a nodePort: range is full'] },
    },
  ])('$name', ({ next, old, used, want }) => {
    const plan = planNodePorts(range, next, old, new Set(used), first);
    expect(plan.errors.map((e) => `${e.field}: ${e.detail}`)).toEqual(want.errors);
    if (want.errors.length) return;
    expect(plan.ports.map((p) => p.nodePort)).toEqual(want.nodePorts);
    expect([...plan.taken].sort()).toEqual([...(want.taken ?? [])].sort());
    expect(plan.released).toEqual(want.released);
  });

  it('does not change its input', () => {
    const next = svc('NodePort', [{ port: 80 }]);
    planNodePorts(range, next, undefined, new Set(), first);
    expect(next.ports?.[0]?.nodePort).toBeUndefined();
  });
});
