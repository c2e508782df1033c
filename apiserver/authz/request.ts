// From an HTTP request to RequestAttributes (upstream's RequestInfoFactory), and the NodeGraph
// over the API server's pod cache.
import type { KubeObject } from '../../api/meta.js';
import type { UserInfo } from '../auth.js';
import { parseResourcePath } from '../request-path.js';
import { verbOf } from '../routes.js';
import type { ResourceStore } from '../resource-store.js';
import type { RequestAttributes } from './attributes.js';
import type { NodeGraph, PodLike } from './node.js';

type Query = Record<string, string | string[] | undefined>;

/** Resources served outside the registry's generated routes (create-only reviews). */
export const REVIEW_PATHS: Record<string, { apiGroup: string; resource: string }> = {
  '/apis/authentication.k8s.io/v1/tokenreviews': { apiGroup: 'authentication.k8s.io', resource: 'tokenreviews' },
};

/** requestAttributes describes a request; objectName is the created object's name, when known. */
export function requestAttributes(
  user: UserInfo,
  method: string,
  url: string,
  query: Query,
  objectName?: string,
): RequestAttributes {
  const path = url.split('?')[0]!;
  const review = REVIEW_PATHS[path];
  if (review) return { user, verb: method === 'POST' ? 'create' : method.toLowerCase(), resourceRequest: true, ...review };
  const t = parseResourcePath(url);
  if (!t) return { user, verb: method.toLowerCase(), resourceRequest: false, path };
  let verb = verbOf(method, t, query);
  // Streaming subresources: a GET (WebSocket) is `get`, a POST (SPDY) `create`, as upstream.
  if (t.subresource && ['exec', 'attach', 'portforward'].includes(t.subresource)) verb = method === 'GET' ? 'get' : 'create';
  return {
    user,
    verb,
    resourceRequest: true,
    apiGroup: t.res.group,
    resource: t.res.plural,
    subresource: t.subresource,
    namespace: t.namespace,
    name: t.name ?? selectedName(verb, query),
    objectName,
  };
}

/**
 * selectedName: a list or watch narrowed to one object by `fieldSelector=metadata.name=X` is about
 * X, as upstream's RequestInfoFactory reads it (a kubelet watches each Secret its pods use so).
 */
function selectedName(verb: string, query: Query): string | undefined {
  if (verb !== 'list' && verb !== 'watch') return undefined;
  const sel = query.fieldSelector;
  const m = typeof sel === 'string' ? /^metadata\.name==?([^,=!]+)$/.exec(sel.trim()) : null;
  return m?.[1];
}

/** storeGraph answers NodeGraph questions from the pods watch cache (indexed by spec.nodeName). */
export function storeGraph(stores: Map<string, ResourceStore>): NodeGraph {
  const cache = () => stores.get('pods')!.cache;
  const nodeOf = (o: KubeObject) => (o.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
  return {
    podNode(ns, name) {
      const o = cache().get(`/registry/pods/${ns}/${name}`)?.obj;
      return o ? nodeOf(o) : undefined;
    },
    podsOnNode(node, ns) {
      return cache()
        .list({ name: 'spec.nodeName', value: node })
        .map((c) => c.obj as unknown as PodLike)
        .filter((p) => p.metadata.namespace === ns);
    },
  };
}
