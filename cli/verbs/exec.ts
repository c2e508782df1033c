// skiff exec: runs a command in a pod's container over the WebSocket channel protocol kubectl 1.30+
// speaks (v5.channel.k8s.io, v4 as fallback), through the API server's pods/exec proxy. Frames are a
// channel byte then payload: 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, 255 close (v5).
// The remote exit code becomes ours, with kubectl's `command terminated with exit code N`.

import type { Command } from 'commander';
import WebSocket from 'ws';
import { resourcePath } from '../../client/paths.js';
import {
  CLOSE_CHANNEL as CLOSE,
  ERROR_CHANNEL as STATUS,
  RESIZE_CHANNEL as RESIZE,
  STDERR_CHANNEL as STDERR,
  STDIN_CHANNEL as STDIN,
  STDOUT_CHANNEL as STDOUT,
  STREAM_PROTOCOL_V4,
  STREAM_PROTOCOL_V5,
} from '../../client/streams.js';
import { CliError } from './errors.js';
import { resolveType } from './resources.js';
import { openSession, warn, type Session } from './session.js';
import { pickContainer, resolvePod } from './pod-target.js';

interface ExecOptions {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
  quiet?: boolean;
}


/** ExecStatus is the meta/v1 Status the node sends on channel 3. */
export interface ExecStatus {
  status?: string;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/** exitCodeOf reads the remote exit code from the status frame (0 on Success). */
export function exitCodeOf(s: ExecStatus): number | undefined {
  if (s.status === 'Success') return 0;
  const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return s.reason === 'NonZeroExitCode' && Number.isInteger(code) ? code : undefined;
}

/** execQuery is the pods/exec query string, one `command` per argument as kubectl sends it. */
export function execQuery(command: string[], container: string, opts: ExecOptions): string {
  const q = new URLSearchParams();
  for (const c of command) q.append('command', c);
  q.set('container', container);
  if (opts.stdin) q.set('stdin', 'true');
  q.set('stdout', 'true');
  q.set('stderr', opts.tty ? 'false' : 'true');
  if (opts.tty) q.set('tty', 'true');
  return q.toString();
}

/** registerExec adds `exec`. */
export function registerExec(program: Command): void {
  program
    .command('exec')
    .description('Execute a command in a container')
    .argument('<pod>', 'POD, pod/NAME, or TYPE/NAME of a workload (its first pod)')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('-c, --container <name>', 'container name; defaults to the first (or the default-container annotation)')
    .option('-i, --stdin', 'pass stdin to the container')
    .option('-t, --tty', 'stdin is a TTY')
    .option('-q, --quiet', 'only print output from the remote session')
    .action(async (pod: string, command: string[], opts: ExecOptions, cmd: Command) => runExec(openSession(cmd), pod, command, opts));
}

async function runExec(s: Session, target: string, command: string[], opts: ExecOptions): Promise<void> {
  if (command.length === 0) throw new CliError('you must specify at least one command for the container');
  const pod = await resolvePod(s, [target]);
  const container = pickContainer(s, pod, opts.container, opts.quiet);
  const path = resourcePath(resolveType('pods'), s.namespace, pod.metadata.name, 'exec');
  const url = `${s.config.server.replace(/\/+$/, '').replace(/^http/, 'ws')}${path}?${execQuery(command, container, opts)}`;
  const code = await stream(s, url, opts);
  if (code !== 0) {
    if (!opts.quiet) warn(s, `command terminated with exit code ${code}`);
    s.state.exitCode = code;
  }
}

function stream(s: Session, url: string, opts: ExecOptions): Promise<number> {
  const headers: Record<string, string> = {};
  if (s.config.token) headers.authorization = `Bearer ${s.config.token}`;
  const ws = new WebSocket(url, [STREAM_PROTOCOL_V5, STREAM_PROTOCOL_V4], {
    headers,
    ca: s.config.ca,
    rejectUnauthorized: !s.config.insecureSkipTLSVerify,
  });
  const out = new TextDecoder();
  const err = new TextDecoder();
  let status: ExecStatus | undefined;
  const tty = opts.tty && opts.stdin && process.stdin.isTTY && s.io.stdin === process.stdin;
  return new Promise<number>((resolve, reject) => {
    const restore = () => {
      if (tty) process.stdin.setRawMode(false);
      process.stdout.off('resize', sendSize);
    };
    const sendSize = () => {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame(RESIZE, JSON.stringify({ Width: process.stdout.columns, Height: process.stdout.rows })));
    };
    ws.on('open', () => {
      if (tty) {
        process.stdin.setRawMode(true);
        sendSize();
        process.stdout.on('resize', sendSize);
      }
      if (opts.stdin) void pumpStdin(s, ws);
    });
    ws.on('message', (raw: WebSocket.RawData) => {
      const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
      const payload = data.subarray(1);
      if (data[0] === STDOUT) s.io.stdout.write(out.decode(payload, { stream: true }));
      else if (data[0] === STDERR) s.io.stderr.write(err.decode(payload, { stream: true }));
      else if (data[0] === STATUS) status = parseStatus(payload.toString());
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(upgradeError(res.statusCode ?? 0, body)));
    });
    ws.on('error', (e) => {
      restore();
      reject(e);
    });
    ws.on('close', () => {
      restore();
      if (!status) return resolve(0);
      const code = exitCodeOf(status);
      if (code === undefined) reject(new CliError(status.message ?? 'exec failed'));
      else resolve(code);
    });
  });
}

async function pumpStdin(s: Session, ws: WebSocket): Promise<void> {
  for await (const chunk of s.io.stdin ?? []) {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(frame(STDIN, typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk)));
  }
  if (ws.readyState === WebSocket.OPEN && ws.protocol === STREAM_PROTOCOL_V5) ws.send(Buffer.of(CLOSE, STDIN));
}

function frame(channel: number, payload: string | Buffer): Buffer {
  return Buffer.concat([Buffer.of(channel), typeof payload === 'string' ? Buffer.from(payload) : payload]);
}

function parseStatus(text: string): ExecStatus {
  try {
    return JSON.parse(text) as ExecStatus;
  } catch {
    return { status: 'Failure', message: text };
  }
}

// A refused upgrade carries a Status body (NotFound, BadRequest, Forbidden); show it as kubectl does.
function upgradeError(code: number, body: string): Error {
  try {
    const st = JSON.parse(body) as { reason?: string; message?: string };
    return new CliError(`Error from server (${st.reason ?? code}): ${st.message ?? body}`);
  } catch {
    return new CliError(`unable to upgrade connection: ${code} ${body.trim()}`);
  }
}
