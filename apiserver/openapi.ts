// OpenAPI documents. kubectl reads them to decide whether the server validates fields itself
// (then it sends ?fieldValidation=Strict and skips client-side validation): it looks for a
// `patch` operation carrying the kind's GVK extension and a `fieldValidation` parameter.
// The schemas (openapi-schemas.ts) serve `kubectl explain` and client-side apply's patch
// computation, so they carry the same patch merge keys the server merges by.

import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { pathNotFound } from '../api/errors.js';
import { RESOURCES, apiGroups, type ResourceInfo } from '../api/registry.js';
import { gvkOf, resourceVerbs, subresourceInfo, type GroupVersionKind } from './discovery.js';
import { allDefinitions, groupVersionSchemas } from './openapi-schemas.js';
import { encodeOpenAPIV2, type V2PatchPath } from './openapi-v2-proto.js';
import { GIT_VERSION } from './version.js';

type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Op {
  method: Method;
  action: Action;
  operationId: string;
  gvk: GroupVersionKind;
}

const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'];
const PARAMS: Record<Action, string[]> = {
  get: [],
  list: ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion',
    'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'],
  post: WRITE_PARAMS,
  put: WRITE_PARAMS,
  patch: [...WRITE_PARAMS, 'force'],
  delete: ['dryRun', 'gracePeriodSeconds', 'propagationPolicy'],
  deletecollection: ['continue', 'dryRun', 'fieldSelector', 'gracePeriodSeconds', 'labelSelector', 'limit',
    'propagationPolicy', 'resourceVersion', 'resourceVersionMatch', 'timeoutSeconds'],
};
const BOOLEAN_PARAMS = new Set(['allowWatchBookmarks', 'force', 'sendInitialEvents', 'watch']);
const INTEGER_PARAMS = new Set(['limit', 'timeoutSeconds', 'gracePeriodSeconds']);

/** `/api/v1` or `/apis/apps/v1`. */
export function gvPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** The key of the /openapi/v3 index: the prefix without its leading slash. */
function indexKey(group: string, version: string): string {
  return gvPrefix(group, version).slice(1);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Upstream style operation ids: patchAppsV1NamespacedDeploymentScale. */
function operationId(verb: string, r: ResourceInfo, namespaced: boolean, suffix = ''): string {
  const group = r.group ? cap(r.group.split('.')[0]!) : 'Core';
  return `${verb}${group}${cap(r.version)}${namespaced ? 'Namespaced' : ''}${r.kind}${suffix}`;
}

function parameter(name: string): Record<string, unknown> {
  const type = BOOLEAN_PARAMS.has(name) ? 'boolean' : INTEGER_PARAMS.has(name) ? 'integer' : 'string';
  return { name, in: 'query', schema: { type, uniqueItems: true } };
}

function pathParams(names: string[]): Record<string, unknown>[] {
  return names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }));
}

