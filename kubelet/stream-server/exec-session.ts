// Runs one exec/attach session independent of the wire protocol: starts the process, connects the
// client's channels to it, and reports the exit as a Status once all output has been delivered.
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { exitCodeStatus, failureStatus, successStatus, type Status } from './status.js';
import type { ExecProcess, ExecRequest, StreamBackend, TerminalSize } from './types.js';

/** ExecIO is the client side of a session as a wire protocol presents it. */
export interface ExecIO {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** Registers the receiver of the client's terminal resizes. */
  onResize(listener: (size: TerminalSize) => void): void;
  /** Sends the final status on the error channel and closes the session. */
  finish(status: Status): void;
  /** Resolves when the client connection has gone away. */
  closed: Promise<void>;
}

/** runExec runs `req` through `backend` until the process exits or the client goes away. */
export async function runExec(backend: StreamBackend, req: ExecRequest, io: ExecIO): Promise<void> {
  let proc: ExecProcess;
  try {
    proc = await backend.exec(req);
  } catch (err) {
    io.finish(failureStatus(500, 'InternalError', errorMessage(err)));
    return;
  }
  let exited = false;
  void io.closed.then(() => {
    if (!exited) proc.kill();
  });
  io.onResize((size) => proc.resize?.(size.width, size.height));
  connectStdin(io.stdin, proc.stdin);
  const outputs = Promise.all([forward(proc.stdout, io.stdout), forward(proc.stderr, io.stderr)]);
  let status: Status;
  try {
    const code = await proc.exitCode;
    status = code === 0 ? successStatus() : exitCodeStatus(code);
  } catch (err) {
    status = failureStatus(500, 'InternalError', errorMessage(err));
  }
  exited = true;
  // The status must follow the last byte of output: kubectl stops reading once it has it.
  await outputs;
  io.finish(status);
}

function connectStdin(client: Readable | undefined, proc: NodeJS.WritableStream | undefined): void {
  // A process that outlives its stdin reader must not crash us with EPIPE.
  proc?.on('error', () => undefined);
  if (client && proc) client.pipe(proc);
  else if (client) client.resume();
  else proc?.end();
}

/** forward copies process output to the client; resolves when done or broken. */
async function forward(src: NodeJS.ReadableStream | undefined, dst: Writable | undefined): Promise<void> {
  if (!src) return;
  if (!dst) {
    src.resume();
    return;
  }
  try {
    await pipeline(src, dst);
  } catch {
    // The client went away mid-output; the closed promise handles the process.
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
