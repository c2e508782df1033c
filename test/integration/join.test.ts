// Joining a node with nothing but the server URL and a join string (ISSUE-8, ISSUE-9): the
// agent fetches the CA unverified, checks the pin, trades the bootstrap token for its own
// credentials, registers and runs as system:node:<name>. A wrong pin is refused before any
// token leaves the agent. The node's HTTPS server lets in the API server's client certificate
// (pods/log proxied end to end) and admins, nobody else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { freePort, startTestCluster, type TestCluster } from './harness.js';
import { httpFor, type Http } from './http.js';
import { TokenStore } from '../../apiserver/auth.js';
import { caPublicKeyHash } from '../../apiserver/bootstrap.js';
import { ensureKubeletClientCert } from '../../apiserver/pki.js';
import { RestClient } from '../../client/rest.js';
import { loadKubeconfig, parseKubeconfig } from '../../client/kubeconfig.js';
import { createJoinToken } from '../../cli/token.js';
import { joinCluster, nodeKubeconfigPath } from '../../cli/token-join.js';
import { runAgent } from '../../cli/agent-command.js';
import { FakeRuntime } from '../../runtime/fake/fake-runtime.js';
import { runCli } from '../../cli/cli.js';

async function sk(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['--kubeconfig', cluster.kubeconfig, ...args], {
    stdout: { write: (t: string) => void (out += t) },
    stderr: { write: (t: string) => void (err += t) },
  });
  return { code, out, err };
}

const RUN = (process.env.SKIFF_TEST_RUN ?? 'manual').toLowerCase().replace(/[^a-z0-9]/g, '').slice(-8) || 'manual';
const NODE = `joined-${RUN}`;

let cluster: TestCluster;
let admin: Http;
let adminClient: RestClient;
let joinToken: string;
const homes: string[] = [];
const stops: (() => Promise<void>)[] = [];

function freshHome(): string {
  const d = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-agent-`));
  homes.push(d);
  return d;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  cluster = await startTestCluster();
  const pkiDir = join(cluster.etcd.dir, 'pki');
  cluster.config.tokenStore = new TokenStore(join(pkiDir, 'tokens.json'));
  cluster.config.caCert = cluster.pki.caCert;
  cluster.config.kubelet = { clientCert: ensureKubeletClientCert(pkiDir) };
  await cluster.restartApiServer();
  admin = httpFor(cluster);
  adminClient = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
  joinToken = await createJoinToken(adminClient, cluster.pki.caCert, { ttlSeconds: 600, description: 'join test' });
}, 120_000);

afterAll(async () => {
  for (const s of stops.reverse()) await s().catch(() => {});
  await adminClient?.close();
  await cluster?.stop();
  for (const d of homes) rmSync(d, { recursive: true, force: true });
});

describe('join', () => {
  it('refuses a server whose CA does not match the pin, and writes nothing', async () => {
    const home = freshHome();
    const wrong = `K10${'ab'.repeat(32)}::${joinToken.split('::')[1]}`;
    const path = nodeKubeconfigPath(home, 'nope');
    await expect(joinCluster({ server: cluster.url, token: wrong, nodeName: 'nope', kubeconfig: path })).rejects.toThrow(
      `the cluster CA's public key hash sha256:${caPublicKeyHash(cluster.pki.caCert)} does not match the join token's sha256:${'ab'.repeat(32)}`,
    );
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a bare token without a CA hash', async () => {
    const bare = joinToken.split('::')[1]!;
    await expect(joinCluster({ server: cluster.url, token: bare, nodeName: 'nope', kubeconfig: join(freshHome(), 'k') })).rejects.toThrow(/needs --discovery-token-ca-cert-hash/);
  });

  it('a fresh agent home with only the server URL and the join string bootstraps, registers and serves logs', async () => {
    const home = freshHome();
    const port = await freePort();
    const rt = new FakeRuntime({ writeLogs: true, script: () => ({ logLines: ['hello', 'from', 'the node'] }) });
    const agent = await runAgent({
      home,
      server: cluster.url,
      token: joinToken,
      nodeName: NODE,
      nodeIp: '127.0.0.1',
      logServerPort: port,
      nodeLabels: {},
      runtime: async () => rt,
    });
    stops.push(() => agent.stop());
    const kc = loadKubeconfig(nodeKubeconfigPath(home, NODE));
    expect(kc.ca).toBe(cluster.pki.caCert);
    const who = await admin('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token: kc.token } });
    expect(who.body.status.user).toEqual({ username: `system:node:${NODE}`, groups: ['system:nodes', 'system:authenticated'] });

    await until('the joined node Ready', async () => {
      const n = await admin('GET', `/api/v1/nodes/${NODE}`);
      return n.body.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
    });
    expect((await admin('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${NODE}`)).status).toBe(200);

    // pods/log through the API server: the node accepts the API server's client certificate.
    const pod = { metadata: { name: 'greeter' }, spec: { nodeName: NODE, containers: [{ name: 'c', image: 'busybox:1.36' }] } };
    expect((await admin('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
    await until('the pod Running', async () => (await admin('GET', '/api/v1/namespaces/default/pods/greeter')).body.status?.phase === 'Running');
    const logs = await until('logs through the API server', async () => {
      const r = await admin('GET', '/api/v1/namespaces/default/pods/greeter/log');
      return r.status === 200 && r.text.includes('the node') ? r.text : undefined;
    });
    expect(logs).toBe('hello\nfrom\nthe node\n');

    // Straight to the node: no credentials, or a node's token, get 401; an admin token gets in.
    const insecure = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      const url = `https://127.0.0.1:${port}/containerLogs/default/greeter/c`;
      const status = async (token?: string) => {
        const r = await request(url, { dispatcher: insecure, headers: token ? { authorization: `Bearer ${token}` } : {} });
        await r.body.text();
        return r.statusCode;
      };
      expect(await status()).toBe(401);
      expect(await status(kc.token)).toBe(401);
      expect(await status('forged')).toBe(401);
      expect(await status(cluster.token)).toBe(200);
    } finally {
      await insecure.close();
      await agent.stop();
    }
  });

  it('a second start reuses the node credentials without the join string', async () => {
    const home = homes[homes.length - 1]!;
    const again = await runAgent({
      home,
      server: cluster.url,
      token: 'aaaaaa.bbbbbbbbbbbbbbbb', // unknown: would fail if used
      nodeName: NODE,
      nodeIp: '127.0.0.1',
      logServerPort: await freePort(),
      nodeLabels: {},
      runtime: async () => new FakeRuntime(),
    }).catch((err: Error) => err);
    expect(again).not.toBeInstanceOf(Error);
    if (!(again instanceof Error)) await again.stop();
  });

  it('skiff token create, list and delete manage bootstrap tokens; a deleted token cannot join', async () => {
    const created = await sk('token', 'create', '--ttl', '2h', '--description', 'from the CLI');
    expect(created.code).toBe(0);
    const js = created.out.trim();
    expect(js).toMatch(new RegExp(`^K10${caPublicKeyHash(cluster.pki.caCert)}::[a-z0-9]{6}\\.[a-z0-9]{16}$`));
    const id = js.split('::')[1]!.split('.')[0]!;
    const list = await sk('token', 'list');
    expect(list.out).toMatch(/^TOKEN ID\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION$/m);
    expect(list.out).toMatch(new RegExp(`^${id}\\s+(1h|2h)\\s+\\S+\\s+authentication\\s+from the CLI$`, 'm'));
    expect((await sk('token', 'ca-hash')).out.trim()).toBe(`sha256:${caPublicKeyHash(cluster.pki.caCert)}`);
    expect((await sk('token', 'delete', js)).out).toBe(`bootstrap token "${id}" deleted\n`);
    expect((await sk('token', 'list')).out).not.toContain(id);
    const home = freshHome();
    await expect(joinCluster({ server: cluster.url, token: js, nodeName: `late-${RUN}`, kubeconfig: nodeKubeconfigPath(home, 'late') })).rejects.toThrow(/Unauthorized/);
  }, 60_000);
});

