// API discovery: the documents kubectl reads to map `deploy` to a URL. Aggregated discovery
// (apidiscovery.k8s.io v2/v2beta1) answers GET /api and /apis in one request each; the legacy
// per-group-version APIResourceList documents are still read by `kubectl drain` and by clients
// without aggregated discovery. Everything is generated from the registry.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pathNotFound } from '../api/errors.js';
import { RESOURCES, apiGroups, groupVersion, type ResourceInfo, type Subresource } from '../api/registry.js';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface SubresourceInfo {
  name: Subresource;
  responseKind: GroupVersionKind;
  verbs: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const AGGREGATED_AS = 'APIGroupDiscoveryList';

/** Verbs of the main resource. Upstream's namespace storage has no deletecollection. */
export function resourceVerbs(r: ResourceInfo): string[] {
  return r.plural === 'namespaces' && r.group === '' ? ALL_VERBS.filter((v) => v !== 'deletecollection') : ALL_VERBS;
}

export function gvkOf(r: ResourceInfo): GroupVersionKind {
  return { group: r.group, version: r.version, kind: r.kind };
}

/** What each subresource answers with and which verbs it takes, as upstream registers them. */
export function subresourceInfo(r: ResourceInfo, name: Subresource): SubresourceInfo {
  switch (name) {
    case 'status':
      return { name, responseKind: gvkOf(r), verbs: ['get', 'patch', 'update'] };
    case 'scale':
      return { name, responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] };
    case 'binding':
      return { name, responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] };
    case 'eviction':
      return { name, responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] };
    case 'log':
      return { name, responseKind: gvkOf(r), verbs: ['get'] };
    case 'exec':
      return { name, responseKind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] };
    case 'attach':
      return { name, responseKind: { group: '', version: 'v1', kind: 'PodAttachOptions' }, verbs: ['create', 'get'] };
    case 'finalize':
      return { name, responseKind: gvkOf(r), verbs: ['update'] };
    case 'portforward':
      return { name, responseKind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' }, verbs: ['create', 'get'] };
  }
}

function resourcesOf(group: string, version: string): ResourceInfo[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version);
}

function hasGroupVersion(group: string, version: string): boolean {
  return resourcesOf(group, version).length > 0;
}

// ---- aggregated discovery -------------------------------------------------------------------

/** `v2`, `v2beta1`, or undefined when the client did not offer the aggregated media type. */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  const offered = (accept ?? '').split(',').map(mediaParams);
  const aggregated = offered.filter((p) => p.g === 'apidiscovery.k8s.io' && p.as === AGGREGATED_AS);
  if (aggregated.some((p) => p.v === 'v2')) return 'v2';
  if (aggregated.some((p) => p.v === 'v2beta1')) return 'v2beta1';
  return undefined;
}

function mediaParams(mediaType: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const part of mediaType.split(';').slice(1)) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (k && v !== undefined) params[k] = v;
  }
  return params;
}

