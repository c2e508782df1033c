import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  handleStreamUpgrade,
  type ExecRequest,
  type StreamBackend,
} from '../../../kubelet/stream-server/index.js';
import {
  execVersion,
  negotiate,
  offeredProtocols,
  EXEC_PROTOCOLS,
} from '../../../kubelet/stream-server/protocols.js';
import { parsePort } from '../../../kubelet/stream-server/port-forward.js';
import { parseStreamRequest } from '../../../kubelet/stream-server/request.js';
import { parseResize, readResizes } from '../../../kubelet/stream-server/resize.js';
import { expectedStreams } from '../../../kubelet/stream-server/spdy-exec.js';
import '../../../kubelet/stream-server/spdy-transport.js';
import { encodeStatus, exitCodeStatus, successStatus } from '../../../kubelet/stream-server/status.js';

describe('parseStreamRequest', () => {
  it.each([
    ['/healthz', undefined],
    ['/containerLogs/default/p1/c', undefined],
  ])('%s is not a streaming path', (url, want) => {
    expect(parseStreamRequest(url)).toBe(want);
  });

  it('parses exec with repeated commands and flags', () => {
    expect(
      parseStreamRequest(
        '/exec/ns/p1/c?command=sh&command=-c&command=echo%20hi&stdin=true&stdout=1&stderr=true',
      ),
    ).toEqual({
      kind: 'exec',
      exec: {
        namespace: 'ns',
        pod: 'p1',
        container: 'c',
        command: ['sh', '-c', 'echo hi'],
        stdin: true,
        stdout: true,
        stderr: true,
        tty: false,
      },
    });
  });

  it('accepts the uid segment and drops stderr under a tty, like the kubelet', () => {
    const parsed = parseStreamRequest('/attach/ns/p1/uid-1/c?stdout=true&stderr=true&tty=true');
    expect(parsed).toMatchObject({
      kind: 'attach',
      exec: { container: 'c', command: [], stderr: false, tty: true },
    });
  });

  it.each([
    ['/exec/ns/p1', 404, 'NotFound'],
    ['/exec/ns/p1/c?stdout=true', 400, 'BadRequest'],
    ['/exec/ns/p1/c?command=ls', 400, 'BadRequest'],
    ['/portForward/ns', 404, 'NotFound'],
  ])('%s is refused with a Status', (url, code, reason) => {
    expect(parseStreamRequest(url)).toMatchObject({
      error: { kind: 'Status', status: 'Failure', code, reason },
    });
  });

  it('parses port-forward with and without uid', () => {
    expect(parseStreamRequest('/portForward/ns/p1')).toEqual({
      kind: 'portForward',
      namespace: 'ns',
      pod: 'p1',
    });
    expect(parseStreamRequest('/portForward/ns/p1/uid')).toEqual({
      kind: 'portForward',
      namespace: 'ns',
      pod: 'p1',
    });
  });
});

describe('protocol negotiation', () => {
  it.each([
    {
      name: 'kubectl 1.27 SPDY',
      header: 'v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io',
      want: 'v4.channel.k8s.io',
    },
    { name: 'kubectl 1.29 SPDY', header: 'v5.channel.k8s.io, v4.channel.k8s.io', want: 'v5.channel.k8s.io' },
    {
      name: 'server preference wins',
      header: ['v2.channel.k8s.io', 'v4.channel.k8s.io'],
      want: 'v4.channel.k8s.io',
    },
    { name: 'v1 only', header: 'channel.k8s.io', want: undefined },
    { name: 'nothing offered', header: undefined, want: undefined },
  ])('$name', ({ header, want }) => {
    expect(negotiate(offeredProtocols(header), EXEC_PROTOCOLS)).toBe(want);
  });

  it('maps protocol names to versions', () => {
    expect(EXEC_PROTOCOLS.map(execVersion)).toEqual([5, 4, 3, 2]);
  });
});

