// The service proxy and host-gw routes against real iptables and real routes, in network
// namespaces this test makes: a "node" namespace with a bridge and three "pods" (busybox httpd,
// each answering its own name), and a "peer" namespace on a link to the node that plays the
// outside client and a second node. Services and Endpoints come from a real API server; the
// proxy programs the node namespace only, with a chain prefix unique to this run.
//
//   peer 192.168.77.2 (node n2, pods 10.244.2.0/24) ── 192.168.77.1 node ── br0 10.244.1.1 ── a .2, b .3, c .4
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Endpoints, Node, Service } from '../../api/types/core.js';
import { RestClient } from '../../client/rest.js';
import { cleanupNodeNetwork, startNodeNetwork, type NodeNetwork } from '../../kubelet/proxy/index.js';
import { hostExec } from '../../kubelet/proxy/iptables.js';
import { startTestCluster, type TestCluster } from './harness.js';

const has = (bin: string) => ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => existsSync(join(d, bin)));
const skip = process.getuid?.() !== 0 || !has('iptables-restore') || !has('busybox') || !has('curl') || !has('ip');

const sfx = randomBytes(3).toString('hex');
const PREFIX = `T${sfx.toUpperCase()}`; // 7 characters, unique to this run
const PROTO = String(100 + (randomBytes(1)[0]! % 90)); // route protocol for this run
const NS = { node: `skp-n-${sfx}`, peer: `skp-p-${sfx}`, a: `skp-a-${sfx}`, b: `skp-b-${sfx}`, c: `skp-c-${sfx}` };
const POD_IP = { a: '10.244.1.2', b: '10.244.1.3', c: '10.244.1.4' } as const;
type PodName = keyof typeof POD_IP;
const NODE_IP = '192.168.77.1';
const PEER_IP = '192.168.77.2';
const NODE_PORT = 30000 + (randomBytes(2).readUInt16BE() % 2700);

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const inNs = (ns: string, ...cmd: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...cmd], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

let cluster: TestCluster;
let client: RestClient;
let net: NodeNetwork | undefined;
let dir = '';
const children: ChildProcess[] = [];
const errors: string[] = [];

