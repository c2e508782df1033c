// The node port allocator's bookkeeping over a fake Service cache: ports handed out are
// reserved until the cache shows them, released ones free again, expired reservations go.
import { describe, expect, it } from 'vitest';
import { NodePortAllocator } from '../../../apiserver/nodeport-allocator.js';
import { parsePortRange } from '../../../apiserver/nodeport.js';
import type { WatchCache } from '../../../apiserver/cache/watch-cache.js';
import type { KubeObject } from '../../../api/meta.js';

const svc = (name: string, ports: Array<{ port: number; nodePort?: number }>, type = 'NodePort'): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns' }, spec: { type, ports } }) as KubeObject;
const nodePort = (o: KubeObject) => (o.spec as { ports: Array<{ nodePort?: number }> }).ports[0]?.nodePort;

function setup(stored: KubeObject[] = []) {
  let t = 0;
  const cache = { list: () => stored.map((obj) => ({ obj })) } as unknown as WatchCache;
  const alloc = new NodePortAllocator(parsePortRange('30000-30002'), cache, () => 0, () => t);
  return { alloc, stored, advance: (ms: number) => (t += ms) };
}

describe('NodePortAllocator', () => {
  it('two creates before the cache shows either get distinct ports', () => {
    const { alloc } = setup();
    const a = svc('a', [{ port: 80 }]);
    const b = svc('b', [{ port: 80 }]);
    expect(alloc.assign(a)).toEqual([]);
    expect(alloc.assign(b)).toEqual([]);
    expect([nodePort(a), nodePort(b)]).toEqual([30000, 30001]);
  });

  it.each([
    { name: 'stored in the cache', stored: [svc('x', [{ port: 80, nodePort: 30000 }])], reserve: false, want: 'provided port is already allocated' },
    { name: 'reserved by this process', stored: [], reserve: true, want: 'provided port is already allocated' },
    { name: 'free', stored: [], reserve: false, want: undefined },
  ])('an explicit port $name', ({ stored, reserve, want }) => {
    const { alloc } = setup(stored);
    if (reserve) alloc.assign(svc('x', [{ port: 80, nodePort: 30000 }]));
    expect(alloc.assign(svc('y', [{ port: 80, nodePort: 30000 }]))[0]?.detail).toBe(want);
  });

  it('a release (delete) frees the reservation at once; an unused reservation expires', () => {
    const { alloc, advance } = setup();
    const a = svc('a', [{ port: 80, nodePort: 30000 }]);
    alloc.assign(a);
    alloc.release(a);
    expect(alloc.assign(svc('b', [{ port: 80, nodePort: 30000 }]))).toEqual([]);
    advance(61_000);
    expect(alloc.assign(svc('c', [{ port: 80, nodePort: 30000 }]))).toEqual([]);
  });

  it('an update of the same Service is no conflict with its own ports', () => {
    const stored = svc('a', [{ port: 80, nodePort: 30001 }]);
    const { alloc } = setup([stored]);
    const next = svc('a', [{ port: 80 }]);
    expect(alloc.assign(next, stored)).toEqual([]);
    expect(nodePort(next)).toBe(30001);
  });
});