describe('encodeStatus', () => {
  it('writes JSON Status from v4 on', () => {
    expect(JSON.parse(encodeStatus(5, exitCodeStatus(3))!.toString())).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(JSON.parse(encodeStatus(4, successStatus())!.toString())).toEqual({
      metadata: {},
      status: 'Success',
    });
  });

  it('writes only failure text before v4', () => {
    expect(encodeStatus(3, successStatus())).toBeUndefined();
    expect(encodeStatus(2, exitCodeStatus(1))!.toString()).toContain('exit status 1');
  });
});

describe('expectedStreams', () => {
  const req = (over: Partial<ExecRequest>): ExecRequest => ({
    namespace: 'ns',
    pod: 'p',
    container: 'c',
    command: ['sh'],
    stdin: false,
    stdout: true,
    stderr: true,
    tty: false,
    ...over,
  });
  it.each([
    { name: 'plain exec', r: req({}), version: 4, want: ['error', 'stdout', 'stderr'] },
    {
      name: 'interactive tty (stderr merged)',
      r: req({ stdin: true, stderr: false, tty: true }),
      version: 4,
      want: ['error', 'stdin', 'stdout', 'resize'],
    },
    {
      name: 'tty on v2 has no resize',
      r: req({ stderr: false, tty: true }),
      version: 2,
      want: ['error', 'stdout'],
    },
  ])('$name', ({ r, version, want }) => {
    expect(expectedStreams(r, version)).toEqual(want);
  });
});

describe('resize and ports', () => {
  it('parses resize messages and ignores bad ones', () => {
    expect(parseResize('{"Width":80,"Height":24}')).toEqual({ width: 80, height: 24 });
    expect(parseResize('{"Width":"80"}')).toBeUndefined();
    expect(parseResize('nope')).toBeUndefined();
  });

  it('splits the SPDY resize stream into messages across chunk boundaries', async () => {
    const stream = new PassThrough();
    const sizes: unknown[] = [];
    readResizes(stream, (s) => sizes.push(s));
    stream.write('{"Width":1,"Height":2}\n{"Wid');
    stream.end('th":3,"Height":4}\n');
    await once(stream, 'end');
    expect(sizes).toEqual([
      { width: 1, height: 2 },
      { width: 3, height: 4 },
    ]);
  });

  it.each([
    ['80', 80],
    ['65535', 65535],
    ['0', undefined],
    ['65536', undefined],
    ['8o', undefined],
    [undefined, undefined],
  ])('parsePort(%s)', (value, want) => expect(parsePort(value)).toBe(want));
});

describe('spdy-transport parser override', () => {
  type Frame = { type: string; headers: Record<string, string> };
  interface TestParser {
    version: number;
    parseKVs(body: unknown, cb: (err: Error | null, headers?: Record<string, string>) => void): void;
    onSynHeadFrame(
      type: number,
      flags: number,
      body: unknown,
      cb: (err: Error | null, frame?: Frame) => void,
    ): void;
  }
  const require = createRequire(import.meta.url);
  const spdy = require('spdy-transport') as {
    protocol: { spdy: { parser: { create(o: object): TestParser } } };
  };
  const OffsetBuffer = require(
    require.resolve('obuf', { paths: [require.resolve('spdy-transport')] }),
  ) as new () => {
    push(b: Buffer): void;
  };

  function synStream(headers: Record<string, string>): Promise<Frame> {
    const parser = spdy.protocol.spdy.parser.create({ isServer: true });
    parser.version = 3;
    parser.parseKVs = (_body, cb) => cb(null, headers);
    const body = new OffsetBuffer();
    body.push(Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 0])); // stream id 1, no associated stream
    return new Promise((resolve, reject) =>
      parser.onSynHeadFrame(0x01, 0, body, (err, frame) => (err ? reject(err) : resolve(frame!))),
    );
  }

  it('accepts Kubernetes streams without :method/:path', async () => {
    const frame = await synStream({ streamtype: 'error', port: '80', requestid: '0' });
    expect(frame).toMatchObject({ type: 'HEADERS', headers: { streamtype: 'error', requestid: '0' } });
  });

  it('keeps the check for other SPDY streams', async () => {
    await expect(synStream({ foo: 'bar' })).rejects.toThrow(/:method/);
  });
});

