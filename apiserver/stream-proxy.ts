// pods/exec, pods/attach and pods/portforward: the API server checks the user, the pod and the
// container, then hands the raw HTTP upgrade to the pod's node agent and pipes bytes both ways
// (upstream's UpgradeAwareHandler). The protocols themselves (WebSocket v5, SPDY/3.1) are spoken
// end to end between kubectl and the node; nothing here parses them.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect } from 'node:tls';
import type { KubeObject } from '../api/meta.js';
import { StatusError, badRequest, pathNotFound } from '../api/errors.js';
import { parseResourcePath } from './request-path.js';
import type { ResourceStore } from './resource-store.js';
import { authenticate, type Authenticator } from './auth.js';
import { forbidden, type Decision, type RequestAttributes } from './authz/attributes.js';
import { requestAttributes } from './authz/request.js';
import { logContainer, nodeEndpoint, type KubeletClientConfig, type NodeShape } from './pod-log.js';
import { toStatusError } from './status-error.js';

export interface StreamProxyDeps {
  stores: Map<string, ResourceStore>;
  authn?: Authenticator;
  /** Decides the request once authenticated (undefined: no authorization). */
  authorize?: (a: RequestAttributes) => Decision;
  kubelet: KubeletClientConfig;
}

const KUBELET_PATHS = { exec: 'exec', attach: 'attach', portforward: 'portForward' } as const;
type StreamSub = keyof typeof KUBELET_PATHS;

export function registerStreamProxy(server: Server, deps: StreamProxyDeps): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    proxyUpgrade(req, socket, head, deps).catch((err: unknown) => refuse(socket, toStatusError(err)));
  });
}

async function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, deps: StreamProxyDeps): Promise<void> {
  const user = deps.authn ? authenticate({ url: req.url ?? '', headers: req.headers }, deps.authn) : undefined;
  if (user && deps.authorize) {
    const attrs = requestAttributes(user, req.method ?? 'GET', req.url ?? '', {});
    const d = deps.authorize(attrs);
    if (!d.allowed) throw forbidden(attrs, d.reason);
  }
  const t = parseResourcePath(req.url ?? '');
  const sub = t?.subresource;
  if (!t || !t.name || t.res.plural !== 'pods' || !sub || !(sub in KUBELET_PATHS)) throw pathNotFound();
  const pod = await deps.stores.get('pods')!.get(t.namespace, t.name);
  const target = await kubeletTarget(pod, sub as StreamSub, new URL(req.url!, 'https://x').searchParams, deps);
  const cert = deps.kubelet.clientCert;
  const node = connect({ host: target.host, port: target.port, rejectUnauthorized: false, cert: cert?.cert, key: cert?.key });
  node.once('secureConnect', () => {
    node.write(requestHead(req, target.path, deps.kubelet.token, `${target.host}:${target.port}`));
    if (head.length) node.write(head);
    node.pipe(socket);
    socket.pipe(node);
  });
  node.on('error', (err) => {
    if (!socket.writableEnded) refuse(socket, new StatusError(500, 'InternalError', `error dialing node: ${err.message}`));
  });
  socket.on('close', () => node.destroy());
}

/** The node agent's URL for this request, as upstream kubelet serves streaming: /exec/ns/pod/container?... */
async function kubeletTarget(pod: KubeObject, sub: StreamSub, query: URLSearchParams, deps: StreamProxyDeps) {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    throw badRequest(`cannot ${sub} into a container in a completed pod; current phase is ${phase}`);
  }
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (!nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  const node = (await deps.stores.get('nodes')!.get(undefined, nodeName)) as NodeShape;
  const url = nodeEndpoint(node, deps.kubelet.defaultPort ?? 10250);
  if (!url) throw badRequest(`node ${nodeName} reports no address to reach its agent`);
  const { hostname, port } = new URL(url);
  const m = pod.metadata;
  let path = `/${KUBELET_PATHS[sub]}/${m.namespace}/${m.name}`;
  if (sub !== 'portforward') {
    path += `/${encodeURIComponent(logContainer(pod, query.get('container') ?? undefined))}`;
    query.delete('container');
  }
  const qs = query.toString();
  return { host: hostname.replace(/^\[|\]$/g, ''), port: Number(port), path: qs ? `${path}?${qs}` : path };
}

/** The client's request line and headers, re-addressed to the node and carrying the node token. */
export function requestHead(req: IncomingMessage, path: string, token: string | undefined, host: string): string {
  const lines = [`${req.method} ${path} HTTP/1.1`, `Host: ${host}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (/^(host|authorization)$/i.test(name)) continue;
    lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
  }
  if (token) lines.push(`Authorization: Bearer ${token}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Answers an upgrade we will not proxy with a Status, which kubectl prints. */
function refuse(socket: Duplex, err: StatusError): void {
  const body = JSON.stringify(err.status);
  socket.end(
    `HTTP/1.1 ${err.code} ${err.reason ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
