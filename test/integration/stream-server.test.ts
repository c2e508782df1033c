// The real kubectl (1.27 SPDY exec + SPDY port-forward, 1.30 WebSocket exec + SPDY port-forward,
// 1.33 WebSocket exec + SPDY-in-WebSocket port-forward) against a tiny fake API server whose
// upgrade handler rewrites the URL to the kubelet path and calls handleStreamUpgrade, as the real
// API server proxy does. "Containers" are local `sh` processes; pod ports go to a local echo server.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  connect,
  createServer as createTcpServer,
  type AddressInfo,
  type Server as TcpServer,
} from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  handleStreamUpgrade,
  rejectUpgrade,
  failureStatus,
  type StreamBackend,
} from '../../kubelet/stream-server/index.js';

const kubectlDir = (() => {
  try {
    return dirname(
      execFileSync('readlink', ['-f', execFileSync('sh', ['-c', 'command -v kubectl']).toString().trim()])
        .toString()
        .trim(),
    );
  } catch {
    return undefined;
  }
})();

function kubectlBinary(version: string): string | undefined {
  const path = kubectlDir && join(kubectlDir, `kubectl.${version}`);
  return path && existsSync(path) ? path : undefined;
}

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p1', namespace: 'default', uid: 'u1', resourceVersion: '1' },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
  status: { phase: 'Running', podIP: '127.0.0.1' },
};

const resourceList = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'v1',
  resources: [
    {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['get', 'list'],
      shortNames: ['po'],
    },
    {
      name: 'pods/exec',
      singularName: '',
      namespaced: true,
      kind: 'PodExecOptions',
      verbs: ['create', 'get'],
    },
    {
      name: 'pods/attach',
      singularName: '',
      namespaced: true,
      kind: 'PodAttachOptions',
      verbs: ['create', 'get'],
    },
    {
      name: 'pods/portforward',
      singularName: '',
      namespaced: true,
      kind: 'PodPortForwardOptions',
      verbs: ['create', 'get'],
    },
  ],
};

function answer(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const bodies: Record<string, unknown> = {
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
    '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [] },
    '/api/v1': resourceList,
    '/api/v1/namespaces/default/pods/p1': pod,
  };
  const body = bodies[path] ?? failureStatus(404, 'NotFound', `${path} not found`);
  res.writeHead(path in bodies ? 200 : 404, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** toKubeletPath does what the API server's proxy does: pods/p1/exec?… → /exec/default/p1/c?… */
function toKubeletPath(url: string): string | undefined {
  const parsed = new URL(url, 'http://x');
  const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/.exec(
    parsed.pathname,
  );
  if (!match) return undefined;
  const [, ns, name, sub] = match;
  if (sub === 'portforward') return `/portForward/${ns}/${name}`;
  const container = parsed.searchParams.get('container') ?? 'c';
  return `/${sub}/${ns}/${name}/${container}${parsed.search}`;
}

const backend: StreamBackend = {
  async exec(req) {
    // attach (no command) attaches to a "container" whose main process is cat.
    const command = req.command.length > 0 ? req.command : ['cat'];
    const child = spawn('sh', ['-c', '"$@"', 'sh', ...command], { stdio: 'pipe' });
    await once(child, 'spawn');
    return {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      exitCode: new Promise((resolve) =>
        child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
      ),
      kill: () => child.kill('SIGKILL'),
    };
  },
  async portForward(_ns, _pod, port) {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return socket;
  },
};

interface Upgrade {
  path: string;
  upgrade: string;
}

let api: Server;
let echo: TcpServer;
let apiPort = 0;
let echoPort = 0;
const upgrades: Upgrade[] = [];
let cacheDir = '';

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'x'}-stream-`));
  echo = createTcpServer((socket) => socket.pipe(socket));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  echoPort = (echo.address() as AddressInfo).port;
  api = createServer(answer);
  api.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    const path = toKubeletPath(req.url ?? '/');
    upgrades.push({ path: req.url ?? '', upgrade: String(req.headers.upgrade).toLowerCase() });
    if (path !== undefined) req.url = path;
    if (path === undefined || !handleStreamUpgrade(req, socket, head, backend)) {
      rejectUpgrade(socket, failureStatus(404, 'NotFound', 'not a streaming path'));
    }
  });
  api.listen(0, '127.0.0.1');
  await once(api, 'listening');
  apiPort = (api.address() as AddressInfo).port;
});

afterAll(async () => {
  api?.closeAllConnections();
  await new Promise((resolve) => api?.close(resolve));
  await new Promise((resolve) => echo?.close(resolve));
  rmSync(cacheDir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function kubectlArgs(args: string[]): string[] {
  return ['--server', `http://127.0.0.1:${apiPort}`, '--cache-dir', cacheDir, '-n', 'default', ...args];
}

