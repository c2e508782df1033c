// Table tests for the authorizer: admin, node (Node authorizer + NodeRestriction), scheduler,
// controller-manager, bootstrap tokens and strangers, and the upstream-worded 403.
import { describe, expect, it } from 'vitest';
import { authorize, forbidden, podReferences, type NodeGraph, type PodLike, type RequestAttributes } from '../../../apiserver/authz/index.js';
import { requestAttributes } from '../../../apiserver/authz/request.js';
import { nodeUser, USER_CONTROLLER_MANAGER, USER_SCHEDULER, type UserInfo } from '../../../apiserver/auth.js';

const admin: UserInfo = { name: 'admin', groups: ['system:masters'] };
const n1 = nodeUser('n1');
const sched: UserInfo = { name: USER_SCHEDULER, groups: ['system:authenticated'] };
const kcm: UserInfo = { name: USER_CONTROLLER_MANAGER, groups: ['system:authenticated'] };
const boot: UserInfo = { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] };
const alice: UserInfo = { name: 'alice', groups: ['system:authenticated'] };

function pod(ns: string, name: string, nodeName: string, spec: PodLike['spec'] = {}): PodLike {
  return { metadata: { namespace: ns, name }, spec: { nodeName, ...spec } };
}

const PODS: PodLike[] = [
  pod('shop', 'web', 'n1', {
    volumes: [{ secret: { secretName: 'tls' } }, { projected: { sources: [{ configMap: { name: 'proj-cm' } }] } }],
    containers: [{ env: [{ valueFrom: { secretKeyRef: { name: 'db-pass' } } }], envFrom: [{ configMapRef: { name: 'settings' } }] }],
  }),
  pod('bank', 'vault', 'n2', { volumes: [{ secret: { secretName: 'gold' } }] }),
  pod('shop', 'pending', '', { volumes: [{ secret: { secretName: 'unbound' } }] }),
];

const graph: NodeGraph = {
  podNode: (ns, name) => {
    const p = PODS.find((x) => x.metadata.namespace === ns && x.metadata.name === name);
    return p ? (p.spec?.nodeName ?? '') : undefined;
  },
  podsOnNode: (node, ns) => PODS.filter((p) => p.spec?.nodeName === node && p.metadata.namespace === ns),
};

type Case = [name: string, user: UserInfo, attrs: Partial<RequestAttributes>, allowed: boolean];
const res = (verb: string, resource: string, more: Partial<RequestAttributes> = {}): Partial<RequestAttributes> => ({
  verb,
  resource,
  resourceRequest: true,
  apiGroup: '',
  ...more,
});

