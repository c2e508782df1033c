// The node agent's streaming server: serves the exec, attach and port-forward upgrade requests the
// API server proxies to the node, in every protocol kubectl 1.27–1.33 speaks (see
// shared/kubectl-wire.md §9):
//   exec/attach   WebSocket v5..v2.channel.k8s.io | SPDY/3.1 with X-Stream-Protocol-Version v5..v2
//   port-forward  SPDY/3.1 portforward.k8s.io     | WebSocket SPDY/3.1+portforward.k8s.io (tunnelled)
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream } from 'ws';
import { servePortForward, type PodRef } from './port-forward.js';
import {
  EXEC_PROTOCOLS,
  PORT_FORWARD_PROTOCOL,
  PORT_FORWARD_TUNNEL_PROTOCOL,
  execVersion,
  negotiate,
  offeredProtocols,
} from './protocols.js';
import { parseStreamRequest } from './request.js';
import { serveSpdyExec } from './spdy-exec.js';
import { createSpdyServer } from './spdy-transport.js';
import { failureStatus, rejectUpgrade } from './status.js';
import type { ExecRequest, StreamBackend } from './types.js';
import { acceptSpdy, acceptWebSocket, upgradeKind } from './upgrade.js';
import { serveWebSocketExec } from './ws-exec.js';

export type { ExecProcess, ExecRequest, StreamBackend, TerminalSize } from './types.js';
export { rejectUpgrade, failureStatus, type Status } from './status.js';

/** Handles one upgrade request (from http(s).Server 'upgrade'); returns false when the path is not a streaming path. */
export function handleStreamUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  backend: StreamBackend,
): boolean {
  const parsed = parseStreamRequest(req.url ?? '/');
  if (parsed === undefined) return false;
  socket.on('error', () => socket.destroy());
  if ('error' in parsed) rejectUpgrade(socket, parsed.error);
  else if (parsed.kind === 'portForward') servePortForwardUpgrade(req, socket, head, parsed, backend);
  else serveExecUpgrade(req, socket, head, parsed.exec, backend);
  return true;
}

function serveExecUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  exec: ExecRequest,
  backend: StreamBackend,
): void {
  const kind = upgradeKind(req);
  const header =
    kind === 'websocket' ? req.headers['sec-websocket-protocol'] : req.headers['x-stream-protocol-version'];
  const protocol = negotiate(offeredProtocols(header), EXEC_PROTOCOLS);
  if (kind === undefined) return rejectUpgrade(socket, upgradeRequired());
  if (protocol === undefined) return rejectUpgrade(socket, noProtocol(header, EXEC_PROTOCOLS));
  const version = execVersion(protocol);
  if (kind === 'spdy') return serveSpdyExec(acceptSpdy(socket, head, protocol), version, exec, backend);
  void acceptWebSocket(req, socket, head, protocol).then((ws) =>
    serveWebSocketExec(ws, version, exec, backend),
  );
}

function servePortForwardUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  pod: PodRef,
  backend: StreamBackend,
): void {
  const kind = upgradeKind(req);
  if (kind === undefined) return rejectUpgrade(socket, upgradeRequired());
  if (kind === 'spdy') {
    // An absent header means the original (only) protocol, as in the kubelet.
    const header = req.headers['x-stream-protocol-version'] ?? PORT_FORWARD_PROTOCOL;
    const protocol = negotiate(offeredProtocols(header), [PORT_FORWARD_PROTOCOL]);
    if (protocol === undefined) return rejectUpgrade(socket, noProtocol(header, [PORT_FORWARD_PROTOCOL]));
    return servePortForward(acceptSpdy(socket, head, protocol), pod, backend);
  }
  const header = req.headers['sec-websocket-protocol'];
  const protocol = negotiate(offeredProtocols(header), [PORT_FORWARD_TUNNEL_PROTOCOL]);
  if (protocol === undefined)
    return rejectUpgrade(socket, noProtocol(header, [PORT_FORWARD_TUNNEL_PROTOCOL]));
  void acceptWebSocket(req, socket, head, protocol).then((ws) => {
    // Each binary message carries SPDY bytes; the SPDY session runs over the message stream.
    const tunnel = createWebSocketStream(ws);
    tunnel.on('error', () => ws.terminate());
    const conn = createSpdyServer(tunnel);
    conn.on('error', () => ws.terminate());
    servePortForward(conn, pod, backend);
  });
}

function upgradeRequired() {
  return failureStatus(400, 'BadRequest', 'Upgrade request required (websocket or SPDY/3.1)');
}

function noProtocol(header: string | string[] | undefined, supported: readonly string[]) {
  const offered = offeredProtocols(header).join(', ') || 'none';
  return failureStatus(
    403,
    'Forbidden',
    `unable to upgrade: unable to negotiate protocol: client supports [${offered}], server supports [${supported.join(', ')}]`,
  );
}
