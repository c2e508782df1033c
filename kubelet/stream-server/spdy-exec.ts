// Exec/attach over SPDY/3.1 (kubectl 1.27–1.29, and newer ones falling back): the client opens one
// SPDY stream per channel, named by the `streamtype` header — error, stdin, stdout, stderr, resize.
import { runExec, type ExecIO } from './exec-session.js';
import { readResizes } from './resize.js';
import type { SpdyConnection, SpdyStream } from './spdy-transport.js';
import { encodeStatus, type Status } from './status.js';
import type { ExecRequest, StreamBackend, TerminalSize } from './types.js';

/** expectedStreams lists the stream types the client opens before the session can start. */
export function expectedStreams(req: ExecRequest, version: number): string[] {
  const types = ['error'];
  if (req.stdin) types.push('stdin');
  if (req.stdout) types.push('stdout');
  if (req.stderr) types.push('stderr');
  if (req.tty && version >= 3) types.push('resize');
  return types;
}

/** serveSpdyExec runs an exec session on a SPDY connection speaking exec protocol `version`. */
export function serveSpdyExec(
  conn: SpdyConnection,
  version: number,
  req: ExecRequest,
  backend: StreamBackend,
): void {
  const expected = expectedStreams(req, version);
  const streams = new Map<string, SpdyStream>();
  let started = false;
  conn.on('stream', (stream) => {
    stream.on('error', () => undefined);
    stream.respond(200, {});
    const type = stream.headers.streamtype ?? '';
    streams.set(type, stream);
    if (type !== 'stdin' && type !== 'resize') stream.resume();
    if (!started && expected.every((t) => streams.has(t))) {
      started = true;
      void runExec(backend, req, spdyIO(conn, version, streams));
    }
  });
}

function spdyIO(conn: SpdyConnection, version: number, streams: Map<string, SpdyStream>): ExecIO {
  const resizeStream = streams.get('resize');
  return {
    stdin: streams.get('stdin'),
    stdout: streams.get('stdout'),
    stderr: streams.get('stderr'),
    onResize: (listener: (size: TerminalSize) => void) => {
      if (resizeStream) readResizes(resizeStream, listener);
    },
    finish: (status: Status) => finish(conn, version, streams, status),
    closed: new Promise((resolve) => conn.once('close', () => resolve())),
  };
}

function finish(
  conn: SpdyConnection,
  version: number,
  streams: Map<string, SpdyStream>,
  status: Status,
): void {
  const error = streams.get('error');
  for (const [type, stream] of streams) if (type !== 'error') stream.end();
  // GOAWAY only after the status frames are queued: spdystream shuts down on GOAWAY, and an earlier
  // GOAWAY would overtake the status and turn a non-zero exit into success. spdy-transport then
  // closes the socket once the client has closed its streams too.
  const body = encodeStatus(version, status) ?? Buffer.alloc(0);
  if (error?.writable) error.end(body, () => conn.end());
  else conn.end();
}