describe('WebSocket exec', () => {
  let server: Server;
  let port = 0;
  const started: ExecRequest[] = [];
  const backend: StreamBackend = {
    async exec(req) {
      started.push(req);
      if (req.command[0] === 'fail') throw new Error('no such container');
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      let exit: (code: number) => void = () => undefined;
      const exitCode = new Promise<number>((resolve) => (exit = resolve));
      // An "upper-casing cat" that exits with the number of bytes it read.
      let read = 0;
      stdin.on('data', (d: Buffer) => {
        read += d.length;
        stdout.write(d.toString().toUpperCase());
      });
      stdin.on('end', () => {
        stdout.end();
        exit(read);
      });
      return { stdin, stdout, exitCode, kill: () => exit(137) };
    },
    portForward: () => Promise.reject(new Error('unused')),
  };

  beforeAll(async () => {
    server = createServer((_req, res) => res.end());
    server.on('upgrade', (req, socket, head: Buffer) => {
      if (!handleStreamUpgrade(req, socket, head, backend)) socket.destroy();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** session sends stdin then the v5 close signal, and collects channel output until close. */
  async function session(path: string, input: string, protocols = ['v5.channel.k8s.io']) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols);
    const out: Record<number, string> = {};
    ws.on('message', (d: Buffer) => (out[d[0]!] = (out[d[0]!] ?? '') + d.subarray(1).toString()));
    await once(ws, 'open');
    ws.send(Buffer.concat([Buffer.of(0), Buffer.from(input)]));
    ws.send(Buffer.of(255, 0));
    await once(ws, 'close');
    return { protocol: ws.protocol, out };
  }

  it('pipes stdin/stdout and reports the exit code on channel 3', async () => {
    const { protocol, out } = await session('/exec/ns/p1/c?command=upcat&stdin=true&stdout=true', 'abc');
    expect(protocol).toBe('v5.channel.k8s.io');
    expect(out[1]).toBe('ABC');
    expect(JSON.parse(out[3]!)).toMatchObject({
      reason: 'NonZeroExitCode',
      details: { causes: [{ message: '3' }] },
    });
    expect(started.at(-1)).toMatchObject({ namespace: 'ns', pod: 'p1', container: 'c', command: ['upcat'] });
  });

  it('sends Success for exit 0', async () => {
    const { out } = await session('/exec/ns/p1/c?command=upcat&stdin=true&stdout=true', '');
    expect(JSON.parse(out[3]!)).toEqual({ metadata: {}, status: 'Success' });
  });

  it('reports a backend failure as a Failure status', async () => {
    const { out } = await session('/exec/ns/p1/c?command=fail&stdin=true', '');
    expect(JSON.parse(out[3]!)).toMatchObject({
      status: 'Failure',
      reason: 'InternalError',
      message: 'no such container',
    });
  });

  it.each([
    {
      name: 'no acceptable subprotocol',
      path: '/exec/ns/p1/c?command=x&stdout=true',
      protocols: ['base64.channel.k8s.io'],
      code: 403,
    },
    { name: 'malformed path', path: '/exec/ns', protocols: ['v5.channel.k8s.io'], code: 404 },
  ])('rejects $name with a non-101 Status', async ({ path, protocols, code }) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols);
    ws.on('error', () => undefined);
    const [, res] = (await once(ws, 'unexpected-response')) as [unknown, import('node:http').IncomingMessage];
    let body = '';
    for await (const chunk of res) body += String(chunk);
    expect(res.statusCode).toBe(code);
    expect(JSON.parse(body)).toMatchObject({ kind: 'Status', status: 'Failure', code });
  });
});
