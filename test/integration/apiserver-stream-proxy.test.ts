// pods/exec|attach|portforward: the API server hands the HTTP upgrade to the pod's node and pipes
// bytes both ways. Tested against a stand-in node that upgrades and echoes (issue 3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:https';
import { connect } from 'node:tls';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startTestCluster, type TestCluster } from './harness.js';
import { httpFor, type Http } from './http.js';
import { ensurePki } from '../../apiserver/pki.js';
import { pod } from './fixtures.js';

const NODE_TOKEN = 'node-token-stream';
let cluster: TestCluster;
let http: Http;
let node: Server;
let nodeDir: string;
const upgrades: { method: string; url: string; auth?: string; protocol?: string }[] = [];

beforeAll(async () => {
  nodeDir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-snode-`));
  const pki = ensurePki(nodeDir);
  const port = await freePort();
  node = createServer({ cert: pki.cert, key: pki.key });
  node.on('upgrade', (req, socket) => {
    upgrades.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, protocol: req.headers['sec-websocket-protocol'] as string });
    if (req.url!.includes('/refuse/')) {
      const body = '{"kind":"Status","apiVersion":"v1","status":"Failure","message":"no","reason":"BadRequest","code":400}';
      return void socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    }
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x-echo\r\nConnection: Upgrade\r\n\r\n');
    socket.pipe(socket);
  });
  await new Promise<void>((r) => node.listen(port, '127.0.0.1', r));
  cluster = await startTestCluster({ kubelet: { token: NODE_TOKEN } });
  http = httpFor(cluster);
  await http('POST', '/api/v1/nodes', {
    metadata: { name: 'stream-node' },
    status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } },
  });
  for (const name of ['p1', 'refuse']) {
    await http('POST', '/api/v1/namespaces/default/pods', pod(name));
    await http('POST', `/api/v1/namespaces/default/pods/${name}/binding`, { metadata: { name }, target: { kind: 'Node', name: 'stream-node' } });
  }
});
afterAll(async () => {
  await cluster?.stop();
  await new Promise((r) => node?.close(r));
  if (nodeDir) rmSync(nodeDir, { recursive: true, force: true });
});

/** Sends a raw upgrade request through the API server; resolves with the response head and the rest. */
function upgrade(path: string, token = cluster.token, send = ''): Promise<{ head: string; rest: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(cluster.url);
    const s = connect({ host: url.hostname, port: Number(url.port), ca: cluster.pki.caCert }, () => {
      s.write(
        `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Protocol: v5.channel.k8s.io\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.slice(0, end);
      if (head.startsWith('HTTP/1.1 101') && send && !buf.includes(send)) {
        if (buf.length === end + 4) s.write(send);
        return;
      }
      s.destroy();
      resolve({ head, rest: buf.slice(end + 4) });
    });
    s.on('error', reject);
  });
}

describe('streaming upgrades', () => {
  it('exec is handed to the node at its kubelet path with the node token, and bytes flow both ways', async () => {
    const { head, rest } = await upgrade('/api/v1/namespaces/default/pods/p1/exec?command=echo&command=hi&stdout=true&container=c', cluster.token, 'ping-bytes');
    expect(head).toMatch(/^HTTP\/1.1 101/);
    expect(rest).toBe('ping-bytes');
    const seen = upgrades[upgrades.length - 1]!;
    expect(seen.url).toBe('/exec/default/p1/c?command=echo&command=hi&stdout=true');
    expect(seen.auth).toBe(`Bearer ${NODE_TOKEN}`);
    expect(seen.protocol).toBe('v5.channel.k8s.io');
  });

  it('portforward goes to /portForward/ns/pod', async () => {
    const { head } = await upgrade('/api/v1/namespaces/default/pods/p1/portforward?ports=80');
    expect(head).toMatch(/^HTTP\/1.1 101/);
    expect(upgrades[upgrades.length - 1]!.url).toBe('/portForward/default/p1?ports=80');
  });

  it('the node`s refusal reaches the client as it was sent', async () => {
    const { head, rest } = await upgrade('/api/v1/namespaces/default/pods/refuse/exec?command=x&container=c');
    expect(head).toMatch(/^HTTP\/1.1 400/);
    expect(JSON.parse(rest).message).toBe('no');
  });

  it.each([
    ['an unknown container', '/api/v1/namespaces/default/pods/p1/exec?command=x&container=nope', 400, 'container nope is not valid for pod p1'],
    ['a missing pod', '/api/v1/namespaces/default/pods/ghost/exec?command=x', 404, 'pods "ghost" not found'],
  ])('%s is refused by the API server with a Status', async (_name, path, code, message) => {
    const { head, rest } = await upgrade(path);
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${code}`));
    expect(JSON.parse(rest)).toMatchObject({ kind: 'Status', code, message });
  });

  it('an unknown token gets 401 before anything reaches a node', async () => {
    const before = upgrades.length;
    const { head, rest } = await upgrade('/api/v1/namespaces/default/pods/p1/exec?command=x', 'bad-token');
    expect(head).toMatch(/^HTTP\/1.1 401/);
    expect(JSON.parse(rest).reason).toBe('Unauthorized');
    expect(upgrades.length).toBe(before);
  });
});
