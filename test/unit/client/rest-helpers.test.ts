import { describe, expect, it } from 'vitest';
import { mustResource } from '../../../api/registry.js';
import { resourcePath, withQuery } from '../../../client/paths.js';
import { statusErrorFromResponse, statusErrorFromStatus } from '../../../client/status.js';

describe('resourcePath', () => {
  it.each([
    { res: 'pods', ns: 'default', name: 'web', sub: undefined, want: '/api/v1/namespaces/default/pods/web' },
    { res: 'pods', ns: 'default', name: 'web', sub: 'binding', want: '/api/v1/namespaces/default/pods/web/binding' },
    { res: 'pods', ns: undefined, name: undefined, sub: undefined, want: '/api/v1/pods' },
    { res: 'nodes', ns: 'ignored', name: 'n1', sub: 'status', want: '/api/v1/nodes/n1/status' },
    { res: 'deployments', ns: 'prod', name: undefined, sub: undefined, want: '/apis/apps/v1/namespaces/prod/deployments' },
    { res: 'leases', ns: 'kube-system', name: 'sched', sub: undefined, want: '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/sched' },
  ])('$want', ({ res, ns, name, sub, want }) => {
    expect(resourcePath(mustResource(res), ns, name, sub)).toBe(want);
  });

  it('withQuery keeps set parameters only and encodes them', () => {
    const q = withQuery('/api/v1/pods', { watch: 1, labelSelector: 'app=web,tier!=db', limit: undefined, continue: '' });
    expect(q).toBe('/api/v1/pods?watch=1&labelSelector=app%3Dweb%2Ctier%21%3Ddb');
  });
});

describe('statusErrorFromResponse', () => {
  it('rebuilds a Status body', () => {
    const body = JSON.stringify({
      kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 409, reason: 'AlreadyExists',
      message: 'pods "web" already exists', details: { name: 'web', kind: 'pods' },
    });
    const err = statusErrorFromResponse(409, body);
    expect([err.code, err.reason, err.message, err.status.details?.name]).toEqual([409, 'AlreadyExists', 'pods "web" already exists', 'web']);
  });

  it.each([
    { code: 404, body: '404 page not found', reason: 'NotFound' },
    { code: 401, body: '', reason: 'Unauthorized' },
    { code: 502, body: 'bad gateway', reason: 'InternalError' },
  ])('maps a non-Status $code body to $reason', ({ code, body, reason }) => {
    const err = statusErrorFromResponse(code, body);
    expect([err.code, err.reason]).toEqual([code, reason]);
  });

  it('wraps a watch ERROR Status', () => {
    const err = statusErrorFromStatus({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' });
    expect([err.code, err.reason]).toEqual([410, 'Expired']);
  });
});