const cases: Case[] = [
  ['admin deletes anything', admin, res('delete', 'secrets', { namespace: 'bank', name: 'gold' }), true],
  ['admin execs', admin, res('create', 'pods', { subresource: 'exec', namespace: 'shop', name: 'web' }), true],
  ['anyone authenticated reads discovery', alice, { verb: 'get', resourceRequest: false, path: '/apis/apps/v1' }, true],
  ['a stranger reads nothing', alice, res('get', 'pods', { namespace: 'shop', name: 'web' }), false],
  ['a stranger cannot read metrics', alice, { verb: 'get', resourceRequest: false, path: '/metrics' }, false],
  ['a bootstrap token discovers', boot, { verb: 'get', resourceRequest: false, path: '/version' }, true],
  ['a bootstrap token cannot list nodes', boot, res('list', 'nodes'), false],

  ['node lists nodes', n1, res('list', 'nodes'), true],
  ['node creates its own Node', n1, res('create', 'nodes', { objectName: 'n1' }), true],
  ['node cannot create another Node', n1, res('create', 'nodes', { objectName: 'n2' }), false],
  ['node patches its own Node', n1, res('patch', 'nodes', { name: 'n1' }), true],
  ['node updates its own Node status', n1, res('update', 'nodes', { name: 'n1', subresource: 'status' }), true],
  ['node cannot update another Node', n1, res('update', 'nodes', { name: 'n2' }), false],
  ['node cannot patch another Node status', n1, res('patch', 'nodes', { name: 'n2', subresource: 'status' }), false],
  ['node renews its own Lease', n1, res('update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n1' }), true],
  ['node creates its own Lease', n1, res('create', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', objectName: 'n1' }), true],
  ['node cannot touch another Lease', n1, res('update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n2' }), false],
  ['node cannot take the scheduler Lease', n1, res('update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-system', name: 'n1' }), false],
  ['node watches pods', n1, res('watch', 'pods'), true],
  ['node patches status of its pod', n1, res('patch', 'pods', { namespace: 'shop', name: 'web', subresource: 'status' }), true],
  ['node cannot patch status of a pod on n2', n1, res('patch', 'pods', { namespace: 'bank', name: 'vault', subresource: 'status' }), false],
  ['node patching a pod that is gone gets through (to a 404)', n1, res('patch', 'pods', { namespace: 'shop', name: 'gone', subresource: 'status' }), true],
  ['node deletes its pod', n1, res('delete', 'pods', { namespace: 'shop', name: 'web' }), true],
  ['node cannot delete an unbound pod', n1, res('delete', 'pods', { namespace: 'shop', name: 'pending' }), false],
  ['node cannot create pods', n1, res('create', 'pods', { namespace: 'shop' }), false],
  ['node cannot update a pod spec', n1, res('update', 'pods', { namespace: 'shop', name: 'web' }), false],
  ['node cannot exec', n1, res('create', 'pods', { namespace: 'shop', name: 'web', subresource: 'exec' }), false],
  ['node gets a Secret its pod mounts', n1, res('get', 'secrets', { namespace: 'shop', name: 'tls' }), true],
  ['node gets a Secret its pod reads in env', n1, res('get', 'secrets', { namespace: 'shop', name: 'db-pass' }), true],
  ['node gets a ConfigMap from envFrom', n1, res('get', 'configmaps', { namespace: 'shop', name: 'settings' }), true],
  ['node gets a ConfigMap from a projected volume', n1, res('get', 'configmaps', { namespace: 'shop', name: 'proj-cm' }), true],
  ['node cannot get a Secret of another namespace', n1, res('get', 'secrets', { namespace: 'bank', name: 'gold' }), false],
  ['node cannot get an unreferenced Secret', n1, res('get', 'secrets', { namespace: 'shop', name: 'other' }), false],
  ['node cannot get a Secret of an unbound pod', n1, res('get', 'secrets', { namespace: 'shop', name: 'unbound' }), false],
  ['node cannot list Secrets', n1, res('list', 'secrets', { namespace: 'shop' }), false],
  ['node cannot watch ConfigMaps', n1, res('watch', 'configmaps'), false],
  ['node watches a Secret its pod mounts, by name', n1, res('watch', 'secrets', { namespace: 'shop', name: 'tls' }), true],
  ['node lists a ConfigMap its pod uses, by name', n1, res('list', 'configmaps', { namespace: 'shop', name: 'settings' }), true],
  ['node cannot watch an unreferenced Secret by name', n1, res('watch', 'secrets', { namespace: 'shop', name: 'other' }), false],
  ['node lists Services', n1, res('list', 'services', { namespace: 'shop' }), true],
  ['node watches Endpoints', n1, res('watch', 'endpoints'), true],
  ['node cannot update a Service', n1, res('update', 'services', { namespace: 'shop', name: 's' }), false],
  ['node creates events', n1, res('create', 'events', { namespace: 'shop' }), true],
  ['node reviews tokens', n1, res('create', 'tokenreviews', { apiGroup: 'authentication.k8s.io' }), true],
  ['node cannot delete a namespace', n1, res('delete', 'namespaces', { name: 'shop' }), false],

  ['scheduler binds', sched, res('create', 'pods', { namespace: 'shop', name: 'web', subresource: 'binding' }), true],
  ['scheduler watches nodes', sched, res('watch', 'nodes'), true],
  ['scheduler patches pod status', sched, res('patch', 'pods', { namespace: 'shop', name: 'web', subresource: 'status' }), true],
  ['scheduler renews its Lease in kube-system', sched, res('update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-system', name: 'kube-scheduler' }), true],
  ['scheduler cannot touch node Leases', sched, res('update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n1' }), false],
  ['scheduler cannot read Secrets', sched, res('get', 'secrets', { namespace: 'shop', name: 'tls' }), false],
  ['scheduler cannot create Deployments', sched, res('create', 'deployments', { apiGroup: 'apps', namespace: 'shop' }), false],

  ['controller-manager creates pods', kcm, res('create', 'pods', { namespace: 'shop' }), true],
  ['controller-manager creates ReplicaSets', kcm, res('create', 'replicasets', { apiGroup: 'apps', namespace: 'shop' }), true],
  ['controller-manager updates Deployment status', kcm, res('update', 'deployments', { apiGroup: 'apps', namespace: 'shop', name: 'd', subresource: 'status' }), true],
  ['controller-manager finalizes namespaces', kcm, res('update', 'namespaces', { name: 'shop', subresource: 'finalize' }), true],
  ['controller-manager deletes collections (namespace controller)', kcm, res('deletecollection', 'secrets', { namespace: 'shop' }), true],
  ['controller-manager cannot create Secrets', kcm, res('create', 'secrets', { namespace: 'shop' }), false],
  ['controller-manager cannot exec', kcm, res('create', 'pods', { namespace: 'shop', name: 'web', subresource: 'exec' }), false],
  ['controller-manager cannot read logs', kcm, res('get', 'pods', { namespace: 'shop', name: 'web', subresource: 'log' }), false],
];

