// RestClient speaks the Kubernetes REST API over HTTP(S) with a bearer token. Resource-level
// methods are keyed by the registry's ResourceInfo; request() reaches anything else
// (binding, scale, eviction, log). Every non-2xx answer throws a StatusError.

import { createSecureContext } from 'node:tls';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { KubeList, KubeObject, WatchEvent } from '../api/meta.js';
import type { ResourceInfo } from '../api/registry.js';
import { loadKubeconfig } from './kubeconfig.js';
import { resourcePath, withQuery } from './paths.js';
import { statusErrorFromResponse } from './status.js';
import { decodeWatchStream } from './watch-decoder.js';

/** RestClientOptions are the connection facts; kubeconfig.ts produces them from a file. */
export interface RestClientOptions {
  server: string;
  /** PEM CA bundle for the server certificate. */
  ca?: string;
  token?: string;
  insecureSkipTLSVerify?: boolean;
  userAgent?: string;
  /** Namespace used by callers that have none of their own (the kubeconfig context's). */
  namespace?: string;
}

/** ListOptions are the query parameters of a list request. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

/** WatchOptions are the query parameters of a watch request plus a cancel signal. */
export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

/** DeleteOptions is the body of a delete request (meta/v1 DeleteOptions). */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

/** PatchType names the patch formats the API server accepts. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** PatchOptions selects a subresource and, for server-side apply, the field manager. */
export interface PatchOptions {
  subresource?: string;
  fieldManager?: string;
  force?: boolean;
}

type Obj = KubeObject;

/**
 * Keep-alive connections per API server for ordinary requests. Requests beyond it wait for a free
 * connection instead of each opening (and TLS-handshaking) one of its own; watches and streams,
 * which hold a connection for minutes, have a pool of their own so they can never starve it.
 */
export const MAX_REQUEST_CONNECTIONS = 64;
/** Idle keep-alive connections close after this long (the API server keeps them for 72 s). */
const KEEP_ALIVE_MS = 60_000;

/** The dispatchers of one client: the TLS context (CA parsed once) is shared by both pools. */
function dispatchers(opts: RestClientOptions): { requests: Agent; streams: Agent } {
  const https = opts.server.startsWith('https:');
  const secureContext = https && opts.ca ? createSecureContext({ ca: opts.ca }) : undefined;
  const connect = { ...(secureContext ? { secureContext } : {}), rejectUnauthorized: !opts.insecureSkipTLSVerify };
  const common = { connect, keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: KEEP_ALIVE_MS };
  return { requests: new Agent({ ...common, connections: MAX_REQUEST_CONNECTIONS }), streams: new Agent(common) };
}

/** RestClient is the typed HTTP client every Skiff component uses to reach the API server. */
export class RestClient {
  readonly server: string;
  readonly namespace: string;
  private readonly dispatcher: Agent;
  /** Long-lived requests (watch, followed logs), uncapped and apart from the request pool. */
  private readonly streamDispatcher: Agent;
  private readonly baseHeaders: Record<string, string>;

  constructor(private readonly opts: RestClientOptions) {
    this.server = opts.server.replace(/\/+$/, '');
    this.namespace = opts.namespace ?? 'default';
    const d = dispatchers(opts);
    this.dispatcher = d.requests;
    this.streamDispatcher = d.streams;
    this.baseHeaders = { accept: 'application/json', 'user-agent': opts.userAgent ?? 'skiff/v0.1.0' };
    if (opts.token) this.baseHeaders.authorization = `Bearer ${opts.token}`;
  }

  /** fromKubeconfig builds a client from a kubeconfig file (default $KUBECONFIG or $SKIFF_HOME/kubeconfig). */
  static fromKubeconfig(path?: string, userAgent?: string): RestClient {
    return new RestClient({ ...loadKubeconfig(path), userAgent });
  }

  /** withOwnConnections: the same server and credentials over connection pools of its own (upstream kubelet's heartbeat client). */
  withOwnConnections(userAgent?: string): RestClient {
    return new RestClient({ ...this.opts, userAgent: userAgent ?? this.opts.userAgent });
  }

  get<T extends Obj = Obj>(res: ResourceInfo, ns: string | undefined, name: string): Promise<T> {
    return this.request<T>('GET', resourcePath(res, ns, name));
  }

