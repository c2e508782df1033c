// Exec/attach over WebSocket channel protocols (v5.channel.k8s.io … v2): every binary message starts
// with a channel byte — 0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize, 255 close (v5).
import { PassThrough, Writable } from 'node:stream';
import WebSocket from 'ws';
import {
  CLOSE_CHANNEL as CLOSE,
  ERROR_CHANNEL as ERROR,
  RESIZE_CHANNEL as RESIZE,
  STDERR_CHANNEL as STDERR,
  STDIN_CHANNEL as STDIN,
  STDOUT_CHANNEL as STDOUT,
} from '../../client/streams.js';
import { runExec, type ExecIO } from './exec-session.js';
import { parseResize } from './resize.js';
import { encodeStatus, type Status } from './status.js';
import type { ExecRequest, StreamBackend, TerminalSize } from './types.js';

/** serveWebSocketExec runs an exec session on an accepted WebSocket speaking protocol `version`. */
export function serveWebSocketExec(
  ws: WebSocket,
  version: number,
  req: ExecRequest,
  backend: StreamBackend,
): void {
  const stdin = req.stdin ? new PassThrough() : undefined;
  let resize: (size: TerminalSize) => void = () => undefined;
  ws.on('message', (raw: WebSocket.RawData) => {
    const data = toBuffer(raw);
    const payload = data.subarray(1);
    if (data[0] === STDIN) stdin?.write(payload);
    else if (data[0] === RESIZE) emitSize(parseResize(payload.toString()), resize);
    else if (data[0] === CLOSE && payload[0] === STDIN) stdin?.end();
  });
  ws.on('error', () => undefined);
  const io: ExecIO = {
    stdin,
    stdout: req.stdout ? channelWriter(ws, STDOUT) : undefined,
    stderr: req.stderr ? channelWriter(ws, STDERR) : undefined,
    onResize: (listener) => (resize = listener),
    finish: (status) => finish(ws, version, status),
    closed: new Promise((resolve) => ws.once('close', () => resolve())),
  };
  void io.closed.then(() => stdin?.end());
  void runExec(backend, req, io);
}

function emitSize(size: TerminalSize | undefined, listener: (size: TerminalSize) => void): void {
  if (size) listener(size);
}

function finish(ws: WebSocket, version: number, status: Status): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  const body = encodeStatus(version, status);
  if (body) ws.send(Buffer.concat([Buffer.of(ERROR), body]));
  ws.close(1000);
}

/** channelWriter frames everything written to it as messages on one channel. */
function channelWriter(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (ws.readyState !== WebSocket.OPEN) return callback();
      ws.send(Buffer.concat([Buffer.of(channel), chunk]), (err) => callback(err ?? null));
    },
  });
}

function toBuffer(raw: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
