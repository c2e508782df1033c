// Typed access to the untyped `spdy-transport` package (server side only), plus the one runtime
// override that makes it accept Kubernetes streams.
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';

/** SpdyStream is one SPDY stream opened by the client (a readable-stream Duplex). */
export interface SpdyStream extends Duplex {
  readonly id: number;
  /** Request headers; Kubernetes puts `streamtype`, `port`, `requestid` here. */
  readonly headers: Record<string, string | undefined>;
  /** Sends SYN_REPLY; the Go client waits for it before opening the next stream. */
  respond(status: number, headers: Record<string, string>): void;
  /** Sends RST_STREAM. */
  abort(): void;
}

/** SpdyConnection is a server-side SPDY session over one byte stream. */
export interface SpdyConnection extends EventEmitter {
  start(version: number): void;
  /** Sends GOAWAY and closes the byte stream once every stream has closed. */
  end(): void;
  destroyStreams(err?: Error): void;
  on(event: 'stream', listener: (stream: SpdyStream) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'close', listener: () => void): this;
}

type HeaderMap = Record<string, string | string[]>;
type FrameCallback = (err: Error | null, frame?: unknown) => void;

/** SynHeadParser is the slice of spdy-transport's SPDY Parser prototype that we override. */
interface SynHeadParser {
  onSynHeadFrame(type: number, flags: number, body: unknown, callback: FrameCallback): void;
  parseKVs(body: unknown, callback: (err: Error | null, headers?: HeaderMap) => void): void;
}

interface SpdyTransportModule {
  connection: { create(socket: Duplex, options: { protocol: 'spdy'; isServer: true }): SpdyConnection };
  protocol: { spdy: { parser: { create(options: { isServer: boolean }): SynHeadParser } } };
}

const SYN_STREAM = 0x01;
const PATCHED = Symbol.for('skiff.spdy-transport.k8s-streams');

const spdy = createRequire(import.meta.url)('spdy-transport') as SpdyTransportModule;
allowStreamsWithoutPath(spdy);

/** createSpdyServer starts a SPDY/3.1 server session on `socket` (already past the HTTP upgrade). */
export function createSpdyServer(socket: Duplex): SpdyConnection {
  const conn = spdy.connection.create(socket, { protocol: 'spdy', isServer: true });
  conn.start(3.1);
  return conn;
}

/**
 * spdy-transport is an HTTP-over-SPDY library: its parser fails every SYN_STREAM that lacks
 * `:method`/`:path` ("Missing `:method` and/or `:path` header"), and Kubernetes streams carry only
 * `streamtype`/`port`/`requestid`. node_modules is reinstalled by `npm ci`, so instead of editing the
 * package we wrap Parser#onSynHeadFrame once per process: for SYN_STREAMs that carry a `streamtype`
 * header it hands the original a receiver whose parseKVs fills in placeholder `:method`/`:path`.
 * Ordinary HTTP-over-SPDY streams (no `streamtype`) keep the original check.
 */
function allowStreamsWithoutPath(mod: SpdyTransportModule): void {
  const proto = Object.getPrototypeOf(mod.protocol.spdy.parser.create({ isServer: true })) as SynHeadParser &
    Record<typeof PATCHED, boolean | undefined>;
  if (proto[PATCHED]) return;
  const original = proto.onSynHeadFrame;
  proto.onSynHeadFrame = function (this: SynHeadParser, type, flags, body, callback) {
    if (type !== SYN_STREAM) return original.call(this, type, flags, body, callback);
    return original.call(filling(this), type, flags, body, callback);
  };
  proto[PATCHED] = true;
}

/** filling returns a receiver that inherits all of `parser`'s state; only parseKVs differs. */
function filling(parser: SynHeadParser): SynHeadParser {
  const shadow = Object.create(parser) as SynHeadParser;
  shadow.parseKVs = (buf, done) =>
    parser.parseKVs(buf, (err, headers) => done(err, headers && withPlaceholderPath(headers)));
  return shadow;
}

function withPlaceholderPath(headers: HeaderMap): HeaderMap {
  if (headers.streamtype === undefined) return headers;
  return { ':method': 'POST', ':path': '/', ...headers };
}