describe('authorize', () => {
  it.each(cases)('%s', (_name, user, attrs, allowed) => {
    const a = { user, ...attrs } as RequestAttributes;
    expect(authorize(a, graph).allowed).toBe(allowed);
  });
});

describe('forbidden', () => {
  it('words a namespaced denial as upstream, with the node authorizer reason', () => {
    const a = { user: n1, ...res('get', 'secrets', { namespace: 'bank', name: 'gold' }) } as RequestAttributes;
    const err = forbidden(a, authorize(a, graph).reason);
    expect(err.code).toBe(403);
    expect(err.reason).toBe('Forbidden');
    expect(err.message).toBe(
      `secrets "gold" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "bank": no relationship found between node 'n1' and this object`,
    );
    expect(err.status.details).toEqual({ name: 'gold', kind: 'secrets' });
  });

  it('words a cluster-scoped subresource denial with its group and scope', () => {
    const a = { user: n1, ...res('update', 'nodes', { name: 'n2', subresource: 'status' }) } as RequestAttributes;
    expect(forbidden(a, authorize(a, graph).reason).message).toBe(
      `nodes "n2" is forbidden: User "system:node:n1" cannot update resource "nodes/status" in API group "" at the cluster scope: node "n1" is not allowed to modify node "n2"`,
    );
  });

  it('words a list without a name and a grouped resource', () => {
    const a = { user: alice, ...res('list', 'deployments', { apiGroup: 'apps', namespace: 'shop' }) } as RequestAttributes;
    expect(forbidden(a).message).toBe(
      `deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" in the namespace "shop"`,
    );
  });

  it('words a non-resource denial', () => {
    const a: RequestAttributes = { user: alice, verb: 'get', resourceRequest: false, path: '/metrics' };
    expect(forbidden(a).message).toBe('forbidden: User "alice" cannot get path "/metrics"');
  });
});

describe('podReferences', () => {
  it('collects volumes, projected sources, env, envFrom and image pull secrets', () => {
    const refs = podReferences(
      pod('ns', 'p', 'n1', {
        volumes: [{ persistentVolumeClaim: { claimName: 'data' } }],
        initContainers: [{ envFrom: [{ secretRef: { name: 'init-s' } }] }],
        imagePullSecrets: [{ name: 'pull' }],
      }),
    );
    expect([...refs.secrets].sort()).toEqual(['init-s', 'pull']);
    expect([...refs.persistentvolumeclaims]).toEqual(['data']);
    expect(refs.configmaps.size).toBe(0);
  });
});

describe('requestAttributes: a list or watch narrowed by metadata.name is about that object', () => {
  const u = nodeUser('n1');
  it.each([
    { q: { watch: '1', fieldSelector: 'metadata.name=tls' }, want: 'tls' },
    { q: { fieldSelector: 'metadata.name==tls' }, want: 'tls' },
    { q: { watch: '1', fieldSelector: 'metadata.name=tls,metadata.namespace=shop' }, want: undefined },
    { q: { watch: '1', fieldSelector: 'metadata.name!=tls' }, want: undefined },
    { q: { watch: '1' }, want: undefined },
  ])('$q.fieldSelector', ({ q, want }) => {
    expect(requestAttributes(u, 'GET', '/api/v1/namespaces/shop/secrets', q).name).toBe(want);
  });
});
