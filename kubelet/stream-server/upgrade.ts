// The two HTTP upgrades kubectl's streaming requests arrive as (after the API server's proxy):
// WebSocket (RFC 6455, via `ws`) and SPDY/3.1 (a bare 101 and then SPDY framing on the socket).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSpdyServer, type SpdyConnection } from './spdy-transport.js';

// noServer: we are handed sockets by the caller's 'upgrade' listener; no client bookkeeping.
const wss = new WebSocketServer({
  noServer: true,
  clientTracking: false,
  perMessageDeflate: false,
});
const chosenProtocol = new WeakMap<IncomingMessage, string>();
// We negotiate ourselves and add the header here: ws rejects offers that are not RFC 7230 tokens,
// and `SPDY/3.1+portforward.k8s.io` is not one (a '/').
wss.on('headers', (headers: string[], req: IncomingMessage) => {
  const protocol = chosenProtocol.get(req);
  if (protocol !== undefined) headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
});

/** upgradeKind tells which upgrade a request asks for. */
export function upgradeKind(req: IncomingMessage): 'websocket' | 'spdy' | undefined {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') return 'websocket';
  if (upgrade === 'spdy/3.1') return 'spdy';
  return undefined;
}

/** acceptWebSocket completes the WebSocket handshake with subprotocol `protocol`. */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  protocol: string,
): Promise<WebSocket> {
  chosenProtocol.set(req, protocol);
  delete req.headers['sec-websocket-protocol'];
  return new Promise((resolve) => wss.handleUpgrade(req, socket, head, resolve));
}

/** acceptSpdy answers 101 with the chosen X-Stream-Protocol-Version and starts a SPDY server. */
export function acceptSpdy(socket: Duplex, head: Buffer, protocol: string): SpdyConnection {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Connection: Upgrade\r\n' +
      'Upgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  // Bytes the HTTP parser read past the request belong to the SPDY session.
  if (head.length > 0) socket.unshift(head);
  const conn = createSpdyServer(socket);
  conn.on('error', () => socket.destroy());
  return conn;
}