describe('skiff kubeconfig and user tokens', () => {
  const status = async (kubeconfig: string, path: string) => {
    const cfg = loadKubeconfig(kubeconfig);
    const dispatcher = new Agent({ connect: { ca: cfg.ca } });
    try {
      const res = await request(cfg.server + path, { dispatcher, headers: { authorization: `Bearer ${cfg.token}` } });
      await res.body.text();
      return res.statusCode;
    } finally {
      await dispatcher.close();
    }
  };

  it("prints the caller's own kubeconfig", async () => {
    const r = await sk('kubeconfig');
    expect(r.code).toBe(0);
    const cfg = parseKubeconfig(r.out);
    expect(cfg).toMatchObject({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
  });

  it('--user mints a token for a new user into a 0600 file; groups decide what it may do; revoke takes it back', async () => {
    const dir = freshHome();
    const alice = join(dir, 'alice.kubeconfig');
    const made = await sk('kubeconfig', '--user', `alice-${RUN}`, '--ttl', '1h', '--output', alice);
    expect(made).toMatchObject({ code: 0, out: '' });
    expect(made.err).toContain(`written to ${alice}`);
    expect(statSync(alice).mode & 0o777).toBe(0o600);
    expect(readFileSync(alice, 'utf8')).toContain(`name: alice-${RUN}`);
    expect(await status(alice, '/api')).toBe(200);
    expect(await status(alice, '/api/v1/namespaces')).toBe(403);
    const boss = join(dir, 'boss.kubeconfig');
    expect((await sk('kubeconfig', '--user', `boss-${RUN}`, '--group', 'system:masters', '--output', boss)).code).toBe(0);
    expect(await status(boss, '/api/v1/namespaces')).toBe(200);

    const users = await sk('token', 'list', '--users');
    expect(users.out).toMatch(/^USER\s+GROUPS\s+CREATED\s+EXPIRES$/m);
    expect(users.out).toMatch(new RegExp(`^alice-${RUN}\\s+system:authenticated\\s+\\S+Z\\s+\\S+Z$`, 'm'));
    expect(users.out).toMatch(new RegExp(`^boss-${RUN}\\s+system:masters,system:authenticated\\s+\\S+Z\\s+\\S+Z$`, 'm'));

    expect((await sk('token', 'revoke', `alice-${RUN}`)).out).toBe(`revoked 1 token(s) of user "alice-${RUN}"\n`);
    expect(await status(alice, '/api')).toBe(401);
    const again = await sk('token', 'revoke', `alice-${RUN}`);
    expect(again.code).toBe(1);
    expect(again.err).toContain(`no tokens for user "alice-${RUN}"`);
  });

  it('token create --ttl 0 never expires', async () => {
    const js = (await sk('token', 'create', '--ttl', '0', '--description', 'forever')).out.trim();
    const id = js.split('::')[1]!.split('.')[0]!;
    expect((await sk('token', 'list')).out).toMatch(new RegExp(`^${id}\\s+<forever>\\s+<never>\\s+authentication\\s+forever$`, 'm'));
    expect((await sk('token', 'delete', id)).code).toBe(0);
  });
});
