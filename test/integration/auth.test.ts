// Access control against a real etcd and API server over HTTPS: 401 for missing, forged and
// expired tokens; node credentials from a bootstrap token; a node's token is held to its own
// Node, Lease, pods and the Secrets its pods use (403 with upstream's message); a bootstrap
// token's Secret is not plain text in etcd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { Agent, request } from 'undici';
import { startTestCluster, type TestCluster } from './harness.js';
import { httpFor, type Http } from './http.js';
import { nodeUser, TokenStore } from '../../apiserver/auth.js';
import { bootstrapSecret } from '../../apiserver/bootstrap.js';
import { CertRotator, certValidity } from '../../apiserver/pki.js';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';

const RUN = (process.env.SKIFF_TEST_RUN ?? 'manual').toLowerCase().replace(/[^a-z0-9]/g, '').slice(-8) || 'manual';
const NODE = `auth-n1-${RUN}`;
const OTHER = `auth-n2-${RUN}`;
// Bootstrap token ids are 6 characters; these are unique per file, the cluster is per file too.
const VALID = 'valid1.0123456789abcdef';
const EXPIRED = 'expir1.0123456789abcdef';

let cluster: TestCluster;
let admin: Http;
let nodeToken: string;
let asNode: Http;
let dispatcher: Agent;

