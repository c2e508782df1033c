// pods/NAME/log proxied to a node's log endpoint: here a stand-in node agent over HTTPS, since the
// API server side must work before (and independently of) the real agent (issue 3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:https';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startTestCluster, type TestCluster } from './harness.js';
import { kubectlBinary } from '../helpers/kubectl.js';
import { httpFor, type Http } from './http.js';
import { ensurePki } from '../../apiserver/pki.js';
import { pod } from './fixtures.js';

const run = promisify(execFile);
const NODE_TOKEN = 'node-agent-token-for-tests';
let cluster: TestCluster;
let http: Http;
let node: Server;
let nodeDir: string;
const seen: { path: string; auth?: string }[] = [];

function standInNode(port: number): Promise<Server> {
  nodeDir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-node-`));
  const pki = ensurePki(nodeDir);
  const srv = createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    seen.push({ path: req.url!, auth: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${NODE_TOKEN}`) return void res.writeHead(401).end('Unauthorized');
    const url = new URL(req.url!, 'https://node');
    if (!url.pathname.startsWith('/containerLogs/')) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': 'text/plain' });
    if (url.searchParams.get('follow') !== 'true') return void res.end('line1\nline2\n');
    let n = 0;
    const timer = setInterval(() => {
      res.write(`follow-${++n}\n`);
      if (n === 3) {
        clearInterval(timer);
        res.end();
      }
    }, 50);
  });
  return new Promise((resolve) => srv.listen(port, '127.0.0.1', () => resolve(srv)));
}

beforeAll(async () => {
  const port = await freePort();
  node = await standInNode(port);
  cluster = await startTestCluster({ kubelet: { token: NODE_TOKEN } });
  http = httpFor(cluster);
  await http('POST', '/api/v1/nodes', {
    metadata: { name: 'log-node' },
    status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } },
  });
  await http('POST', '/api/v1/namespaces/default/pods', pod('logger'));
  await http('POST', '/api/v1/namespaces/default/pods/logger/binding', { metadata: { name: 'logger' }, target: { kind: 'Node', name: 'log-node' } });
});
afterAll(async () => {
  await cluster?.stop();
  await new Promise((r) => node?.close(r));
  if (nodeDir) rmSync(nodeDir, { recursive: true, force: true });
});

describe('pods/log', () => {
  it('proxies to the node with the node token, passing the log options through', async () => {
    const res = await http('GET', '/api/v1/namespaces/default/pods/logger/log?tailLines=5&timestamps=true');
    expect(res.status).toBe(200);
    expect(res.text).toBe('line1\nline2\n');
    const last = seen[seen.length - 1]!;
    expect(last.path).toBe('/containerLogs/default/logger/c?tailLines=5&timestamps=true');
    expect(last.auth).toBe(`Bearer ${NODE_TOKEN}`);
  });

  it('names the containers when a multi-container pod is asked without one; refuses unknown ones', async () => {
    const two = pod('two');
    (two.spec as any).containers.push({ name: 'side', image: 'busybox' });
    await http('POST', '/api/v1/namespaces/default/pods', two);
    const res = await http('GET', '/api/v1/namespaces/default/pods/two/log');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('a container name must be specified for pod two, choose one of: [c side]');
    const bad = await http('GET', '/api/v1/namespaces/default/pods/logger/log?container=nope');
    expect(bad.body.message).toBe('container nope is not valid for pod logger');
  });

  it('an unscheduled pod has no node to ask', async () => {
    await http('POST', '/api/v1/namespaces/default/pods', pod('pending'));
    const res = await http('GET', '/api/v1/namespaces/default/pods/pending/log');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('pod pending does not have a host assigned');
  });

  const kubectl = kubectlBinary('1.33') ?? '/nonexistent/kubectl.1.33';

  it.skipIf(!existsSync(kubectl))('kubectl logs and logs -f print what the node sends (kubectl 1.33)', async () => {
    const cache = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-kc-`));
    try {
      const args = ['--kubeconfig', cluster.kubeconfig, '--cache-dir', cache];
      const plain = await run(kubectl, [...args, 'logs', 'logger'], { timeout: 30_000 });
      expect(plain.stdout).toBe('line1\nline2\n');
      const follow = await run(kubectl, [...args, 'logs', '-f', 'logger'], { timeout: 30_000 });
      expect(follow.stdout).toBe('follow-1\nfollow-2\nfollow-3\n');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