function operation(op: Op, tag: string): Record<string, unknown> {
  const responses: Record<string, unknown> = { '200': { description: 'OK' } };
  if (op.method === 'post' || op.method === 'put' || op.method === 'patch') responses['201'] = { description: 'Created' };
  return {
    tags: [tag],
    operationId: op.operationId,
    parameters: PARAMS[op.action].map(parameter),
    responses,
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
}

function pathItem(ops: Op[], tag: string, params: string[]): Record<string, unknown> {
  const item: Record<string, unknown> = { parameters: [...pathParams(params), parameter('pretty')] };
  for (const op of ops) item[op.method] = operation(op, tag);
  return item;
}

/** Item-level operations on `{name}` (and on status/scale, which share their shape). */
function itemOps(r: ResourceInfo, ns: boolean, gvk: GroupVersionKind, suffix: string, sub: boolean): Op[] {
  const id = (verb: string) => operationId(verb, r, ns, suffix);
  const ops: Op[] = [
    { method: 'get', action: 'get', operationId: id('read'), gvk },
    { method: 'put', action: 'put', operationId: id('replace'), gvk },
    { method: 'patch', action: 'patch', operationId: id('patch'), gvk },
  ];
  if (!sub) ops.push({ method: 'delete', action: 'delete', operationId: id('delete'), gvk });
  return ops;
}

function collectionOps(r: ResourceInfo, ns: boolean): Op[] {
  const gvk = gvkOf(r);
  const ops: Op[] = [
    { method: 'get', action: 'list', operationId: operationId('list', r, ns), gvk },
    { method: 'post', action: 'post', operationId: operationId('create', r, ns), gvk },
  ];
  if (resourceVerbs(r).includes('deletecollection')) {
    ops.push({ method: 'delete', action: 'deletecollection', operationId: operationId('deleteCollection', r, ns), gvk });
  }
  return ops;
}

function resourcePaths(r: ResourceInfo): Record<string, unknown> {
  const tag = `${r.group ? r.group.split('.')[0] : 'core'}_${r.version}`;
  const prefix = gvPrefix(r.group, r.version);
  const base = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
  const scope = r.namespaced ? ['namespace'] : [];
  const paths: Record<string, unknown> = {
    [base]: pathItem(collectionOps(r, r.namespaced), tag, scope),
    [`${base}/{name}`]: pathItem(itemOps(r, r.namespaced, gvkOf(r), '', false), tag, [...scope, 'name']),
  };
  for (const sub of r.subresources.filter((s) => s === 'status' || s === 'scale')) {
    const ops = itemOps(r, r.namespaced, subresourceInfo(r, sub).responseKind, cap(sub), true);
    paths[`${base}/{name}/${sub}`] = pathItem(ops, tag, [...scope, 'name']);
  }
  if (r.namespaced) {
    const listAll: Op = { method: 'get', action: 'list', operationId: operationId('list', r, false, 'ForAllNamespaces'), gvk: gvkOf(r) };
    paths[`${prefix}/${r.plural}`] = pathItem([listAll], tag, []);
  }
  return paths;
}

/** The OpenAPI 3 document of one group-version, or undefined when it is not served. */
export function groupVersionDocument(group: string, version: string): Record<string, unknown> | undefined {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!resources.length) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: GIT_VERSION },
    paths: Object.assign({}, ...resources.map(resourcePaths)),
    components: { schemas: groupVersionSchemas(group, version) },
  };
}

interface ServedDoc {
  body: string;
  hash: string;
}

const served = new Map<string, ServedDoc | undefined>();

/** Serialised once per process: documents only change when the registry does. */
function servedDocument(group: string, version: string): ServedDoc | undefined {
  const key = `${group}/${version}`;
  if (!served.has(key)) {
    const doc = groupVersionDocument(group, version);
    const body = doc && JSON.stringify(doc);
    served.set(key, body ? { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() } : undefined);
  }
  return served.get(key);
}

/** GET /openapi/v3: one entry per group-version, whose URL changes with the document. */
export function openapiIndex(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, versions } of apiGroups()) {
    for (const version of versions) {
      const doc = servedDocument(group, version)!;
      const key = indexKey(group, version);
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
    }
  }
  return { paths };
}

/** Every kind's item path with its patch operation, for the protobuf /openapi/v2. */
export function v2PatchPaths(): V2PatchPath[] {
  return RESOURCES.map((r) => {
    const prefix = gvPrefix(r.group, r.version);
    const path = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}/{name}` : `${prefix}/${r.plural}/{name}`;
    return { path, operationId: operationId('patch', r, r.namespaced), gvk: gvkOf(r) };
  });
}

let v2Body: Buffer | undefined;

function sendDocument(reply: FastifyReply, group: string, version: string, hash: string | undefined): FastifyReply {
  const doc = servedDocument(group, version);
  if (!doc) return reply.code(404).send(pathNotFound().status);
  reply.header('etag', `"${doc.hash}"`);
  // A URL carrying the current hash never changes, so kubectl may cache it for good.
  reply.header('cache-control', hash === doc.hash ? 'public, immutable' : 'no-cache, private');
  return reply.type('application/json').send(doc.body);
}

export async function openapiRoutes(app: FastifyInstance): Promise<void> {
  app.get('/openapi/v3', async () => openapiIndex());
  app.get<{ Params: { version: string }; Querystring: { hash?: string } }>('/openapi/v3/api/:version', async (req, reply) =>
    sendDocument(reply, '', req.params.version, req.query.hash),
  );
  app.get<{ Params: { group: string; version: string }; Querystring: { hash?: string } }>(
    '/openapi/v3/apis/:group/:version',
    // The core group is only served under /api, never as an empty group segment.
    async (req, reply) => sendDocument(reply, req.params.group || '-', req.params.version, req.query.hash),
  );
  app.get('/openapi/v2', async (_req, reply) => {
    v2Body ??= encodeOpenAPIV2(GIT_VERSION, v2PatchPaths(), allDefinitions());
    // Not the proto-openapi media type: Go's MIME parser rejects its `@` (kubectl-wire §2.1).
    return reply.type('application/octet-stream').send(v2Body);
  });
}