async function raw(path: string, headers: Record<string, string> = {}, method = 'GET', body?: unknown) {
  const res = await request(cluster.url + path, {
    method: method as 'GET',
    dispatcher,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : {} };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  cluster = await startTestCluster();
  cluster.config.tokenStore = new TokenStore(join(cluster.etcd.dir, 'pki', 'tokens.json'));
  cluster.config.caCert = cluster.pki.caCert;
  await cluster.restartApiServer();
  dispatcher = new Agent({ connect: { ca: cluster.pki.caCert } });
  admin = httpFor(cluster);
  const past = new Date(Date.now() - 2 * 86400_000);
  expect((await admin('POST', '/api/v1/namespaces/kube-system/secrets', bootstrapSecret(EXPIRED, { now: past, ttlSeconds: 3600 }))).status).toBe(201);
  expect((await admin('POST', '/api/v1/namespaces/kube-system/secrets', bootstrapSecret(VALID, { now: new Date(), ttlSeconds: 3600 }))).status).toBe(201);
  // The authenticator reads the Secrets' watch cache: wait until the later one is there.
  nodeToken = await until('node credentials from the bootstrap token', async () => {
    const r = await raw('/skiff/bootstrap/node-credentials', { authorization: `Bearer ${VALID}` }, 'POST', { nodeName: NODE });
    return r.status === 201 ? (r.body.token as string) : undefined;
  });
  asNode = httpFor({ ...cluster, token: nodeToken });
  for (const ns of ['team-a', 'bank']) expect((await admin('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status).toBe(201);
  for (const [ns, name] of [['team-a', 'app-secret'], ['team-a', 'unused'], ['bank', 'gold']]) {
    expect((await admin('POST', `/api/v1/namespaces/${ns}/secrets`, { metadata: { name }, stringData: { k: 'v' } })).status).toBe(201);
  }
  const pod = (name: string, node: string, secret: string) => ({
    metadata: { name },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox', env: [{ name: 'S', valueFrom: { secretKeyRef: { name: secret, key: 'k' } } }] }] },
  });
  expect((await admin('POST', '/api/v1/namespaces/team-a/pods', pod('mine', NODE, 'app-secret'))).status).toBe(201);
  expect((await admin('POST', '/api/v1/namespaces/bank/pods', pod('theirs', OTHER, 'gold'))).status).toBe(201);
  expect((await admin('POST', '/api/v1/nodes', { metadata: { name: OTHER } })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await dispatcher?.close();
  await cluster?.stop();
});

describe('authentication', () => {
  it('no token: 401 with a Status', async () => {
    const r = await raw('/api/v1/namespaces');
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('a forged token: 401', async () => {
    expect((await raw('/api/v1/namespaces', { authorization: `Bearer ${'0'.repeat(64)}` })).status).toBe(401);
    expect((await raw('/api/v1/namespaces', { authorization: 'Bearer valid1.0123456789abcdee' })).status).toBe(401);
  });

  it('an expired bootstrap token is refused, the valid one is not', async () => {
    expect((await raw('/api', { authorization: `Bearer ${VALID}` })).status).toBe(200);
    const r = await raw('/api', { authorization: `Bearer ${EXPIRED}` });
    expect(r.status).toBe(401);
    expect((await raw('/skiff/bootstrap/node-credentials', { authorization: `Bearer ${EXPIRED}` }, 'POST', { nodeName: 'x' })).status).toBe(401);
  });

  it('a bootstrap token may fetch node credentials and nothing else', async () => {
    const r = await raw('/api/v1/nodes', { authorization: `Bearer ${VALID}` });
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(`nodes is forbidden: User "system:bootstrap:valid1" cannot list resource "nodes" in API group "" at the cluster scope`);
  });

  it('node credentials cannot be fetched with a node token, nor for a bad name', async () => {
    expect((await asNode('POST', '/skiff/bootstrap/node-credentials', { nodeName: OTHER })).status).toBe(403);
    expect((await raw('/skiff/bootstrap/node-credentials', { authorization: `Bearer ${VALID}` }, 'POST', { nodeName: '../x' })).status).toBe(400);
  });

  it('cluster-info is served without a token', async () => {
    const r = await raw('/skiff/bootstrap/cluster-info');
    expect(r.status).toBe(200);
    expect(r.body.certificateAuthority).toBe(cluster.pki.caCert);
  });

  it('TokenReview tells who a token is', async () => {
    const r = await asNode('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token: cluster.token } });
    expect(r.body.status).toEqual({ authenticated: true, user: { username: 'admin', groups: ['system:masters'] } });
    const bad = await asNode('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token: 'nope' } });
    expect(bad.body.status.authenticated).toBe(false);
  });
});

describe("a node's token", () => {
  it('registers and updates its own Node', async () => {
    expect((await asNode('POST', '/api/v1/nodes', { metadata: { name: NODE } })).status).toBe(201);
    const p = await asNode('PATCH', `/api/v1/nodes/${NODE}`, { metadata: { labels: { zone: 'a' } } }, { 'content-type': 'application/merge-patch+json' });
    expect(p.status).toBe(200);
    const s = await asNode('PATCH', `/api/v1/nodes/${NODE}/status`, { status: { phase: 'Running' } }, { 'content-type': 'application/merge-patch+json' });
    expect(s.status).toBe(200);
  });

  it('cannot create or update another node (403 with the message)', async () => {
    const p = await asNode('PATCH', `/api/v1/nodes/${OTHER}`, { metadata: { labels: { evil: 'yes' } } }, { 'content-type': 'application/merge-patch+json' });
    expect(p.status).toBe(403);
    expect(p.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect(p.body.message).toBe(
      `nodes "${OTHER}" is forbidden: User "system:node:${NODE}" cannot patch resource "nodes" in API group "" at the cluster scope: node "${NODE}" is not allowed to modify node "${OTHER}"`,
    );
    const c = await asNode('POST', '/api/v1/nodes', { metadata: { name: `fake-${RUN}` } });
    expect(c.status).toBe(403);
    expect((await admin('GET', `/api/v1/nodes/${OTHER}`)).body.metadata.labels?.evil).toBeUndefined();
  });

  it('reads the Secret its pod uses, not another namespace\'s nor an unused one', async () => {
    expect((await asNode('GET', '/api/v1/namespaces/team-a/secrets/app-secret')).status).toBe(200);
    const other = await asNode('GET', '/api/v1/namespaces/bank/secrets/gold');
    expect(other.status).toBe(403);
    expect(other.body.message).toBe(
      `secrets "gold" is forbidden: User "system:node:${NODE}" cannot get resource "secrets" in API group "" in the namespace "bank": no relationship found between node '${NODE}' and this object`,
    );
    expect((await asNode('GET', '/api/v1/namespaces/team-a/secrets/unused')).status).toBe(403);
    const list = await asNode('GET', '/api/v1/namespaces/bank/secrets');
    expect(list.status).toBe(403);
    expect(list.body.message).toBe(`secrets is forbidden: User "system:node:${NODE}" cannot list resource "secrets" in API group "" in the namespace "bank"`);
  });

  it('writes its own Lease and the status of its own pods only', async () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: NODE }, spec: { holderIdentity: NODE } };
    expect((await asNode('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', lease)).status).toBe(201);
    const stolen = { ...lease, metadata: { name: OTHER } };
    expect((await asNode('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', stolen)).status).toBe(403);
    const merge = { 'content-type': 'application/merge-patch+json' };
    expect((await asNode('PATCH', '/api/v1/namespaces/team-a/pods/mine/status', { status: { phase: 'Running' } }, merge)).status).toBe(200);
    expect((await asNode('PATCH', '/api/v1/namespaces/bank/pods/theirs/status', { status: { phase: 'Failed' } }, merge)).status).toBe(403);
    expect((await asNode('DELETE', '/api/v1/namespaces/bank/pods/theirs')).status).toBe(403);
    // A pod that is gone: the kubelet gets the NotFound it expects, not a 403.
    expect((await asNode('PATCH', '/api/v1/namespaces/team-a/pods/gone/status', { status: { phase: 'Running' } }, merge)).status).toBe(404);
    expect((await asNode('POST', '/api/v1/namespaces/team-a/pods', { metadata: { name: 'sneaky' }, spec: { containers: [{ name: 'c', image: 'x' }] } })).status).toBe(403);
  });

  it('a new join for the same node revokes its earlier token', async () => {
    const again = await raw('/skiff/bootstrap/node-credentials', { authorization: `Bearer ${VALID}` }, 'POST', { nodeName: OTHER });
    expect(again.status).toBe(201);
    const first = await raw('/skiff/bootstrap/node-credentials', { authorization: `Bearer ${VALID}` }, 'POST', { nodeName: OTHER });
    expect((await raw('/api/v1/nodes', { authorization: `Bearer ${again.body.token}` })).status).toBe(401);
    expect((await raw('/api/v1/nodes', { authorization: `Bearer ${first.body.token}` })).status).toBe(200);
  });
});

describe('user and node tokens in the store', () => {
  const store = () => cluster.config.tokenStore!;

  it('an expired stored token is refused with 401, an unexpired one is not', async () => {
    const past = new Date(Date.now() - 2 * 3600_000);
    const expired = store().issue({ name: 'carol', groups: ['system:masters'] }, { now: past, ttlSeconds: 3600 });
    const fresh = store().issue({ name: 'dave', groups: ['system:masters'] }, { now: new Date(), ttlSeconds: 3600 });
    const r = await raw('/api/v1/namespaces', { authorization: `Bearer ${expired}` });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    expect((await raw('/api/v1/namespaces', { authorization: `Bearer ${fresh}` })).status).toBe(200);
  });

  it('admins mint user tokens; users get their groups, others get 403', async () => {
    const made = await admin('POST', '/skiff/tokens', { user: 'erin', ttlSeconds: 600 });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ kind: 'IssuedToken', user: 'erin', groups: ['system:authenticated'] });
    expect(Date.parse(made.body.expires)).toBeGreaterThan(Date.now());
    const erin = { authorization: `Bearer ${made.body.token}` };
    expect((await raw('/api', erin)).status).toBe(200);
    const denied = await raw('/api/v1/namespaces', erin);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe('namespaces is forbidden: User "erin" cannot list resource "namespaces" in API group "" at the cluster scope');
    expect((await raw('/skiff/tokens', erin, 'POST', { user: 'mallory', groups: ['system:masters'] })).status).toBe(403);
    expect((await asNode('POST', '/skiff/tokens', { user: 'mallory', groups: ['system:masters'] })).status).toBe(403);
    expect((await admin('POST', '/skiff/tokens', { user: 'bad name' })).status).toBe(400);
    expect((await admin('POST', '/skiff/tokens', { user: 'x', groups: ['system:bootstrappers'] })).status).toBe(400);
  });

  it("revoking a node's tokens turns them away (node tokens do not expire; they are revoked)", async () => {
    const gone = `auth-gone-${RUN}`;
    const token = store().issue(nodeUser(gone), { now: new Date() });
    expect((await raw(`/api/v1/nodes/${gone}`, { authorization: `Bearer ${token}` })).status).toBe(404);
    const list = await admin('GET', '/skiff/tokens');
    expect(list.body.items).toContainEqual(expect.objectContaining({ user: `system:node:${gone}`, groups: ['system:nodes', 'system:authenticated'] }));
    expect(JSON.stringify(list.body)).not.toContain(token);
    const r = await admin('DELETE', `/skiff/tokens/${encodeURIComponent(`system:node:${gone}`)}`);
    expect(r.status).toBe(200);
    expect((await raw(`/api/v1/nodes/${gone}`, { authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await admin('DELETE', `/skiff/tokens/${encodeURIComponent(`system:node:${gone}`)}`)).status).toBe(404);
  });
});

describe('at rest', () => {
  it("a bootstrap token's Secret read straight from etcd is not plain text", async () => {
    const bytes = (await cluster.api.etcd.get('/registry/secrets/kube-system/bootstrap-token-valid1').buffer())!;
    expect(bytes.subarray(0, 20).toString()).toMatch(/^k8s:enc:aesgcm:v1:/);
    expect(bytes.includes(Buffer.from('0123456789abcdef'))).toBe(false);
    expect(bytes.includes(Buffer.from(Buffer.from('0123456789abcdef').toString('base64')))).toBe(false);
  });
});

/** The certificate the API server presents to a new connection, verified against the cluster CA. */
function servedCert(): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port: cluster.config.port!, ca: cluster.pki.caCert, servername: 'localhost' }, () => {
      resolve(s.getPeerCertificate());
      s.end();
    });
    s.once('error', reject);
  });
}

// Last in the file: it replaces the serving certificate the other tests use (same CA, so they would not notice).
describe('serving certificate rotation', () => {
  it('a certificate in its renewal window is re-issued and swapped into the running server', async () => {
    const before = await servedCert();
    expect(before.fingerprint256).toBe(new X509Certificate(cluster.pki.cert).fingerprint256);
    const rotator = new CertRotator({
      dir: join(cluster.etcd.dir, 'pki'),
      hosts: [],
      issue: { certDays: 3 },
      onRotated: (p) => cluster.api.setServingCert(p),
    });
    // The one-year certificate is not due today, but is 300 days from now.
    expect(rotator.check(new Date())).toBe(false);
    expect(rotator.check(new Date(Date.now() + 300 * 86400_000))).toBe(true);
    const after = await servedCert();
    expect(after.fingerprint256).not.toBe(before.fingerprint256);
    expect(after.fingerprint256).toBe(new X509Certificate(rotator.pki.cert).fingerprint256);
    const v = certValidity(rotator.pki.cert);
    expect(Math.round((v.notAfter.getTime() - v.notBefore.getTime()) / 86400_000)).toBe(3);
    // Clients that trust the CA carry on, on new connections too.
    const fresh = new Agent({ connect: { ca: cluster.pki.caCert } });
    try {
      const r = await request(cluster.url + '/api/v1/namespaces', { dispatcher: fresh, headers: { authorization: `Bearer ${cluster.token}` } });
      await r.body.text();
      expect(r.statusCode).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});
