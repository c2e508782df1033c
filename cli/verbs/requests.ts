// The requests verbs send, shaped like kubectl's (query parameters, patch content types, Table
// Accept). RestClient.request carries the call; streams with a custom Accept use streamLines.

import { Agent, request as undiciRequest } from 'undici';
import type { KubeList, KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/registry.js';
import type { ClientConfig } from '../../client/kubeconfig.js';
import { resourcePath, withQuery, type QueryValue } from '../../client/paths.js';
import type { RestClient } from '../../client/rest.js';
import { statusErrorFromResponse } from '../../client/status.js';

/** TABLE_ACCEPT is kubectl get's Accept header for human output. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/** PATCH_TYPES maps kubectl's --type names to content types. */
export const PATCH_TYPES = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
} as const;

export type PatchKind = keyof typeof PATCH_TYPES;

/** Query is a request's query parameters. */
export type Query = Record<string, QueryValue>;

/** createObject POSTs obj (kubectl create/apply). */
export function createObject(c: RestClient, res: ResourceInfo, ns: string | undefined, obj: unknown, q: Query): Promise<KubeObject> {
  return c.request<KubeObject>('POST', withQuery(resourcePath(res, ns), q), obj);
}

/** replaceObject PUTs obj (kubectl replace). */
export function replaceObject(c: RestClient, res: ResourceInfo, ns: string | undefined, name: string, obj: unknown, q: Query): Promise<KubeObject> {
  return c.request<KubeObject>('PUT', withQuery(resourcePath(res, ns, name), q), obj);
}

/** patchObject PATCHes name (or its subresource) with the given patch type. */
export function patchObject(
  c: RestClient,
  res: ResourceInfo,
  ns: string | undefined,
  name: string,
  type: PatchKind,
  body: unknown,
  q: Query = {},
  subresource?: string,
): Promise<KubeObject> {
  const path = withQuery(resourcePath(res, ns, name, subresource), q);
  return c.request<KubeObject>('PATCH', path, body, { 'content-type': PATCH_TYPES[type] });
}

/** TableColumn is a meta.k8s.io/v1 TableColumnDefinition. */
export interface TableColumn {
  name: string;
  type: string;
  format?: string;
  priority?: number;
}

/** TableRow is one row: rendered cells plus (PartialObjectMetadata) object. */
export interface TableRow {
  cells: unknown[];
  object?: KubeObject;
}

/** Table is a server-rendered meta.k8s.io/v1 Table. */
export interface Table {
  kind: 'Table';
  columnDefinitions: TableColumn[] | null;
  rows: TableRow[];
  metadata: { resourceVersion?: string; continue?: string };
}

/** getTable reads one object, or a whole list following continue tokens, as a Table. */
export async function getTable(c: RestClient, res: ResourceInfo, ns: string | undefined, name: string | undefined, q: Query): Promise<Table> {
  if (name) return c.request<Table>('GET', resourcePath(res, ns, name), undefined, { accept: TABLE_ACCEPT });
  const first = await c.request<Table>('GET', withQuery(resourcePath(res, ns), { ...q, limit: 500 }), undefined, { accept: TABLE_ACCEPT });
  for (let next = first.metadata.continue; next; ) {
    const page = await c.request<Table>('GET', withQuery(resourcePath(res, ns), { ...q, limit: 500, continue: next }), undefined, {
      accept: TABLE_ACCEPT,
    });
    first.rows.push(...page.rows);
    next = page.metadata.continue;
  }
  first.metadata.continue = undefined;
  return first;
}

/** listObjects lists every object (following continue), filling kind/apiVersion on items. */
export async function listObjects(c: RestClient, res: ResourceInfo, ns: string | undefined, q: Query): Promise<KubeList> {
  const list = await c.listAll(res, ns, { labelSelector: str(q.labelSelector), fieldSelector: str(q.fieldSelector), limit: 500 });
  const apiVersion = res.group ? `${res.group}/${res.version}` : res.version;
  list.items = list.items.map((i) => ({ apiVersion, kind: res.kind, ...i }));
  return list;
}

function str(v: QueryValue): string | undefined {
  return v === undefined ? undefined : String(v);
}

/**
 * streamLines opens a GET with the given Accept and yields the body's lines as they arrive (watch
 * events with Table rows, followed logs). RestClient's streams have a fixed Accept, hence this.
 */
export async function* streamLines(cfg: ClientConfig, path: string, accept: string, signal?: AbortSignal): AsyncGenerator<string> {
  const dispatcher = new Agent({ connect: { ca: cfg.ca, rejectUnauthorized: !cfg.insecureSkipTLSVerify } });
  const headers: Record<string, string> = { accept, 'user-agent': 'skiff/v0.1.0' };
  if (cfg.token) headers.authorization = `Bearer ${cfg.token}`;
  try {
    const res = await undiciRequest(cfg.server.replace(/\/+$/, '') + path, { method: 'GET', headers, dispatcher, signal });
    if (res.statusCode >= 300) throw statusErrorFromResponse(res.statusCode, await res.body.text());
    let partial = '';
    const dec = new TextDecoder();
    for await (const chunk of res.body) {
      const lines = (partial + dec.decode(chunk as Uint8Array, { stream: true })).split('\n');
      partial = lines.pop() ?? '';
      yield* lines;
    }
    if (partial) yield partial;
  } catch (err) {
    if (!signal?.aborted) throw err;
  } finally {
    await dispatcher.close().catch(() => {});
  }
}
