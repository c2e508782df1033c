// Minimal valid objects of every kind, for integration tests.

export function pod(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'demo' } },
    spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
    ...extra,
  };
}

export function deployment(name: string, replicas = 2) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

export function replicaSet(name: string) {
  const d = deployment(name, 1);
  return { ...d, kind: 'ReplicaSet' };
}

/** One valid object per resource: [plural, path prefix for the collection, object]. */
export function everyKind(ns: string): { plural: string; collection: string; obj: Record<string, any> }[] {
  const core = `/api/v1/namespaces/${ns}`;
  return [
    { plural: 'namespaces', collection: '/api/v1/namespaces', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${ns}-extra` } } },
    { plural: 'pods', collection: `${core}/pods`, obj: pod('p1') },
    { plural: 'nodes', collection: '/api/v1/nodes', obj: { apiVersion: 'v1', kind: 'Node', metadata: { name: `${ns}-node` }, spec: {} } },
    {
      plural: 'services',
      collection: `${core}/services`,
      obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc1' }, spec: { selector: { app: 'demo' }, ports: [{ port: 80 }] } },
    },
    {
      plural: 'endpoints',
      collection: `${core}/endpoints`,
      obj: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'svc1' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] },
    },
    { plural: 'configmaps', collection: `${core}/configmaps`, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { a: '1' } } },
    {
      plural: 'secrets',
      collection: `${core}/secrets`,
      obj: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, data: { pw: Buffer.from('x').toString('base64') } },
    },
    {
      plural: 'events',
      collection: `${core}/events`,
      obj: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'ev1' },
        involvedObject: { kind: 'Pod', name: 'p1', namespace: ns },
        reason: 'Test',
        message: 'hello',
        type: 'Normal',
      },
    },
    { plural: 'deployments', collection: `/apis/apps/v1/namespaces/${ns}/deployments`, obj: deployment('d1') },
    { plural: 'replicasets', collection: `/apis/apps/v1/namespaces/${ns}/replicasets`, obj: replicaSet('rs1') },
    {
      plural: 'leases',
      collection: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`,
      obj: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l1' }, spec: { holderIdentity: 'me', leaseDurationSeconds: 15 } },
    },
  ];
}