function buildNamespaces(): void {
  for (const ns of Object.values(NS)) ip('netns', 'add', ns);
  for (const ns of Object.values(NS)) ip('-n', ns, 'link', 'set', 'lo', 'up');
  ip('-n', NS.node, 'link', 'add', 'br0', 'type', 'bridge');
  ip('-n', NS.node, 'addr', 'add', '10.244.1.1/24', 'dev', 'br0');
  ip('-n', NS.node, 'link', 'set', 'br0', 'up');
  for (const pod of Object.keys(POD_IP) as PodName[]) {
    ip('-n', NS.node, 'link', 'add', `v${pod}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS[pod]);
    ip('-n', NS.node, 'link', 'set', `v${pod}`, 'master', 'br0', 'up');
    ip('-n', NS.node, 'link', 'set', `v${pod}`, 'type', 'bridge_slave', 'hairpin', 'on');
    ip('-n', NS[pod], 'addr', 'add', `${POD_IP[pod]}/24`, 'dev', 'eth0');
    ip('-n', NS[pod], 'link', 'set', 'eth0', 'up');
    ip('-n', NS[pod], 'route', 'add', 'default', 'via', '10.244.1.1');
  }
  ip('-n', NS.node, 'link', 'add', 'vpeer', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS.peer);
  ip('-n', NS.node, 'addr', 'add', `${NODE_IP}/24`, 'dev', 'vpeer');
  ip('-n', NS.node, 'link', 'set', 'vpeer', 'up');
  ip('-n', NS.node, 'route', 'add', 'default', 'via', PEER_IP); // a host has one; connect() needs a route before DNAT
  ip('-n', NS.peer, 'addr', 'add', `${PEER_IP}/24`, 'dev', 'eth0');
  ip('-n', NS.peer, 'link', 'set', 'eth0', 'up');
  // The peer is node n2: its own pod range lives on it, and it routes back to ours (its agent's job).
  ip('-n', NS.peer, 'addr', 'add', '10.244.2.1/32', 'dev', 'lo');
  ip('-n', NS.peer, 'route', 'add', '10.244.1.0/24', 'via', NODE_IP);
  ip('-n', NS.peer, 'route', 'add', '10.96.0.0/12', 'via', NODE_IP); // a client whose Service traffic passes the node
}

function serve(ns: string, args: string[]): void {
  const child = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: 'ignore' });
  children.push(child);
}

/** get fetches url with curl inside ns (busybox wget crashes on this machine); the body, or the error text. */
async function get(ns: string, url: string): Promise<{ ok: boolean; code: number; body: string }> {
  const r = await hostExec(ns)('curl', ['-sS', '-m', '5', url]);
  return { ok: r.code === 0, code: r.code, body: r.code === 0 ? r.stdout.trim() : r.stderr.trim() };
}

/**
 * who asks url n times from one curl (httpd closes each connection, so every request is a new
 * connection and a new random pick) and counts which pod answered; failures count as "error".
 */
async function who(ns: string, url: string, n = 30): Promise<Record<string, number>> {
  const r = await hostExec(ns)('curl', ['-sS', '-m', '5', ...Array<string>(n).fill(url)]);
  const seen: Record<string, number> = {};
  for (const k of [...r.stdout.split('\n').filter(Boolean), ...r.stderr.split('\n').filter(Boolean).map((e) => `error: ${e}`)]) seen[k] = (seen[k] ?? 0) + 1;
  return seen;
}

/** eventually retries fn until ok (bounded; the proxy follows the API asynchronously). */
async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, attempts = 100): Promise<T> {
  let v = await fn();
  for (let i = 1; i < attempts && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 200));
    v = await fn();
  }
  return v;
}

const saveNode = () => inNs(NS.node, 'iptables-save');
const ours = (text: string) => text.split('\n').filter((l) => l.includes(`${PREFIX}-`));
const dnatTargets = (text: string) => ours(text).filter((l) => l.includes('-j DNAT')).map((l) => /--to-destination (\S+)/.exec(l)![1]!).sort();

const SERVICES = mustResource('services');
const ENDPOINTS = mustResource('endpoints');
const NODES = mustResource('nodes');

function endpoints(ready: PodName[], notReady: PodName[]): Endpoints {
  const addr = (p: PodName) => ({ ip: POD_IP[p], targetRef: { kind: 'Pod', namespace: 'default', name: p } });
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: ready.map(addr), notReadyAddresses: notReady.map(addr), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] };
}

async function setEndpoints(ready: PodName[], notReady: PodName[]): Promise<void> {
  const cur = await client.get(ENDPOINTS, 'default', 'web');
  await client.update(ENDPOINTS, { ...endpoints(ready, notReady), metadata: cur.metadata });
}

function node(name: string, address: string, podCIDR: string): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { podCIDR, podCIDRs: [podCIDR] }, status: { addresses: [{ type: 'InternalIP', address }] } };
}

async function createNode(n: Node): Promise<void> {
  const created = await client.create(NODES, undefined, n as unknown as KubeObject);
  await client.updateStatus(NODES, { ...created, status: n.status });
}

describe.skipIf(skip)('service proxy and pod routes in network namespaces (root only)', { timeout: 120_000 }, () => {
  let clusterIP = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-proxy-`));
    buildNamespaces();
    for (const pod of Object.keys(POD_IP) as PodName[]) {
      mkdirSync(join(dir, pod));
      writeFileSync(join(dir, pod, 'index.html'), `${pod}\n`);
      serve(NS[pod], ['busybox', 'httpd', '-f', '-p', '8080', '-h', join(dir, pod)]);
    }
    // The peer answers with the address it sees: the test of "no NAT inside the cluster, NAT out of it".
    serve(NS.peer, [process.execPath, '-e', "require('http').createServer((q,s)=>s.end(q.socket.remoteAddress)).listen(9000,'0.0.0.0')"]);
    for (const pod of Object.keys(POD_IP) as PodName[]) await eventually(() => get(NS.node, `http://${POD_IP[pod]}:8080/`), (r) => r.ok);
    await eventually(() => get(NS.node, `http://${PEER_IP}:9000/`), (r) => r.ok);

    cluster = await startTestCluster();
    client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
    const svc: Service = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: NODE_PORT, protocol: 'TCP' }] },
    };
    const created = (await client.create(SERVICES, 'default', svc as unknown as KubeObject)) as unknown as Service;
    clusterIP = created.spec!.clusterIP!;
    await client.create(ENDPOINTS, 'default', endpoints(['a', 'b'], ['c']) as unknown as KubeObject);
    await createNode(node('n1', NODE_IP, '10.244.1.0/24'));
    await createNode(node('n2', PEER_IP, '10.244.2.0/24'));

    net = startNodeNetwork({
      client,
      nodeName: 'n1',
      netns: NS.node,
      proxy: { prefix: PREFIX, clusterCidr: '10.244.0.0/16' },
      routeProto: PROTO,
      minSyncPeriodMs: 100,
      onError: (err, what) => errors.push(`${what}: ${(err as Error).message}`),
    });
  }, 120_000);

  afterAll(async () => {
    await net?.stop().catch(() => undefined);
    for (const c of children) c.kill('SIGKILL');
    for (const ns of Object.values(NS)) {
      try {
        ip('netns', 'del', ns); // takes its links, routes and netfilter tables with it
      } catch {
        // not made (setup failed early)
      }
    }
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('sends ClusterIP traffic to every ready endpoint and none to the unready one', async () => {
    await eventually(async () => saveNode(), (t) => dnatTargets(t).length === 2);
    expect(Object.keys(await who(NS.node, `http://${clusterIP}/`)).sort()).toEqual(['a', 'b']);
    // From a pod on the same bridge: the reply comes back through conntrack (bridge-nf-call-iptables).
    expect(Object.keys(await who(NS.c, `http://${clusterIP}/`, 20)).sort()).toEqual(['a', 'b']);
  });

  it('programs statistic rules with equal shares, only in chains of its own', () => {
    const save = saveNode();
    expect(save).toMatch(/--probability 0\.50000/);
    expect(dnatTargets(save)).toEqual(['10.244.1.2:8080', '10.244.1.3:8080']);
    expect(save).toContain(`-A PREROUTING -m comment --comment "skiff service portals" -j ${PREFIX}-SERVICES`);
  });

  it('answers on the NodePort from outside and on localhost', async () => {
    expect(Object.keys(await who(NS.peer, `http://${NODE_IP}:${NODE_PORT}/`)).sort()).toEqual(['a', 'b']);
    expect(Object.keys(await who(NS.node, `http://127.0.0.1:${NODE_PORT}/`, 20)).sort()).toEqual(['a', 'b']);
    expect(inNs(NS.node, 'sysctl', '-n', 'net.ipv4.conf.all.route_localnet').trim()).toBe('1');
  });

  it('follows readiness: an endpoint turned ready gets traffic, one turned unready stops getting it', async () => {
    await setEndpoints(['a', 'c'], ['b']);
    await eventually(async () => saveNode(), (t) => dnatTargets(t).join() === '10.244.1.2:8080,10.244.1.4:8080');
    expect(Object.keys(await who(NS.node, `http://${clusterIP}/`)).sort()).toEqual(['a', 'c']);
  });

  it('rejects (connection refused at once, not a timeout) when no endpoint is ready', async () => {
    await setEndpoints([], ['a', 'b', 'c']);
    // curl exits 7 when the connection is refused, 28 when it times out.
    expect((await eventually(() => get(NS.node, `http://${clusterIP}/`), (x) => x.code === 7)).code).toBe(7);
    expect((await eventually(() => get(NS.peer, `http://${NODE_IP}:${NODE_PORT}/`), (x) => x.code === 7)).code).toBe(7);
  });

  it('keeps a client on one endpoint with sessionAffinity ClientIP', async () => {
    await setEndpoints(['a', 'b'], []);
    const cur = (await client.get(SERVICES, 'default', 'web')) as unknown as Service;
    await client.update(SERVICES, { ...cur, spec: { ...cur.spec, sessionAffinity: 'ClientIP' } });
    await eventually(async () => saveNode(), (s) => s.includes('--rcheck') && dnatTargets(s).length === 2);
    const seen = await who(NS.peer, `http://${clusterIP}/`, 20);
    expect(Object.keys(seen)).toHaveLength(1);
    expect(['a', 'b']).toContain(Object.keys(seen)[0]);
  });

  it('routes to the other node\'s pods via its address, without NAT; masquerades traffic leaving the cluster', async () => {
    const routes = await eventually(async () => ip('-n', NS.node, 'route', 'show', 'proto', PROTO), (r) => r.includes('10.244.2.0/24'));
    expect(routes.trim()).toBe(`10.244.2.0/24 via ${PEER_IP} dev vpeer`); // `show proto N` leaves the proto out
    expect((await get(NS.a, 'http://10.244.2.1:9000/')).body).toBe(POD_IP.a);
    expect((await get(NS.a, `http://${PEER_IP}:9000/`)).body).toBe(NODE_IP);
  });

  it('moves and removes routes with the Node list, and touches no other route', async () => {
    ip('-n', NS.node, 'route', 'add', '10.99.0.0/24', 'via', PEER_IP); // somebody else's
    const n2 = (await client.get(NODES, undefined, 'n2')) as unknown as Node;
    await client.updateStatus(NODES, { ...n2, status: { ...n2.status, addresses: [{ type: 'InternalIP', address: '192.168.77.3' }] } });
    await eventually(async () => ip('-n', NS.node, 'route', 'show', 'proto', PROTO), (r) => r.includes('via 192.168.77.3'));
    await client.delete(NODES, undefined, 'n2');
    const after = await eventually(async () => ip('-n', NS.node, 'route', 'show', 'proto', PROTO), (r) => r.trim() === '');
    expect(after.trim()).toBe('');
    expect(ip('-n', NS.node, 'route', 'show')).toContain('10.99.0.0/24');
  });

  it('restores only when the rules change', async () => {
    const before = net!.proxy.stats.restores;
    const cur = (await client.get(SERVICES, 'default', 'web')) as unknown as Service;
    await client.update(SERVICES, { ...cur, metadata: { ...cur.metadata, labels: { touched: 'yes' } } });
    await net!.proxy.idle();
    expect(net!.proxy.stats.unchanged).toBeGreaterThan(0);
    expect(net!.proxy.stats.restores).toBe(before);
  });

  it('removes its chains, jumps and routes on stop; cleanup after that finds nothing', async () => {
    expect(errors.filter((e) => !e.includes('network informers'))).toEqual([]);
    await net!.stop();
    net = undefined;
    expect(ours(saveNode())).toEqual([]);
    expect(ip('-n', NS.node, 'route', 'show', 'proto', PROTO).trim()).toBe('');
    expect(await cleanupNodeNetwork({ exec: hostExec(NS.node), prefix: PREFIX, proto: PROTO })).toEqual({ chains: false, routes: 0 });
  });
});
