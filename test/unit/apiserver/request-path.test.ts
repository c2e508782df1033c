import { describe, expect, it } from 'vitest';
import { parseResourcePath } from '../../../apiserver/request-path.js';

describe('parseResourcePath', () => {
  it.each([
    { path: '/api/v1/pods', want: { plural: 'pods', namespace: undefined, name: undefined } },
    { path: '/api/v1/namespaces/ns1/pods', want: { plural: 'pods', namespace: 'ns1' } },
    { path: '/api/v1/namespaces/ns1/pods/p1', want: { plural: 'pods', namespace: 'ns1', name: 'p1' } },
    { path: '/api/v1/namespaces/ns1/pods/p1/status', want: { plural: 'pods', namespace: 'ns1', name: 'p1', subresource: 'status' } },
    { path: '/api/v1/namespaces/ns1', want: { plural: 'namespaces', name: 'ns1' } },
    { path: '/api/v1/namespaces/ns1/status', want: { plural: 'namespaces', name: 'ns1', subresource: 'status' } },
    { path: '/api/v1/namespaces', want: { plural: 'namespaces' } },
    { path: '/api/v1/nodes/n1/status', want: { plural: 'nodes', name: 'n1', subresource: 'status' } },
    { path: '/apis/apps/v1/namespaces/d/deployments/web/scale', want: { plural: 'deployments', namespace: 'd', name: 'web', subresource: 'scale' } },
    { path: '/apis/apps/v1/deployments?watch=1', want: { plural: 'deployments' } },
    { path: '/api/v1/watch/namespaces/ns1/pods', want: { plural: 'pods', namespace: 'ns1', watchPath: true } },
    { path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1', want: { plural: 'leases', name: 'n1' } },
  ])('$path', ({ path, want }) => {
    const t = parseResourcePath(path)!;
    expect(t).toBeDefined();
    expect(t.res.plural).toBe(want.plural);
    for (const k of ['namespace', 'name', 'subresource', 'watchPath'] as const) {
      if (k in want) expect(t[k]).toBe((want as Record<string, unknown>)[k]);
    }
  });

  it.each([
    '/api/v2/pods',
    '/apis/apps/v1/pods',
    '/api/v1/widgets',
    '/api/v1/namespaces/ns1/pods/p1/exec-nope',
    '/api/v1/namespaces/ns1/configmaps/c/status',
    '/api/v1/namespaces/ns1/pods/p1/status/extra',
    '/healthz',
  ])('%s is not a resource path', (path) => {
    expect(parseResourcePath(path)).toBeUndefined();
  });
});
