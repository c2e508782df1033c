// A 3-node cluster on this machine from `./hack/up.sh --nodes 3`: the server and node 1 on the
// host, nodes 2 and 3 each in a network namespace of its own, joined over a bridge. Real runc,
// CNI, iptables and routes; the real kubectl. Pods reach pods on other nodes by IP, ClusterIP and
// DNS name; NodePorts answer on every node; an unready pod gets no traffic; a rolling update
// loses no request; a killed agent's pods come back elsewhere and the agent rejoins; and
// `./hack/down.sh` leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { kubectlBinary } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/wait.js';
import { freePort } from '../integration/harness.js';
import { cgroupExists, removeCgroup } from '../../runtime/containers/cgroup-remove.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/skiff/main.js');
const KUBECTL = kubectlBinary('1.33') ?? '/nonexistent/kubectl.1.33';
const canRun =
  process.getuid?.() === 0 && existsSync(MAIN) && existsSync(KUBECTL) && existsSync('/usr/sbin/runc') && existsSync('/bin/busybox') &&
  existsSync('/usr/bin/nsenter');

// Names and ranges of this run only, apart from any other cluster or test on the host.
const id = randomBytes(3).toString('hex');
const octet = () => randomBytes(1)[0]!;
const first = `m${id}`;
const names = [first, `${first}-2`, `${first}-3`];
const nodeNet = `172.30.${octet()}.0/24`;
const clusterCidr = `10.${210 + (octet() % 40)}.0.0/16`;
const serviceCidr = `172.29.${octet()}.0/24`;
const hostBridge = `skn${id}`;
const podBridge = `skb${id}`;
const chainPrefix = `M${id.toUpperCase()}`;
const dnsAddress = `169.254.${1 + (octet() % 250)}.${1 + (octet() % 250)}`;
const cgroups = [`/skiff-it-${id}`, `/skiff-${first}-2`, `/skiff-${first}-3`];

let home = '';
let cache = '';
let upArgs: string[] = [];

async function kubectl(...args: string[]) {
  return run(KUBECTL, ['--kubeconfig', join(home, 'kubeconfig'), '--cache-dir', cache, ...args], { timeout: 120_000 });
}

async function kubectlJson<T = any>(...args: string[]): Promise<T> {
  return JSON.parse((await kubectl(...args, '-o', 'json')).stdout) as T;
}

async function hackScript(script: string, args: string[], timeout = 300_000) {
  return run('bash', [join(ROOT, 'hack', script), ...args], { timeout, env: { ...process.env, SKIFF_HOME: home, SKIFF_SETUP: '0' } });
}

