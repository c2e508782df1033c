// Port-forward over SPDY (portforward.k8s.io): for every local connection the client opens a pair of
// streams sharing a `requestid` — `streamtype: error` then `streamtype: data`, both naming the `port`.
// The data stream is piped to the pod's port; a failure is reported as text on the error stream.
import type { SpdyConnection, SpdyStream } from './spdy-transport.js';
import type { StreamBackend } from './types.js';

interface StreamPair {
  error?: SpdyStream;
  data?: SpdyStream;
}

/** PodRef names the pod whose ports are forwarded. */
export interface PodRef {
  namespace: string;
  pod: string;
}

/** servePortForward forwards every stream pair the client opens on `conn` to `backend`. */
export function servePortForward(conn: SpdyConnection, pod: PodRef, backend: StreamBackend): void {
  const pairs = new Map<string, StreamPair>();
  conn.on('stream', (stream) => {
    stream.on('error', () => undefined);
    const type = stream.headers.streamtype;
    const id = stream.headers.requestid;
    if ((type !== 'error' && type !== 'data') || id === undefined) {
      stream.abort();
      return;
    }
    stream.respond(200, {});
    const pair = pairs.get(id) ?? {};
    pair[type] = stream;
    pairs.set(id, pair);
    if (pair.error && pair.data) {
      pairs.delete(id);
      void forwardPair(pair.error, pair.data, pod, backend);
    }
  });
}

/** parsePort accepts a decimal TCP port 1..65535. */
export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : undefined;
}

async function forwardPair(
  error: SpdyStream,
  data: SpdyStream,
  ref: PodRef,
  backend: StreamBackend,
): Promise<void> {
  // The client only reads the error stream; drain its (empty) half so it can close.
  error.resume();
  const port = parsePort(data.headers.port);
  if (port === undefined) {
    fail(error, data, `invalid port "${data.headers.port ?? ''}"`);
    return;
  }
  let target: NodeJS.ReadWriteStream;
  try {
    target = await backend.portForward(ref.namespace, ref.pod, port);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    fail(error, data, `error forwarding port ${port} to pod ${ref.pod}: ${reason}`);
    return;
  }
  pipeBothWays(data, target, error);
}

function pipeBothWays(data: SpdyStream, target: NodeJS.ReadWriteStream, error: SpdyStream): void {
  target.on('error', (err: Error) => {
    if (error.writable) error.end(`error forwarding to pod: ${err.message}`);
    data.end();
  });
  // Half-closes travel both ways: the client's FIN ends our write to the pod and vice versa.
  data.pipe(target);
  target.pipe(data);
  data.once('close', () => {
    destroy(target);
    error.end();
  });
}

function fail(error: SpdyStream, data: SpdyStream, message: string): void {
  error.end(message);
  data.end();
}

function destroy(stream: NodeJS.ReadWriteStream): void {
  const destroyable = stream as NodeJS.ReadWriteStream & { destroy?: () => void };
  if (typeof destroyable.destroy === 'function') destroyable.destroy();
  else stream.end();
}
