// Forwarding of names outside the cluster zone to the host's resolvers. The query goes out
// unchanged (the client's id included) over the transport the client used: a truncated UDP
// answer is passed back as is and the client retries over TCP, which is forwarded over TCP.
// Each upstream gets one try with a timeout, in order; none answering is the caller's SERVFAIL.

import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';

/** Upstream is one resolver to forward to. */
export interface Upstream {
  host: string;
  port: number;
}

/** Forwarder sends a raw query upstream; undefined when no upstream answered in time. */
export type Forwarder = (query: Buffer, tcp: boolean) => Promise<Buffer | undefined>;

/** parseUpstream reads `1.2.3.4`, `1.2.3.4:5353`, `::1` or `[::1]:5353` (port 53 by default). */
export function parseUpstream(s: string): Upstream {
  const bracket = /^\[(.+)\](?::(\d+))?$/.exec(s);
  if (bracket) return { host: bracket[1]!, port: Number(bracket[2] ?? 53) };
  if (isIPv6(s)) return { host: s, port: 53 };
  const [host, port] = s.split(':');
  return { host: host!, port: Number(port ?? 53) };
}

/** newForwarder tries each upstream once, waiting at most timeoutMs for each. */
export function newForwarder(upstreams: Upstream[], timeoutMs: number): Forwarder {
  return async (query, tcp) => {
    for (const u of upstreams) {
      const answer = await (tcp ? viaTcp(u, query, timeoutMs) : viaUdp(u, query, timeoutMs)).catch(() => undefined);
      if (answer) return answer;
    }
    return undefined;
  };
}

/** viaUdp uses a fresh socket (a random source port) per query and takes only a matching answer. */
function viaUdp(u: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = createSocket(isIPv6(u.host) ? 'udp6' : 'udp4');
    const done = (answer: Buffer | undefined) => {
      clearTimeout(timer);
      sock.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.on('error', () => done(undefined));
    sock.on('message', (msg, from) => {
      if (from.address === u.host && from.port === u.port && msg.length >= 12 && msg.readUInt16BE(0) === query.readUInt16BE(0)) done(msg);
    });
    sock.send(query, u.port, u.host, (err) => err && done(undefined));
  });
}

/** viaTcp sends one length-prefixed query and reads one length-prefixed answer. */
function viaTcp(u: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = connect({ host: u.host, port: u.port });
    let buf = Buffer.alloc(0);
    const done = (answer: Buffer | undefined) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.on('error', () => done(undefined));
    sock.on('close', () => done(undefined));
    sock.on('connect', () => sock.write(frame(query)));
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
  });
}

/** frame prefixes a message with its 2-byte length (RFC 1035 4.2.2). */
export function frame(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}