  /** list returns one page; follow metadata.continue for more (see listAll). */
  list<T extends Obj = Obj>(res: ResourceInfo, ns?: string, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.request<KubeList<T>>('GET', withQuery(resourcePath(res, ns), { ...opts }));
  }

  /** listAll follows continue tokens and returns every item with the first page's resourceVersion. */
  async listAll<T extends Obj = Obj>(res: ResourceInfo, ns?: string, opts: ListOptions = {}): Promise<KubeList<T>> {
    const first = await this.list<T>(res, ns, opts);
    const items = [...first.items];
    for (let next = first.metadata.continue; next; ) {
      const page = await this.list<T>(res, ns, { ...opts, resourceVersion: undefined, continue: next });
      items.push(...page.items);
      next = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  create<T extends Obj = Obj>(res: ResourceInfo, ns: string | undefined, obj: T): Promise<T> {
    return this.request<T>('POST', resourcePath(res, ns), obj);
  }

  /** update PUTs obj; its metadata.resourceVersion makes the write conditional (409 when stale). */
  update<T extends Obj = Obj>(res: ResourceInfo, obj: T): Promise<T> {
    return this.request<T>('PUT', resourcePath(res, obj.metadata.namespace, obj.metadata.name), obj);
  }

  updateStatus<T extends Obj = Obj>(res: ResourceInfo, obj: T): Promise<T> {
    return this.request<T>('PUT', resourcePath(res, obj.metadata.namespace, obj.metadata.name, 'status'), obj);
  }

  patch<T extends Obj = Obj>(
    res: ResourceInfo,
    ns: string | undefined,
    name: string,
    patchType: PatchType,
    body: unknown,
    opts: PatchOptions = {},
  ): Promise<T> {
    const path = withQuery(resourcePath(res, ns, name, opts.subresource), {
      fieldManager: opts.fieldManager,
      force: opts.force,
    });
    return this.request<T>('PATCH', path, body, { 'content-type': PATCH_CONTENT_TYPES[patchType] });
  }

  /** delete returns the deleted object (or the object marked for deletion), or a Success Status. */
  delete<T = Obj>(res: ResourceInfo, ns: string | undefined, name: string, opts?: DeleteOptions): Promise<T> {
    const body = opts ? { kind: 'DeleteOptions', apiVersion: 'v1', ...opts } : undefined;
    return this.request<T>('DELETE', resourcePath(res, ns, name), body);
  }

  /** watch streams events until the server ends the response or signal aborts; ERROR events are yielded. */
  async *watch<T extends Obj = Obj>(res: ResourceInfo, ns?: string, opts: WatchOptions = {}): AsyncGenerator<WatchEvent<T>> {
    const { signal, ...params } = opts;
    const path = withQuery(resourcePath(res, ns), { watch: 1, ...params });
    try {
      const body = await this.open('GET', path, undefined, {}, signal);
      yield* decodeWatchStream(body) as AsyncGenerator<WatchEvent<T>>;
    } catch (err) {
      if (!signal?.aborted) throw err;
    }
  }

  /** stream opens path (e.g. a followed log) and yields its raw bytes. */
  async *stream(path: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    try {
      yield* await this.open('GET', path, undefined, {}, signal);
    } catch (err) {
      if (!signal?.aborted) throw err;
    }
  }

  /** request sends one call; a JSON answer is parsed, anything else returned as text. */
  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await this.send(method, path, body, headers);
    const text = await res.body.text();
    const type = String(res.headers['content-type'] ?? '');
    return (type.includes('json') && text ? JSON.parse(text) : text) as T;
  }

  /** close releases pooled connections. */
  async close(): Promise<void> {
    await Promise.all([this.dispatcher.close(), this.streamDispatcher.close()]);
  }

  private async open(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<Uint8Array>> {
    return (await this.send(method, path, body, headers, signal, this.streamDispatcher)).body;
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    signal?: AbortSignal,
    dispatcher: Dispatcher = this.dispatcher,
  ): Promise<Dispatcher.ResponseData> {
    const res = await undiciRequest(this.server + path, {
      method: method as Dispatcher.HttpMethod,
      headers: { ...this.baseHeaders, ...contentHeaders(body), ...headers },
      body: encodeBody(body),
      dispatcher,
      signal,
    });
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    throw statusErrorFromResponse(res.statusCode, await res.body.text());
  }
}

function encodeBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function contentHeaders(body: unknown): Record<string, string> {
  return body === undefined ? {} : { 'content-type': 'application/json' };
}