/** One GET on a fresh connection (no keep-alive), so each request is balanced anew. */
function getOnce(url: string, timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolveGet, reject) => {
    const req = httpGet(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out: ${url}`)));
    req.on('error', reject);
  });
}

const hostOf = (body: string) => /host=(\S+)/.exec(body)?.[1];

/** The last lines of each log in dir (server, runtimes, agents), for a failure's message. */
function logTails(dir: string, lines = 30): string {
  if (!existsSync(dir)) return `(no ${dir})`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => `--- ${f}\n${readFileSync(join(dir, f), 'utf8').trimEnd().split('\n').slice(-lines).join('\n')}`)
    .join('\n');
}

const manifest = (image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 5
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 3}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 3}
      containers:
      - name: web
        image: ${image}
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 1, failureThreshold: 2}
        # As upstream advises: keep serving while the endpoint removal reaches every node's proxy.
        lifecycle: {preStop: {exec: {command: [sleep, "2"]}}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

interface PodInfo {
  name: string;
  ip: string;
  node: string;
}

async function readyPods(): Promise<PodInfo[]> {
  const list = await kubectlJson<{ items: any[] }>('get', 'pods', '-l', 'app=web');
  return list.items
    .filter((p) => !p.metadata.deletionTimestamp && p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))
    .map((p) => ({ name: p.metadata.name, ip: p.status.podIP, node: p.spec.nodeName }));
}

async function service(): Promise<{ clusterIP: string; nodePort: number }> {
  const svc = await kubectlJson('get', 'service', 'web');
  return { clusterIP: svc.spec.clusterIP, nodePort: svc.spec.ports[0].nodePort };
}

/** A GET from inside pod `from` with busybox nc (its wget crashes on a static libc lookup). */
async function fetchFromPod(from: string, host: string, port: number): Promise<string> {
  const script = `printf 'GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n' | nc -w 5 ${host} ${port}`;
  return (await kubectl('exec', from, '--', 'sh', '-c', script)).stdout;
}

describe.skipIf(!canRun)('a 3-node cluster from ./hack/up.sh --nodes 3 (netns nodes, real runc, kubectl)', () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-multinode-`));
    cache = join(home, 'kubectl-cache');
    const [port, etcdClient, etcdPeer, logPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    upArgs = [
      '--nodes', '3', '--port', String(port), '--node-name', first, '--log-server-port', String(logPort),
      '--etcd-client-port', String(etcdClient), '--etcd-peer-port', String(etcdPeer),
      '--node-network', nodeNet, '--node-bridge', hostBridge, '--cluster-cidr', clusterCidr,
      '--runtime-args', `--bridge ${podBridge} --cgroup-root ${cgroups[0]}`,
      // Agents renew their Lease every 10 s: 20 s of silence is a dead agent, even on a loaded machine.
      '--server-args', `--node-monitor-grace-period 20 --service-cidr ${serviceCidr}`,
      '--agent-args', `--proxy-chain-prefix ${chainPrefix} --cluster-dns-address ${dnsAddress}`,
    ];
    const up = await hackScript('up.sh', upArgs).catch((err: Error) => {
      // afterAll removes the home: say here what the processes logged, or a failure is a guess.
      throw new Error(`${err.message}\n${logTails(join(home, 'logs'))}`);
    });
    for (const n of names) expect(up.stderr + up.stdout).toContain(`node ${n} is Ready`);
  }, 360_000);

  afterAll(async () => {
    if (!home) return;
    const plan = existsSync(join(home, 'node-network.json')) ? readFileSync(join(home, 'node-network.json'), 'utf8') : '';
    await hackScript('down.sh', ['--purge'], 180_000).catch(() => {});
    // What is still here is a leak of the product, not of the test: fail loudly, then clean.
    const state = execFileSync('sh', ['-c', 'ip netns list; ip -o link show; iptables-save; true']).toString();
    const routes = execFileSync('sh', ['-c', 'ip route show proto 214; true']).toString();
    const leftCgroups: string[] = [];
    for (const cg of cgroups) if (await cgroupExists(cg)) leftCgroups.push(cg);
    // Clean what leaked so the machine stays usable, then report it.
    for (const n of names.slice(1)) spawnQuiet(['ip', 'netns', 'del', `skiff-${n}`]);
    for (const l of [hostBridge, podBridge]) spawnQuiet(['ip', 'link', 'del', l]);
    for (const cg of leftCgroups) await removeCgroup(cg).catch(() => {});
    rmSync(home, { recursive: true, force: true });
    expect(plan).toContain(hostBridge);
    expect(existsSync(home)).toBe(false);
    for (const n of names.slice(1)) expect(state).not.toContain(`skiff-${n}`);
    expect(state).not.toContain(hostBridge);
    expect(state).not.toContain(podBridge);
    expect(state).not.toContain(`${chainPrefix}-`);
    expect(routes).not.toContain(`${clusterCidr.split('.').slice(0, 2).join('.')}.`);
    expect(leftCgroups).toEqual([]);
  }, 240_000);

  it('has 3 Ready nodes, each with its own address and pod range', async () => {
    const nodes = await kubectlJson<{ items: any[] }>('get', 'nodes');
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual([...names].sort());
    for (const n of nodes.items) expect(n.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    const cidrs = nodes.items.map((n) => n.spec.podCIDR);
    expect(new Set(cidrs).size).toBe(3);
    const ips = nodes.items.map((n) => n.status.addresses.find((a: any) => a.type === 'InternalIP').address);
    expect(new Set(ips).size).toBe(3);
    for (const ip of ips) expect(ip.startsWith(nodeNet.split('.').slice(0, 3).join('.'))).toBe(true);
  });

  it('spreads a 6-replica Deployment over the 3 nodes', async () => {
    // The other nodes' runtimes got the demo images from up.sh too.
    writeFileSync(join(home, 'web.yaml'), manifest('demo/web:v1'));
    await kubectl('apply', '-f', join(home, 'web.yaml'));
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=150s');
    const pods = await readyPods();
    expect(pods).toHaveLength(6);
    expect(new Set(pods.map((p) => p.node))).toEqual(new Set(names));
    const byNode = new Map(names.map((n) => [n, pods.filter((p) => p.node === n).length]));
    for (const count of byNode.values()) expect(count).toBe(2);
  }, 180_000);

  it('a pod on one node reaches a pod on another by pod IP, ClusterIP and DNS name', async () => {
    const pods = await readyPods();
    const from = pods.find((p) => p.node === names[2])!;
    const to = pods.find((p) => p.node === names[1])!;
    expect(await fetchFromPod(from.name, to.ip, 8080)).toContain(`host=${to.name}`);
    const { clusterIP } = await service();
    for (const target of [clusterIP, 'web', 'web.default', 'web.default.svc.cluster.local']) {
      expect(await fetchFromPod(from.name, target, 80)).toMatch(/version=v1 host=web-/);
    }
  }, 120_000);

  it('answers on the NodePort of every node, from the host', async () => {
    const { nodePort } = await service();
    const nodes = await kubectlJson<{ items: any[] }>('get', 'nodes');
    for (const n of nodes.items) {
      const ip = n.status.addresses.find((a: any) => a.type === 'InternalIP').address;
      const res = await getOnce(`http://${ip}:${nodePort}/`);
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/version=v1 host=web-/);
    }
  }, 60_000);

  it('sends ClusterIP traffic to every replica, and none to a pod that turned unready', async () => {
    const { clusterIP } = await service();
    const pods = await readyPods();
    const seen = new Set<string>();
    for (let i = 0; i < 400 && seen.size < pods.length; i++) seen.add(hostOf((await getOnce(`http://${clusterIP}/`)).body) ?? '');
    expect([...seen].sort()).toEqual(pods.map((p) => p.name).sort());

    const victim = pods[0]!;
    await kubectl('exec', victim.name, '--', 'rm', '/www/healthz');
    await waitFor('the unready pod to leave the endpoints', async () => {
      const eps = await kubectlJson('get', 'endpoints', 'web');
      const ready: string[] = (eps.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.ip));
      return ready.length === 5 && !ready.includes(victim.ip);
    }, 60_000, 250);
    // Every node's proxy follows the Endpoints; give them a moment, then no request may reach it.
    await waitFor('the proxies to stop sending to the unready pod', async () => {
      for (let i = 0; i < 30; i++) if (hostOf((await getOnce(`http://${clusterIP}/`)).body) === victim.name) return false;
      return true;
    }, 30_000, 250);
    const hits: string[] = [];
    for (let i = 0; i < 60; i++) hits.push(hostOf((await getOnce(`http://${clusterIP}/`)).body) ?? '');
    expect(hits).not.toContain(victim.name);
    expect(new Set(hits).size).toBeGreaterThan(1);
    await kubectl('exec', victim.name, '--', 'sh', '-c', 'echo ok > /www/healthz');
    await waitFor('the pod to be ready again', async () => (await readyPods()).length === 6, 60_000, 250);
  }, 180_000);

  it('rolls a new version out with zero failed requests through the ClusterIP', async () => {
    const { clusterIP } = await service();
    let ok = 0;
    const failures: string[] = [];
    const versions = new Set<string>();
    let stop = false;
    const started = Date.now();
    const client = (async () => {
      while (!stop) {
        try {
          const res = await getOnce(`http://${clusterIP}/`);
          if (res.status === 200) {
            ok++;
            versions.add(/version=(v\d)/.exec(res.body)?.[1] ?? '?');
          } else failures.push(`HTTP ${res.status}`);
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    })();
    try {
      await kubectl('set', 'image', 'deployment/web', 'web=demo/web:v2');
      await kubectl('rollout', 'status', 'deployment/web', '--timeout=180s');
      // The old pods' preStop keeps them serving a moment longer; keep asking until they are gone.
      await waitFor('the old pods to be gone', async () => {
        const list = await kubectlJson<{ items: any[] }>('get', 'pods', '-l', 'app=web');
        return list.items.length === 6 && list.items.every((p) => p.spec.containers[0].image === 'demo/web:v2');
      }, 90_000, 500);
    } finally {
      stop = true;
      await client;
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`rolling update through the ClusterIP: ${ok} requests answered, ${failures.length} failed, in ${seconds.toFixed(1)} s (${(ok / seconds).toFixed(1)}/s)`);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    expect(versions).toEqual(new Set(['v1', 'v2']));
  }, 300_000);

  it('moves a killed agent’s pods to the other nodes, keeps the Service answering, and the agent rejoins', async () => {
    const dead = names[2]!;
    const pid = Number(readFileSync(join(home, `${dead}.agent.pid`), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await waitFor(`node ${dead} to be NotReady`, async () => {
      const node = await kubectlJson('get', 'node', dead);
      return node.status.conditions.find((c: any) => c.type === 'Ready').status !== 'True';
    }, 90_000, 500);
    await waitFor('6 ready pods on the other nodes', async () => {
      const pods = await readyPods();
      return pods.filter((p) => p.node !== dead).length === 6;
    }, 120_000, 500);
    const { clusterIP } = await service();
    let live = new Set<string>();
    // The dead node's pods are out of the Endpoints: every answer comes from a live one.
    const strays: string[] = [];
    await waitFor('the Service to answer from live pods only', async () => {
      live = new Set((await readyPods()).filter((p) => p.node !== dead).map((p) => p.name));
      for (let i = 0; i < 20; i++) {
        const answer = await getOnce(`http://${clusterIP}/`).then((r) => hostOf(r.body) ?? `HTTP ${r.status}`, (err: Error) => err.message);
        if (!live.has(answer)) {
          strays.push(answer);
          return false;
        }
      }
      return true;
    }, 60_000, 500).catch((err: Error) => {
      throw new Error(`${err.message}; live ${[...live].join(' ')}; last answers not from them: ${strays.slice(-5).join(', ')}`);
    });

    // up.sh again starts what is missing: the agent rejoins with the credentials it kept.
    const again = await hackScript('up.sh', upArgs);
    expect(again.stdout + again.stderr).toContain(`starting the node agent for node ${dead}`);
    const node = await kubectlJson('get', 'node', dead);
    expect(node.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
    // Back, it finishes the deletion of the pods evicted from it.
    await waitFor(`the evicted pods on ${dead} to be gone`, async () => {
      const list = await kubectlJson<{ items: any[] }>('get', 'pods', '-l', 'app=web');
      return list.items.every((p) => p.spec.nodeName !== dead || !p.metadata.deletionTimestamp);
    }, 90_000, 500);
  }, 360_000);
});

function spawnQuiet(argv: string[]): void {
  try {
    execFileSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  } catch {
    // already gone
  }
}