export function aggregatedContentType(v: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${v};as=${AGGREGATED_AS}`;
}

function discoveryResource(r: ResourceInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resource: r.plural,
    responseKind: gvkOf(r),
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: resourceVerbs(r),
  };
  if (r.shortNames.length) out.shortNames = r.shortNames;
  if (r.categories.length) out.categories = r.categories;
  if (r.subresources.length) out.subresources = r.subresources.map((s) => discoverySubresource(r, s));
  return out;
}

function discoverySubresource(r: ResourceInfo, name: Subresource): Record<string, unknown> {
  const info = subresourceInfo(r, name);
  return { subresource: name, responseKind: info.responseKind, verbs: info.verbs };
}

function groupDiscovery(group: string, versions: string[]): Record<string, unknown> {
  return {
    metadata: { name: group },
    versions: versions.map((version) => ({
      version,
      resources: resourcesOf(group, version).map(discoveryResource),
      freshness: 'Current',
    })),
  };
}

/** The APIGroupDiscoveryList for `/api` (core: true) or `/apis` (core: false). */
export function aggregatedDiscovery(core: boolean, v: 'v2' | 'v2beta1'): Record<string, unknown> {
  const groups = apiGroups().filter((g) => (g.group === '') === core);
  return {
    kind: AGGREGATED_AS,
    apiVersion: `apidiscovery.k8s.io/${v}`,
    metadata: {},
    items: groups.map((g) => groupDiscovery(g.group, g.versions)),
  };
}

// ---- legacy discovery -----------------------------------------------------------------------

export function apiVersions(serverAddress: string): Record<string, unknown> {
  const core = apiGroups().find((g) => g.group === '');
  return {
    kind: 'APIVersions',
    versions: core?.versions ?? [],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersionForDiscovery(group: string, version: string): Record<string, string> {
  return { groupVersion: `${group}/${version}`, version };
}

function groupEntry(group: string, versions: string[]): Record<string, unknown> {
  return {
    name: group,
    versions: versions.map((v) => groupVersionForDiscovery(group, v)),
    preferredVersion: groupVersionForDiscovery(group, versions[0]!),
  };
}

export function apiGroup(group: string, versions: string[]): Record<string, unknown> {
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, versions) };
}

export function apiGroupList(): Record<string, unknown> {
  const groups = apiGroups().filter((g) => g.group !== '').map((g) => groupEntry(g.group, g.versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

function legacyResource(r: ResourceInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: resourceVerbs(r),
  };
  if (r.shortNames.length) out.shortNames = r.shortNames;
  if (r.categories.length) out.categories = r.categories;
  return out;
}

function legacySubresource(r: ResourceInfo, name: Subresource): Record<string, unknown> {
  const { responseKind: gvk, verbs } = subresourceInfo(r, name);
  const out: Record<string, unknown> = { name: `${r.plural}/${name}`, singularName: '', namespaced: r.namespaced };
  // Only a subresource served in another group-version names it, as upstream does.
  if (gvk.group !== r.group || gvk.version !== r.version) Object.assign(out, { group: gvk.group, version: gvk.version });
  return { ...out, kind: gvk.kind, verbs };
}

export function apiResourceList(group: string, version: string): Record<string, unknown> {
  const entries = resourcesOf(group, version).flatMap((r) => [
    legacyResource(r),
    ...r.subresources.map((s) => legacySubresource(r, s)),
  ]);
  entries.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources: entries };
}

// ---- routes ---------------------------------------------------------------------------------

function sendAggregated(req: FastifyRequest, reply: FastifyReply, core: boolean): boolean {
  reply.header('vary', 'Accept');
  const v = aggregatedVersion(req.headers.accept);
  if (!v) return false;
  // kubectl only parses the body as aggregated discovery when the content type says so. A
  // Buffer keeps fastify from re-quoting the media type parameters and appending a charset.
  const body = Buffer.from(JSON.stringify(aggregatedDiscovery(core, v)));
  reply.header('content-type', aggregatedContentType(v)).send(body);
  return true;
}

function serverAddress(req: FastifyRequest): string {
  const { localAddress, localPort } = req.socket;
  return localAddress && localPort ? `${localAddress.replace(/^::ffff:/, '')}:${localPort}` : req.host;
}

export async function discoveryRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api', async (req, reply) => {
    if (!sendAggregated(req, reply, true)) return reply.send(apiVersions(serverAddress(req)));
    return reply;
  });
  app.get('/apis', async (req, reply) => {
    if (!sendAggregated(req, reply, false)) return reply.send(apiGroupList());
    return reply;
  });
  app.get<{ Params: { version: string } }>('/api/:version', async (req, reply) => {
    if (!hasGroupVersion('', req.params.version)) return reply.code(404).send(pathNotFound().status);
    return apiResourceList('', req.params.version);
  });
  app.get<{ Params: { group: string } }>('/apis/:group', async (req, reply) => {
    const g = apiGroups().find((x) => x.group === req.params.group && x.group !== '');
    if (!g) return reply.code(404).send(pathNotFound().status);
    return apiGroup(g.group, g.versions);
  });
  app.get<{ Params: { group: string; version: string } }>('/apis/:group/:version', async (req, reply) => {
    const { group, version } = req.params;
    if (!group || !hasGroupVersion(group, version)) return reply.code(404).send(pathNotFound().status);
    return apiResourceList(group, version);
  });
}
