// Fastify routes for every resource in the registry: parses the URL and query, calls the verb
// handler and renders the answer (JSON, a Table for kubectl get, or a watch stream).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject } from '../api/meta.js';
import { badRequest, methodNotAllowed, pathNotFound } from '../api/errors.js';
import { parseResourcePath, type RequestTarget } from './request-path.js';
import type { ResourceStore, WriteOptions, FieldValidation, ListResult } from './resource-store.js';
import { bodyFormat, decodeBody, decodePatchBody } from './body.js';
import { bind, evict, patchObject, successStatus, updateSubresource } from './rest-handlers.js';
import { toScale } from './subresources.js';
import { toTable, wantsTable } from './table/index.js';
import type { ApiMetrics } from './metrics.js';
import { finalizeNamespace, type DeleteOptions } from './strategy.js';
import type { WatchSink } from './cache/cache-watcher.js';
import { logContainer, logPath, nodeEndpoint, proxyLog, type KubeletClientConfig, type NodeShape } from './pod-log.js';

export interface RouteDeps {
  stores: Map<string, ResourceStore>;
  metrics: ApiMetrics;
  now: () => Date;
  /** Longest a watch stays open when the client gives no timeoutSeconds. */
  maxWatchSeconds: number;
  kubelet: KubeletClientConfig;
}

type Query = Record<string, string | string[] | undefined>;

function q(query: Query, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

function qBool(query: Query, name: string): boolean {
  const v = q(query, name);
  return v === 'true' || v === '1';
}

function qInt(query: Query, name: string): number | undefined {
  const v = q(query, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: must be an integer`);
  return Number(v);
}

/** The field manager: the fieldManager parameter, else the client's name from its User-Agent, as upstream. */
function fieldManager(query: Query, userAgent: string | undefined): string | undefined {
  const explicit = q(query, 'fieldManager');
  if (explicit !== undefined) {
    if (explicit.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
    return explicit;
  }
  return userAgent?.split('/')[0] || undefined;
}

function writeOptions(query: Query, userAgent?: string): WriteOptions {
  const dryRun = q(query, 'dryRun');
  if (dryRun !== undefined && dryRun !== 'All') throw badRequest(`Unsupported dryRun value: "${dryRun}" (only "All" is supported)`);
  const fv = q(query, 'fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(fv)) {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", got "${fv}"`);
  }
  return { dryRun: dryRun === 'All', fieldValidation: fv as FieldValidation, warnings: [], fieldManager: fieldManager(query, userAgent) };
}

export function verbOf(method: string, t: RequestTarget, query: Query): string {
  const isWatch = t.watchPath || qBool(query, 'watch');
  switch (method) {
    case 'GET':
      if (isWatch) return 'watch';
      return t.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return t.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

export async function resourceRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const handler = (req: FastifyRequest, reply: FastifyReply) => handle(deps, req, reply);
  for (const prefix of ['/api/*', '/apis/*']) {
    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: prefix, handler });
  }
}

async function handle(deps: RouteDeps, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const t = parseResourcePath(req.url);
  if (!t) throw pathNotFound();
  const store = deps.stores.get(t.res.plural)!;
  const query = req.query as Query;
  const verb = verbOf(req.method, t, query);
  (req as FastifyRequest & { skiff?: object }).skiff = { verb, resource: t.res.plural, subresource: t.subresource ?? '' };
  if (t.subresource) return handleSubresource(deps, store, t, verb, req, reply);
  switch (verb) {
    case 'get':
      return sendObject(req, reply, store, await store.get(t.namespace, t.name!), deps);
    case 'list':
      return sendList(req, reply, store, await store.list(t.namespace, listOptions(query)), deps);
    case 'watch':
      return startWatch(deps, store, t, req, reply);
    case 'create': {
      const opts = writeOptions(query, req.headers['user-agent']);
      const created = await store.create(t.namespace, decodeBody(req.body as Buffer, bodyFormat(req.headers['content-type'])), opts);
      return sendWritten(reply, created, opts, 201);
    }
    case 'update': {
      const opts = writeOptions(query, req.headers['user-agent']);
      const body = decodeBody(req.body as Buffer, bodyFormat(req.headers['content-type']));
      return sendWritten(reply, await store.update(t.namespace, t.name!, body, opts), opts, 200);
    }
    case 'patch': {
      const opts = writeOptions(query, req.headers['user-agent']);
      const body = decodePatchBody(req.body as Buffer, req.headers['content-type']);
      const patched = await patchObject(
        store,
        t.namespace,
        t.name!,
        { contentType: req.headers['content-type'], body, force: qBool(query, 'force'), fieldManager: q(query, 'fieldManager') },
        opts,
      );
      return sendWritten(reply, patched, opts, 200);
    }
    case 'delete':
      return deleteOne(store, t, req, reply);
    case 'deletecollection': {
      const opts = deleteOptions(req, query);
      const deleted = await store.deleteCollection(t.namespace, listOptions(query), opts);
      return sendJson(reply, 200, store.toList({ items: deleted.map((obj) => ({ obj })), resourceVersion: '' }));
    }
  }
  throw methodNotAllowed(`the server does not allow this method on the requested resource`);
}

