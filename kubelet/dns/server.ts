// The DNS server: UDP and TCP on one address, messages decoded and encoded by dns-packet. One
// question per query (as every resolver sends); names in the cluster zone are answered from the
// zone, everything else is forwarded. Packet building is pure (respond); sockets are the edge.

import { createSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, Question } from 'dns-packet';
import { frame, type Forwarder } from './forward.js';
import type { LookupResult } from './records.js';

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
type Rcode = keyof typeof RCODE;

/** Without EDNS a UDP answer is at most 512 bytes (RFC 1035); with it, the client's size up to 1232 (DNS flag day 2020). */
const UDP_PLAIN = 512;
const UDP_EDNS_MAX = 1232;
const TCP_IDLE_MS = 10_000;

/** DecodedQuery is what dns-packet decodes from a query (opcode is decoded but not typed). */
type DecodedQuery = DecodedPacket & { opcode?: string };

/** Responder turns one raw query into a raw answer (undefined: send nothing). */
export type Responder = (msg: Buffer, tcp: boolean) => Promise<Buffer | undefined>;

/** newResponder answers from resolve and sends what it cannot answer to forward. */
export function newResponder(resolve: (q: Question) => LookupResult, forward: Forwarder): Responder {
  return async (msg, tcp) => {
    let query: DecodedQuery;
    try {
      query = packet.decode(msg) as DecodedQuery;
    } catch {
      return msg.length >= 12 && !(msg.readUInt16BE(2) & 0x8000) ? errorAnswer(msg.readUInt16BE(0), 'FORMERR') : undefined;
    }
    if (query.type === 'response') return undefined;
    const q = query.questions?.[0];
    if ((query.opcode ?? 'QUERY') !== 'QUERY') return respond(query, 'NOTIMP', tcp);
    if (!q || query.questions?.length !== 1) return respond(query, 'FORMERR', tcp);
    const result = resolve(q);
    if (result.kind === 'answer') return respond(query, result.rcode, tcp, result);
    return (await forward(msg, tcp)) ?? respond(query, 'SERVFAIL', tcp);
  };
}

function errorAnswer(id: number, rcode: Rcode): Buffer {
  return packet.encode({ id, type: 'response', flags: RCODE[rcode], questions: [] });
}

function ednsOf(query: DecodedQuery): { udpPayloadSize: number } | undefined {
  const opt = query.additionals?.find((a) => a.type === 'OPT');
  return opt && 'udpPayloadSize' in opt ? opt : undefined;
}

/**
 * respond encodes the answer to query. Authoritative for the zone, recursion offered (we
 * forward). A UDP answer larger than the client accepts is sent empty with TC set, so the
 * client asks again over TCP.
 */
export function respond(query: DecodedQuery, rcode: Rcode, tcp: boolean, found?: { answers: Answer[]; authorities: Answer[]; additionals: Answer[] }): Buffer {
  const edns = ednsOf(query);
  const opt: Answer[] = edns ? [{ type: 'OPT', name: '.', udpPayloadSize: UDP_EDNS_MAX, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [];
  const flags = (found ? packet.AUTHORITATIVE_ANSWER : 0) | ((query.flags ?? 0) & packet.RECURSION_DESIRED) | packet.RECURSION_AVAILABLE | RCODE[rcode];
  const base = { id: query.id, type: 'response' as const, questions: query.questions ?? [] };
  const full = packet.encode({ ...base, flags, answers: found?.answers ?? [], authorities: found?.authorities ?? [], additionals: [...(found?.additionals ?? []), ...opt] });
  const limit = tcp ? 65535 : edns ? Math.max(UDP_PLAIN, Math.min(edns.udpPayloadSize, UDP_EDNS_MAX)) : UDP_PLAIN;
  if (full.length <= limit) return full;
  return packet.encode({ ...base, flags: flags | packet.TRUNCATED_RESPONSE, answers: [], authorities: [], additionals: opt });
}

/** DnsServer is a listening server. */
export interface DnsServer {
  /** The UDP and TCP port (the one asked for, or the one the OS picked for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** listenDns serves respond on host:port over UDP and TCP. */
export async function listenDns(host: string, port: number, respond: Responder, onError: (err: unknown) => void): Promise<DnsServer> {
  const udp = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
  udp.on('message', (msg, from) => {
    respond(msg, false).then(
      (answer) => answer && udp.send(answer, from.port, from.address),
      (err) => onError(err),
    );
  });
  udp.on('error', onError);
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, host, () => {
      udp.off('error', reject);
      resolve();
    });
  });
  const bound = udp.address().port;
  const conns = new Set<Socket>();
  let tcp: Server;
  try {
    tcp = await listenTcp(host, bound, conns, respond, onError);
  } catch (err) {
    udp.close();
    throw err;
  }
  return {
    port: bound,
    close: async () => {
      conns.forEach((c) => c.destroy());
      await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
    },
  };
}

async function listenTcp(host: string, port: number, conns: Set<Socket>, respond: Responder, onError: (err: unknown) => void): Promise<Server> {
  const tcp = createServer((sock) => {
    conns.add(sock);
    sock.on('close', () => conns.delete(sock));
    serveTcp(sock, respond, onError);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  tcp.on('error', onError);
  return tcp;
}

/** serveTcp answers every length-prefixed query on one connection (possibly out of order, RFC 7766). */
function serveTcp(sock: Socket, respond: Responder, onError: (err: unknown) => void): void {
  let buf = Buffer.alloc(0);
  sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
  sock.on('error', () => sock.destroy());
  sock.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
      buf = buf.subarray(2 + msg.length);
      respond(msg, true).then(
        (answer) => answer && !sock.destroyed && sock.write(frame(answer)),
        (err) => onError(err),
      );
    }
  });
}
