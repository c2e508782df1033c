// The node authorizer: what a kubelet (user system:node:<name>, group system:nodes) may do, as
// upstream's Node authorizer, system:node role and NodeRestriction admission together allow it.
//
// Reads: Nodes, Services, Endpoints(Slices) and Pods of the whole cluster (upstream's system:node
// role grants get/list/watch on pods too; a pod's spec is not a secret). Secrets, ConfigMaps and
// PersistentVolumeClaims: `get` only, and only those a pod bound to this node references
// (volumes, projected sources, env, envFrom, imagePullSecrets) — the graph edge upstream checks.
// Writes: its own Node (and status), its own Lease kube-node-lease/<name>, the status of pods
// bound to it, deleting pods bound to it, events, and TokenReviews (to check callers of its own
// HTTPS server, as the kubelet's webhook authentication does). Nothing else.
import type { Decision, RequestAttributes } from './attributes.js';
import { ALLOW, deny } from './attributes.js';

/** PodLike is the part of a Pod the node authorizer reads. */
export interface PodLike {
  metadata: { namespace?: string; name?: string };
  spec?: {
    nodeName?: string;
    volumes?: {
      secret?: { secretName?: string };
      configMap?: { name?: string };
      persistentVolumeClaim?: { claimName?: string };
      projected?: { sources?: { secret?: { name?: string }; configMap?: { name?: string } }[] };
    }[];
    containers?: ContainerLike[];
    initContainers?: ContainerLike[];
    ephemeralContainers?: ContainerLike[];
    imagePullSecrets?: { name?: string }[];
  };
}

interface ContainerLike {
  env?: { valueFrom?: { secretKeyRef?: { name?: string }; configMapKeyRef?: { name?: string } } }[];
  envFrom?: { secretRef?: { name?: string }; configMapRef?: { name?: string } }[];
}

/** NodeGraph answers the relationship questions; the API server implements it over its caches. */
export interface NodeGraph {
  /** The node a pod is bound to ('' when unbound); undefined when there is no such pod. */
  podNode(namespace: string, name: string): string | undefined;
  /** Pods bound to a node, in one namespace. */
  podsOnNode(nodeName: string, namespace: string): PodLike[];
}

export type RefKind = 'secrets' | 'configmaps' | 'persistentvolumeclaims';

/** podReferences lists the Secrets, ConfigMaps and PVCs a pod uses, by name. */
export function podReferences(pod: PodLike): Record<RefKind, Set<string>> {
  const out: Record<RefKind, Set<string>> = { secrets: new Set(), configmaps: new Set(), persistentvolumeclaims: new Set() };
  const add = (kind: RefKind, name: string | undefined) => void (name && out[kind].add(name));
  const s = pod.spec ?? {};
  for (const v of s.volumes ?? []) {
    add('secrets', v.secret?.secretName);
    add('configmaps', v.configMap?.name);
    add('persistentvolumeclaims', v.persistentVolumeClaim?.claimName);
    for (const src of v.projected?.sources ?? []) {
      add('secrets', src.secret?.name);
      add('configmaps', src.configMap?.name);
    }
  }
  for (const c of [...(s.containers ?? []), ...(s.initContainers ?? []), ...(s.ephemeralContainers ?? [])]) {
    for (const e of c.env ?? []) {
      add('secrets', e.valueFrom?.secretKeyRef?.name);
      add('configmaps', e.valueFrom?.configMapKeyRef?.name);
    }
    for (const f of c.envFrom ?? []) {
      add('secrets', f.secretRef?.name);
      add('configmaps', f.configMapRef?.name);
    }
  }
  for (const p of s.imagePullSecrets ?? []) add('secrets', p.name);
  return out;
}

const READ = new Set(['get', 'list', 'watch']);
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

const noRelationship = (node: string) => deny(`no relationship found between node '${node}' and this object`);

/** authorizeNode decides a request of node `node`. */
export function authorizeNode(a: RequestAttributes, node: string, graph: NodeGraph): Decision {
  if (!a.resourceRequest) return deny();
  const group = a.apiGroup ?? '';
  const sub = a.subresource ?? '';
  const key = `${group}/${a.resource}`;
  switch (key) {
    case '/nodes':
      return nodes(a, node, sub);
    case 'coordination.k8s.io/leases':
      return leases(a, node);
    case '/pods':
      return pods(a, node, sub, graph);
    case '/secrets':
    case '/configmaps':
    case '/persistentvolumeclaims':
      return referenced(a, node, a.resource as RefKind, graph);
    case '/services':
    case '/endpoints':
    case 'discovery.k8s.io/endpointslices':
      return READ.has(a.verb) && !sub ? ALLOW : deny();
    case '/events':
    case 'events.k8s.io/events':
      return ['create', 'update', 'patch'].includes(a.verb) ? ALLOW : deny();
    case 'authentication.k8s.io/tokenreviews':
    case 'authorization.k8s.io/subjectaccessreviews':
      return a.verb === 'create' ? ALLOW : deny();
  }
  return deny();
}

function nodes(a: RequestAttributes, node: string, sub: string): Decision {
  if (READ.has(a.verb)) return sub === '' || sub === 'status' ? ALLOW : deny();
  if (sub !== '' && sub !== 'status') return deny();
  const target = a.verb === 'create' ? a.objectName : a.name;
  if (!['create', 'update', 'patch', 'delete'].includes(a.verb)) return deny();
  return target === node ? ALLOW : deny(`node "${node}" is not allowed to modify node "${target ?? ''}"`);
}

function leases(a: RequestAttributes, node: string): Decision {
  if (a.namespace !== NODE_LEASE_NAMESPACE || a.subresource) return deny();
  if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return deny();
  const target = a.verb === 'create' ? a.objectName : a.name;
  return target === node ? ALLOW : deny(`node "${node}" is not allowed to modify lease "${target ?? ''}"`);
}

function pods(a: RequestAttributes, node: string, sub: string, graph: NodeGraph): Decision {
  if (sub === '' && READ.has(a.verb)) return ALLOW;
  const bound = a.name === undefined ? '' : graph.podNode(a.namespace ?? '', a.name);
  // A pod that is gone lets the request through to its 404 (nodes may read every pod anyway), so
  // a kubelet finishing with a deleted pod sees NotFound, as it expects, not a 403.
  const own = bound === node || bound === undefined;
  if (sub === 'status' && ['get', 'update', 'patch'].includes(a.verb)) return own ? ALLOW : noRelationship(node);
  if (sub === '' && a.verb === 'delete') return own ? ALLOW : noRelationship(node);
  return deny();
}

function referenced(a: RequestAttributes, node: string, kind: RefKind, graph: NodeGraph): Decision {
  // get by name, or list/watch narrowed to that name (metadata.name field selector), as upstream.
  if (!READ.has(a.verb) || a.subresource || !a.name || !a.namespace) return deny();
  const used = graph.podsOnNode(node, a.namespace).some((p) => podReferences(p)[kind].has(a.name!));
  return used ? ALLOW : noRelationship(node);
}