function listOptions(query: Query) {
  return {
    labelSelector: q(query, 'labelSelector'),
    fieldSelector: q(query, 'fieldSelector'),
    limit: qInt(query, 'limit'),
    continue: q(query, 'continue'),
    resourceVersion: q(query, 'resourceVersion'),
  };
}

function deleteOptions(req: FastifyRequest, query: Query): DeleteOptions & { dryRun?: boolean } {
  let body: Record<string, unknown> = {};
  const raw = req.body as Buffer | undefined;
  if (raw && raw.length && raw.toString().trim() !== '') body = decodeBody(raw, bodyFormat(req.headers['content-type'])) as Record<string, unknown>;
  const grace = qInt(query, 'gracePeriodSeconds') ?? (body.gracePeriodSeconds as number | undefined);
  const policy = q(query, 'propagationPolicy') ?? (body.propagationPolicy as string | undefined);
  if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const dryRunBody = Array.isArray(body.dryRun) && body.dryRun.includes('All');
  return {
    gracePeriodSeconds: grace,
    propagationPolicy: policy as DeleteOptions['propagationPolicy'],
    preconditions: body.preconditions as DeleteOptions['preconditions'],
    dryRun: q(query, 'dryRun') === 'All' || dryRunBody,
  };
}

async function deleteOne(store: ResourceStore, t: RequestTarget, req: FastifyRequest, reply: FastifyReply) {
  const { obj, deleted } = await store.delete(t.namespace, t.name!, deleteOptions(req, req.query as Query));
  // Pods come back as objects (kubectl waits on them); other kinds as a Success Status, as upstream.
  if (!deleted || t.res.plural === 'pods') return sendJson(reply, 200, obj);
  return sendJson(
    reply,
    200,
    successStatus(200, { name: obj.metadata.name, group: t.res.group || undefined, kind: t.res.plural, uid: obj.metadata.uid }),
  );
}

async function handleSubresource(
  deps: RouteDeps,
  store: ResourceStore,
  t: RequestTarget,
  verb: string,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const query = req.query as Query;
  const sub = t.subresource!;
  if ((sub === 'status' || sub === 'scale') && verb === 'get') {
    const obj = await store.get(t.namespace, t.name!);
    return sendJson(reply, 200, sub === 'scale' ? toScale(obj) : obj);
  }
  if ((sub === 'status' || sub === 'scale') && verb === 'update') {
    const opts = writeOptions(query, req.headers['user-agent']);
    const body = decodeBody(req.body as Buffer, bodyFormat(req.headers['content-type']));
    return sendWritten(reply, await updateSubresource(store, t.namespace, t.name!, sub, body, opts), opts, 200);
  }
  if ((sub === 'status' || sub === 'scale') && verb === 'patch') {
    const opts = writeOptions(query, req.headers['user-agent']);
    const body = decodePatchBody(req.body as Buffer, req.headers['content-type']);
    const out = await patchObject(store, t.namespace, t.name!, { contentType: req.headers['content-type'], body, subresource: sub }, opts);
    return sendWritten(reply, out, opts, 200);
  }
  if (sub === 'binding' && verb === 'create') {
    const opts = writeOptions(query, req.headers['user-agent']);
    await bind(store, t.namespace, t.name!, decodeBody(req.body as Buffer, bodyFormat(req.headers['content-type'])), deps.now, opts);
    return sendJson(reply, 201, successStatus(201));
  }
  if (sub === 'eviction' && verb === 'create') {
    const body = decodeBody(req.body as Buffer, bodyFormat(req.headers['content-type']));
    await evict(store, t.namespace, t.name!, body, q(query, 'dryRun') === 'All');
    return sendJson(reply, 201, successStatus(201));
  }
  if (sub === 'finalize' && verb === 'update') {
    const body = decodeBody(req.body as Buffer, bodyFormat(req.headers['content-type']));
    const out = await store.guaranteedUpdate(undefined, t.name!, (cur) => finalizeNamespace(cur, body), {
      subresource: 'internal',
      dryRun: q(query, 'dryRun') === 'All',
    });
    return sendJson(reply, 200, out);
  }
  if (sub === 'log' && verb === 'get') return podLog(deps, store, t, req, reply);
  if (sub === 'exec' || sub === 'attach' || sub === 'portforward') throw badRequest('Upgrade request required');
  throw methodNotAllowed(`the server does not allow this method on the requested resource`);
}

