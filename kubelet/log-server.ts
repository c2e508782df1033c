// The node's log endpoint, as the kubelet's /containerLogs: HTTPS (or HTTP when no TLS is given,
// for tests) with an optional bearer token. The API server proxies pods/{name}/log to
//   GET /containerLogs/{namespace}/{pod}/{container}?follow=&tailLines=&sinceSeconds=&sinceTime=&timestamps=&previous=&limitBytes=
// with `Authorization: Bearer <token>`. It reads the CRI log file the runtime reports.

import { open, readFile } from 'node:fs/promises';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { Pod } from '../api/types/pod.js';
import type { RuntimeService } from '../runtime/api.js';
import { formatRecord, parseCriLine, selectLogs, type LogOptions } from './cri-log.js';
import type { Duplex } from 'node:stream';
import { failureStatus, handleStreamUpgrade, rejectUpgrade, type StreamBackend } from './stream-server/index.js';
import { LABEL_CONTAINER_NAME, LABEL_CONTAINER_TYPE, LABEL_POD_UID } from './labels.js';

/** LogServerOptions configure the log server. */
export interface LogServerOptions {
  port: number;
  host?: string;
  tls?: { cert: string; key: string };
  token?: string;
  runtime: RuntimeService;
  lookup(namespace: string, name: string): Pod | undefined;
  /** Follow polling interval (default 250 ms). */
  pollMs?: number;
  /** exec/attach/portForward upgrades (kubectl exec, port-forward) are served when given. */
  streams?: StreamBackend;
}

/** LogServer is a listening log server. */
export interface LogServer {
  port: number;
  close(): Promise<void>;
}

/** startLogServer listens and resolves with the bound port. */
export async function startLogServer(o: LogServerOptions): Promise<LogServer> {
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(o, req, res).catch((err: Error) => fail(res, 500, err.message));
  };
  const server: Server = o.tls ? createHttps({ cert: o.tls.cert, key: o.tls.key }, handler) : createHttp(handler);
  if (o.streams) server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => upgrade(o, req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '0.0.0.0', () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : o.port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Streaming sessions need the same token as logs; anything else is refused with a Status. */
function upgrade(o: LogServerOptions, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  if (o.token && req.headers.authorization !== `Bearer ${o.token}`) {
    return rejectUpgrade(socket, failureStatus(401, 'Unauthorized', 'Unauthorized'));
  }
  if (!handleStreamUpgrade(req, socket, head, o.streams!)) rejectUpgrade(socket, failureStatus(404, 'NotFound', 'not found'));
}

function fail(res: ServerResponse, code: number, message: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(code, { 'content-type': 'text/plain' }).end(message);
}

async function handle(o: LogServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (o.token && req.headers.authorization !== `Bearer ${o.token}`) return fail(res, 401, 'Unauthorized');
  const url = new URL(req.url ?? '/', 'http://node');
  const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (req.method !== 'GET' || !m) return fail(res, 404, 'not found');
  const [ns, name, container] = m.slice(1).map(decodeURIComponent);
  const pod = o.lookup(ns, name);
  if (!pod) return fail(res, 404, `pod ${ns}/${name} not found`);
  const q = url.searchParams;
  const path = await logPath(o.runtime, pod.metadata.uid ?? '', container, q.get('previous') === 'true');
  if (!path) return fail(res, 400, `container "${container}" in pod "${name}" is waiting to start`);
  const opts = logOptions(q);
  res.writeHead(200, { 'content-type': 'text/plain' });
  const text = await readFile(path.file, 'utf8').catch(() => '');
  const limit = Number(q.get('limitBytes') ?? 0);
  const out = selectLogs(text, opts);
  res.write(limit > 0 ? out.slice(0, limit) : out);
  if (q.get('follow') !== 'true' || limit > 0) return void res.end();
  await follow(o, res, path, Buffer.byteLength(text), opts.timestamps ?? false);
}

function logOptions(q: URLSearchParams): LogOptions {
  const opts: LogOptions = { timestamps: q.get('timestamps') === 'true' };
  if (q.has('tailLines')) opts.tailLines = Number(q.get('tailLines'));
  if (q.has('sinceSeconds')) opts.sinceMs = Date.now() - Number(q.get('sinceSeconds')) * 1000;
  if (q.has('sinceTime')) opts.sinceMs = Date.parse(q.get('sinceTime') ?? '');
  return opts;
}

/** logPath finds the newest (or, with previous, the one before) instance's log file. */
async function logPath(runtime: RuntimeService, uid: string, container: string, previous: boolean): Promise<{ file: string; id: string } | undefined> {
  const list = await runtime.listContainers({ labelSelector: { [LABEL_POD_UID]: uid, [LABEL_CONTAINER_NAME]: container } });
  const app = list.filter((c) => c.labels[LABEL_CONTAINER_TYPE] !== 'init');
  const pick = (app.length ? app : list).sort((a, b) => b.createdAt - a.createdAt)[previous ? 1 : 0];
  if (!pick) return undefined;
  return { file: (await runtime.containerStatus(pick.id)).logPath, id: pick.id };
}

/** follow streams new records until the container exits and the file is drained, or the client goes. */
async function follow(o: LogServerOptions, res: ServerResponse, path: { file: string; id: string }, offset: number, ts: boolean): Promise<void> {
  let closed = false;
  res.once('close', () => (closed = true));
  let rest = '';
  while (!closed) {
    const chunk = await readFrom(path.file, offset);
    offset += chunk.length;
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) {
      const r = parseCriLine(l);
      if (r) res.write(formatRecord(r, ts));
    }
    if (chunk.length === 0 && !(await running(o.runtime, path.id))) break;
    if (chunk.length === 0) await new Promise((r) => setTimeout(r, o.pollMs ?? 250));
  }
  res.end();
}

async function readFrom(file: string, offset: number): Promise<Buffer> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return Buffer.alloc(0);
  try {
    const { size } = await fh.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.alloc(size - offset);
    await fh.read(buf, 0, buf.length, offset);
    return buf;
  } finally {
    await fh.close();
  }
}

async function running(runtime: RuntimeService, id: string): Promise<boolean> {
  try {
    return (await runtime.containerStatus(id)).state === 'CONTAINER_RUNNING';
  } catch {
    return false;
  }
}
