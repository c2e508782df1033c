// Subprotocol negotiation. As in k8s.io/apimachinery httpstream.Handshake, the server's order of
// preference wins: the first server protocol the client also offers is chosen.
import { STREAM_PROTOCOL_V4, STREAM_PROTOCOL_V5 } from '../../client/streams.js';

/** EXEC_PROTOCOLS are the exec/attach protocols we speak, best first (v1 is not supported). */
export const EXEC_PROTOCOLS = [
  STREAM_PROTOCOL_V5,
  STREAM_PROTOCOL_V4,
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
] as const;

/** PORT_FORWARD_PROTOCOL is the SPDY port-forward protocol (X-Stream-Protocol-Version). */
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

/** PORT_FORWARD_TUNNEL_PROTOCOL is SPDY port-forward tunnelled in WebSocket (kubectl ≥ 1.31). */
export const PORT_FORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/** offeredProtocols splits a (possibly repeated, comma-joined) protocol header into names. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return values
    .flatMap((v) => v.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** negotiate returns the first of `supported` that the client offered, if any. */
export function negotiate(offered: string[], supported: readonly string[]): string | undefined {
  return supported.find((p) => offered.includes(p));
}

/** execVersion maps an exec protocol name to its version number (v4.channel.k8s.io → 4). */
export function execVersion(protocol: string): number {
  const match = /^v(\d+)\.channel\.k8s\.io$/.exec(protocol);
  return match ? Number(match[1]) : 1;
}