async function podLog(deps: RouteDeps, store: ResourceStore, t: RequestTarget, req: FastifyRequest, reply: FastifyReply) {
  const query = req.query as Query;
  const pod = await store.get(t.namespace, t.name!);
  const container = logContainer(pod, q(query, 'container'));
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  const node = await deps.stores.get('nodes')!.get(undefined, nodeName);
  const url = nodeEndpoint(node as NodeShape, deps.kubelet.defaultPort ?? 10250);
  if (!url) throw badRequest(`node ${nodeName} reports no address to reach its agent`);
  const flat = Object.fromEntries(Object.keys(query).map((k) => [k, q(query, k)]));
  await proxyLog(reply, url, logPath(pod, container, flat), deps.kubelet);
}

function sendJson(reply: FastifyReply, code: number, body: unknown) {
  return reply.code(code).header('content-type', 'application/json').send(JSON.stringify(body));
}

function sendWritten(reply: FastifyReply, obj: KubeObject, opts: WriteOptions, code: number) {
  for (const w of opts.warnings ?? []) reply.header('warning', `299 - ${JSON.stringify(w)}`);
  return sendJson(reply, code, obj);
}

function sendObject(req: FastifyRequest, reply: FastifyReply, store: ResourceStore, obj: KubeObject, deps: RouteDeps) {
  if (wantsTable(req.headers.accept)) {
    return sendJson(reply, 200, toTable(store.res, [obj], { now: deps.now(), includeObject: includeObject(req) }));
  }
  return sendJson(reply, 200, obj);
}

function includeObject(req: FastifyRequest): 'None' | 'Metadata' | 'Object' {
  const v = q(req.query as Query, 'includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

const COMMA = Buffer.from(',');
const LIST_END = Buffer.from(']}');

/** Lists are assembled from each object's cached JSON, so a 10,000-item list is not re-serialized. */
function sendList(req: FastifyRequest, reply: FastifyReply, store: ResourceStore, result: ListResult, deps: RouteDeps) {
  if (wantsTable(req.headers.accept)) {
    const table = toTable(
      store.res,
      result.items.map((i) => i.obj),
      { now: deps.now(), includeObject: includeObject(req), listMeta: { resourceVersion: result.resourceVersion, continue: result.continue } },
    );
    return sendJson(reply, 200, table);
  }
  const list = store.toList({ ...result, items: [] });
  const head = Buffer.from(JSON.stringify(list).slice(0, -']}'.length));
  const parts: Buffer[] = [head];
  result.items.forEach((i, n) => {
    if (n > 0) parts.push(COMMA);
    parts.push(i.buf ?? Buffer.from(JSON.stringify(i.obj)));
  });
  parts.push(LIST_END);
  return reply.code(200).header('content-type', 'application/json').send(Buffer.concat(parts));
}

async function startWatch(deps: RouteDeps, store: ResourceStore, t: RequestTarget, req: FastifyRequest, reply: FastifyReply) {
  const query = req.query as Query;
  const timeout = qInt(query, 'timeoutSeconds') ?? deps.maxWatchSeconds;
  const res = reply.raw;
  const gauge = deps.metrics.watches.labels(t.res.plural);
  let watcher: { close(): void } | undefined = undefined;
  const raw = {
    write: (line: string) => void res.write(line),
    end: () => res.end(),
    backlog: () => res.writableLength,
  };
  const sink = wantsTable(req.headers.accept) ? tableWatchSink(raw, store, deps.now) : raw;
  const fieldSelector = t.name ? joinSelectors(q(query, 'fieldSelector'), `metadata.name=${t.name}`) : q(query, 'fieldSelector');
  const opts = {
    resourceVersion: q(query, 'resourceVersion'),
    labelSelector: q(query, 'labelSelector'),
    fieldSelector,
    bookmarks: qBool(query, 'allowWatchBookmarks'),
  };
  store.filterFor(opts.labelSelector, opts.fieldSelector); // 400 before the stream starts
  reply.hijack();
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache' });
  res.flushHeaders();
  gauge.inc();
  const timer = setTimeout(() => watcher?.close(), Math.max(timeout, 1) * 1000);
  res.on('close', () => {
    clearTimeout(timer);
    gauge.dec();
    watcher?.close();
  });
  watcher = await store.watch(t.namespace, opts, sink);
}

/**
 * `kubectl get -w` asks for Tables: each event's object becomes a one-row Table, with the column
 * definitions in the first event only, as upstream sends them.
 */
function tableWatchSink(raw: WatchSink, store: ResourceStore, now: () => Date): WatchSink {
  let first = true;
  return {
    ...raw,
    write(line: string) {
      const ev = JSON.parse(line) as { type: string; object: KubeObject };
      if (ev.type === 'ERROR' || ev.type === 'BOOKMARK') return raw.write(line);
      const table = toTable(store.res, [ev.object], { now: now(), listMeta: { resourceVersion: ev.object.metadata.resourceVersion } });
      if (!first) table.columnDefinitions = null;
      first = false;
      raw.write(`${JSON.stringify({ type: ev.type, object: table })}\n`);
    },
  };
}

function joinSelectors(a: string | undefined, b: string): string {
  return a ? `${a},${b}` : b;
}