async function run(bin: string, args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<Result> {
  const child = spawn(bin, kubectlArgs(args), { stdio: 'pipe', env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  if (input !== undefined) child.stdin.end(input);
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

function lastUpgrade(kind: string): Upgrade | undefined {
  return upgrades.filter((u) => u.path.includes(`/${kind}`)).at(-1);
}

/** waitForLine resolves with the first stdout line of `child` that matches `pattern`. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      const match = pattern.exec(buffered);
      if (match) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`kubectl exited ${code}: ${stderr}`)));
  });
}

/** echoThrough sends `text` over a new TCP connection to `port` and returns what came back. */
async function echoThrough(port: number, text: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString()));
  const closed = once(socket, 'close');
  socket.write(text);
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (received.length < text.length) return;
      socket.off('data', check);
      resolve();
    };
    socket.on('data', check);
    check();
  });
  socket.end();
  await closed;
  return received;
}

const versions = [
  { version: '1.27', exec: 'spdy', portForward: 'spdy/3.1' },
  { version: '1.30', exec: 'websocket', portForward: 'spdy/3.1' },
  { version: '1.33', exec: 'websocket', portForward: 'websocket' },
];

describe.each(versions)('kubectl $version', ({ version, exec, portForward }) => {
  const bin = kubectlBinary(version);

  it.skipIf(!bin)('exec prints the command output', async () => {
    const result = await run(bin!, ['exec', 'p1', '--', 'echo', 'hi']);
    expect(result).toMatchObject({ code: 0, stdout: 'hi\n' });
    expect(lastUpgrade('exec')?.upgrade.startsWith(exec === 'spdy' ? 'spdy' : 'websocket')).toBe(true);
  });

  it.skipIf(!bin)('exec reports a non-zero exit code', async () => {
    const result = await run(bin!, ['exec', 'p1', '--', 'sh', '-c', 'echo oops >&2; exit 3']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('oops');
    expect(result.stderr).toContain('command terminated with exit code 3');
  });

  it.skipIf(!bin)('exec -i passes stdin through and ends it', async () => {
    const result = await run(bin!, ['exec', '-i', 'p1', '--', 'cat'], 'data\nmore data\n');
    expect(result).toMatchObject({ code: 0, stdout: 'data\nmore data\n' });
  });

  it.skipIf(!bin)('attach -i connects to the running process', async () => {
    const result = await run(bin!, ['attach', '-i', 'p1'], 'attached\n');
    expect(result).toMatchObject({ code: 0, stdout: 'attached\n' });
  });

  it.skipIf(!bin)('cp copies a file out of the container (exec of tar)', async () => {
    const source = join(cacheDir, `cp-source-${version}.txt`);
    const target = join(cacheDir, `cp-target-${version}.txt`);
    writeFileSync(source, `copied by ${version}\n`);
    const result = await run(bin!, ['cp', `p1:${source}`, target]);
    expect(result.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(`copied by ${version}\n`);
  });

  it.skipIf(!bin)('port-forward carries TCP connections to the pod port', async () => {
    const child = spawn(
      bin!,
      kubectlArgs(['port-forward', '--address', '127.0.0.1', 'pod/p1', `:${echoPort}`]),
      {
        stdio: 'pipe',
      },
    );
    try {
      const match = await waitForLine(child, /Forwarding from 127\.0\.0\.1:(\d+) ->/);
      const localPort = Number(match[1]);
      expect(await echoThrough(localPort, 'hello through the tunnel')).toBe('hello through the tunnel');
      // A second connection uses a new stream pair (next requestid) on the same session.
      expect(await echoThrough(localPort, 'again')).toBe('again');
      expect(lastUpgrade('portforward')?.upgrade).toBe(portForward);
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('kubectl 1.33 with WebSockets disabled', () => {
  const bin = kubectlBinary('1.33');

  it.skipIf(!bin)('falls back to SPDY exec (v5 offered first) with stdin and exit codes', async () => {
    const env = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
    const ok = await run(bin!, ['exec', '-i', 'p1', '--', 'cat'], 'over spdy\n', env);
    expect(ok).toMatchObject({ code: 0, stdout: 'over spdy\n' });
    expect(lastUpgrade('exec')?.upgrade).toBe('spdy/3.1');
    const failed = await run(bin!, ['exec', 'p1', '--', 'sh', '-c', 'exit 7'], undefined, env);
    expect(failed.code).toBe(7);
    expect(failed.stderr).toContain('command terminated with exit code 7');
  });
});
