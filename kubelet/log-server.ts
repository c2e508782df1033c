// The node's log endpoint, as the kubelet's /containerLogs: HTTPS (or HTTP when no TLS is given,
// for tests). The API server proxies pods/{name}/log to
//   GET /containerLogs/{namespace}/{pod}/{container}?follow=&tailLines=&sinceSeconds=&sinceTime=&timestamps=&previous=&limitBytes=
// and exec/attach/portForward upgrades. It reads the CRI log file the runtime reports.
//
// Callers, when any check is configured: the API server's client certificate (signed by the
// cluster CA, with an allowed common name), an admin's bearer token (checked with the API server
// through a TokenReview, as the kubelet's webhook authentication does), or a static token (tests).

import { open, readFile } from 'node:fs/promises';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Pod } from '../api/types/pod.js';
import type { RuntimeService } from '../runtime/api.js';
import { formatRecord, parseCriLine, selectLogs, type LogOptions } from './cri-log.js';
import type { Duplex } from 'node:stream';
import type { StreamBackend } from './stream-server/index.js';
import { failureStatus, rejectUpgrade } from './stream-server/status.js';
import { LABEL_CONTAINER_NAME, LABEL_CONTAINER_TYPE, LABEL_POD_UID } from './labels.js';

/** LogServerOptions configure the log server. */
export interface LogServerOptions {
  port: number;
  host?: string;
  tls?: { cert: string; key: string };
  /** A static bearer token accepted as well (tests). */
  token?: string;
  /** Client certificates accepted: signed by ca, with one of these subject common names. */
  clientCert?: { ca: string; commonNames: string[] };
  /** Who a bearer token belongs to (a TokenReview); only system:masters users get in. */
  reviewToken?: (token: string) => Promise<{ name: string; groups: string[] } | undefined>;
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
    check(req)
      .then((ok) => (ok ? handle(o, req, res) : fail(res, 401, 'Unauthorized')))
      .catch((err: Error) => fail(res, 500, err.message));
  };
  const tlsOpts = o.clientCert ? { requestCert: true, rejectUnauthorized: false, ca: o.clientCert.ca } : {};
  const server: Server = o.tls ? createHttps({ cert: o.tls.cert, key: o.tls.key, ...tlsOpts }, handler) : createHttp(handler);
  const check = callerCheck(o);
  if (o.streams) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      check(req)
        .then((ok) => upgrade(o, ok, req, socket, head))
        .catch(() => socket.destroy());
    });
  }
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

const REVIEW_TTL_MS = 60_000;

/** callerCheck builds the caller test; with nothing configured every caller is let in (tests). */
export function callerCheck(o: Pick<LogServerOptions, 'token' | 'clientCert' | 'reviewToken'>): (req: IncomingMessage) => Promise<boolean> {
  const open = !o.token && !o.clientCert && !o.reviewToken;
  const reviewed = new Map<string, { admin: boolean; at: number }>();
  const admin = async (token: string): Promise<boolean> => {
    const hit = reviewed.get(token);
    if (hit && Date.now() - hit.at < REVIEW_TTL_MS) return hit.admin;
    const user = await o.reviewToken!(token).catch(() => undefined);
    const ok = user?.groups.includes('system:masters') ?? false;
    if (reviewed.size > 1000) reviewed.clear();
    reviewed.set(token, { admin: ok, at: Date.now() });
    return ok;
  };
  return async (req) => {
    if (open) return true;
    if (o.clientCert && trustedClient(req, o.clientCert.commonNames)) return true;
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    if (o.token && m[1] === o.token) return true;
    return o.reviewToken ? admin(m[1]!) : false;
  };
}

/** trustedClient: the TLS peer presented a certificate the CA signed, with an allowed CN. */
function trustedClient(req: IncomingMessage, names: string[]): boolean {
  const sock = req.socket as TLSSocket;
  if (!sock.encrypted || !sock.authorized) return false;
  const cn = sock.getPeerCertificate()?.subject?.CN;
  return typeof cn === 'string' && names.includes(cn);
}

/**
 * The exec, attach and port-forward protocols (WebSocket, SPDY) load with the first stream: they
 * cost the agent a quarter second of CPU at start, and many nodes never serve one.
 */
const streamServer = () => import('./stream-server/index.js');

/** Streaming sessions need the same credentials as logs; anything else is refused with a Status. */
async function upgrade(o: LogServerOptions, ok: boolean, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  if (!ok) return rejectUpgrade(socket, failureStatus(401, 'Unauthorized', 'Unauthorized'));
  const { handleStreamUpgrade } = await streamServer();
  if (!handleStreamUpgrade(req, socket, head, o.streams!)) rejectUpgrade(socket, failureStatus(404, 'NotFound', 'not found'));
}

function fail(res: ServerResponse, code: number, message: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(code, { 'content-type': 'text/plain' }).end(message);
}

async function handle(o: LogServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
  let last = false;
  while (!closed) {
    const chunk = await readFrom(path.file, offset);
    offset += chunk.length;
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) {
      const r = parseCriLine(l);
      if (r) res.write(formatRecord(r, ts));
    }
    if (last) break;
    // The container may write its last lines between the empty read and the exit: once it has
    // exited, one more read drains them.
    if (chunk.length === 0 && !(await running(o.runtime, path.id))) last = true;
    else if (chunk.length === 0) await new Promise((r) => setTimeout(r, o.pollMs ?? 250));
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
