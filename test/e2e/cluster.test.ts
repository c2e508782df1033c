// The whole product on this machine: `skiff up` (control plane, runc runtime, node agent), the
// demo images, and the real kubectl applying, rolling out, reaching, exec-ing into and rolling
// back a Deployment of real containers; then `skiff down --purge` leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinary } from '../helpers/kubectl.js';
import { cgroupExists, removeCgroup } from '../../runtime/containers/cgroup-remove.js';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { freePort } from '../integration/harness.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/skiff/main.js');
const KUBECTL = kubectlBinary('1.33') ?? '/nonexistent/kubectl.1.33';
const canRun =
  process.getuid?.() === 0 && existsSync(MAIN) && existsSync(KUBECTL) && existsSync('/usr/sbin/runc') && existsSync('/bin/busybox');

const id = randomBytes(3).toString('hex');
let home = '';
let kubeconfig = '';
let cache = '';
let upArgs: string[] = [];

async function skiff(args: string[], timeout = 180_000) {
  return run(process.execPath, [MAIN, ...args], { timeout, env: { ...process.env, SKIFF_HOME: home } });
}

async function kubectl(...args: string[]) {
  return run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cache, ...args], { timeout: 120_000 });
}

const manifest = (image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: ${image}
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

async function servingPods(): Promise<{ name: string; ip: string }[]> {
  const out = await kubectl('get', 'pods', '-l', 'app=web', '-o', 'json');
  const pods = JSON.parse(out.stdout).items as any[];
  return pods
    .filter((p) => !p.metadata.deletionTimestamp && p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))
    .map((p) => ({ name: p.metadata.name, ip: p.status.podIP }));
}

async function get(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return res.text();
}

describe.skipIf(!canRun)('a cluster on this machine with real containers (skiff up, kubectl, skiff down)', () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-cluster-`));
    cache = join(home, 'kubectl-cache');
    kubeconfig = join(home, 'kubeconfig');
    execFileSync('sh', [join(ROOT, 'hack/images/build.sh'), join(home, 'images')], { stdio: 'ignore' });
    await skiff(['images', 'import', '--home', home, ...['tools-v1', 'web-v1', 'web-v2'].map((i) => join(home, 'images', `demo-${i}.tar`))]);
    const [port, etcdClient, etcdPeer, logPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    // A pod range, bridge, cgroup, chain prefix and DNS address of its own, apart from other clusters on the host.
    const podCidr = `10.${150 + (process.pid % 50)}.${randomBytes(1)[0]}.0/24`;
    const runtimeArgs = `--bridge skc${id} --cgroup-root /skiff-it-${id}`;
    const agentArgs = `--proxy-chain-prefix C${id.toUpperCase()} --cluster-dns-address 169.254.${1 + randomBytes(1)[0]! % 250}.${1 + randomBytes(1)[0]! % 250}`;
    upArgs = [
      'up', '--home', home, '--port', String(port), '--node-name', `node-${id}`, '--log-server-port', String(logPort),
      '--etcd-client-port', String(etcdClient), '--etcd-peer-port', String(etcdPeer), '--runtime-args', runtimeArgs,
      '--cluster-cidr', podCidr, '--agent-args', agentArgs,
    ];
    const up = await skiff(upArgs);
    expect(up.stdout).toContain(`node node-${id} is Ready`);
  }, 240_000);

  afterAll(async () => {
    if (!home) return;
    const runcRoot = join(home, 'runtime', 'runc');
    await skiff(['down', '--home', home, '--purge'], 120_000).catch(() => {});
    // Anything still here is a leak of the product, not of the test: fail loudly, then clean.
    const leftovers = execFileSync('sh', ['-c', `ip netns list; runc --root ${runcRoot} list -q 2>/dev/null; ip link show skc${id} 2>/dev/null; true`]).toString();
    const cgroupLeft = await cgroupExists(`/skiff-it-${id}`);
    rmSync(home, { recursive: true, force: true });
    if (cgroupLeft) await removeCgroup(`/skiff-it-${id}`).catch(() => {});
    expect(existsSync(home)).toBe(false);
    expect(leftovers).not.toContain(`skc${id}`);
    expect(cgroupLeft).toBe(false);
  }, 180_000);

  it('applies a Deployment and a Service; the pods serve on their IPs and the Endpoints list them', async () => {
    writeFileSync(join(home, 'web.yaml'), manifest('demo/web:v1'));
    await kubectl('apply', '-f', join(home, 'web.yaml'));
    const status = await kubectl('rollout', 'status', 'deployment/web', '--timeout=90s');
    expect(status.stdout).toContain('successfully rolled out');
    const pods = await servingPods();
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(await get(`http://${p.ip}:8080/`)).toContain(`host=${p.name}`);
    const eps = JSON.parse((await kubectl('get', 'endpoints', 'web', '-o', 'json')).stdout);
    expect(eps.subsets[0].addresses.map((a: any) => a.ip).sort()).toEqual(pods.map((p) => p.ip).sort());
  }, 150_000);

  it('kubectl exec runs in the container and carries the exit code back', async () => {
    const [pod] = await servingPods();
    const ok = await kubectl('exec', pod!.name, '--', 'sh', '-c', 'echo inside $(hostname)');
    expect(ok.stdout.trim()).toBe(`inside ${pod!.name}`);
    const failed = await kubectl('exec', pod!.name, '--', 'sh', '-c', 'exit 4').catch((e) => e);
    expect(failed.code).toBe(4);
    expect(failed.stderr).toContain('command terminated with exit code 4');
  }, 60_000);

  it('kubectl port-forward reaches the pod port through the API server and the node', async () => {
    const [pod] = await servingPods();
    const child = execFile(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cache, 'port-forward', '--address', '127.0.0.1', `pod/${pod!.name}`, ':8080']);
    try {
      // kubectl prints `Forwarding from 127.0.0.1:<port> -> 8080` once it listens.
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const m = out.match(/Forwarding from 127\.0\.0\.1:(\d+) -> 8080/);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`kubectl port-forward exited ${code}: ${out}`)));
      });
      expect(await get(`http://127.0.0.1:${port}/`)).toContain(`host=${pod!.name}`);
      expect(await get(`http://127.0.0.1:${port}/healthz`)).toContain('ok');
    } finally {
      child.kill();
    }
  }, 60_000);

  it('skiff exec does the same, with stdin passed through -i', async () => {
    const [pod] = await servingPods();
    const ok = await skiff(['exec', pod!.name, '--', 'sh', '-c', 'echo inside $(hostname)']);
    expect(ok.stdout.trim()).toBe(`inside ${pod!.name}`);
    const failed = await skiff(['exec', `deploy/web`, '--', 'sh', '-c', 'echo oops >&2; exit 3']).catch((e) => e);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('oops\ncommand terminated with exit code 3');
    const child = execFile(process.execPath, [MAIN, 'exec', '-i', pod!.name, '--', 'wc', '-l'], { env: { ...process.env, SKIFF_HOME: home } });
    const counted = new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`skiff exec -i exited ${code}`))));
    });
    child.stdin!.end('one\ntwo\nthree\n');
    expect((await counted).trim()).toBe('3');
  }, 180_000);

  it('rolls out a new image and back again', async () => {
    writeFileSync(join(home, 'web.yaml'), manifest('demo/web:v2'));
    await kubectl('apply', '-f', join(home, 'web.yaml'));
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=120s');
    const v2 = await servingPods();
    expect(await get(`http://${v2[0]!.ip}:8080/`)).toContain('version=v2');
    await kubectl('rollout', 'undo', 'deployment/web');
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=120s');
    const history = await kubectl('rollout', 'history', 'deployment/web');
    expect(history.stdout).toMatch(/^2\s/m);
    expect(history.stdout).toMatch(/^3\s/m);
    const back = await servingPods();
    expect(await get(`http://${back[0]!.ip}:8080/`)).toContain('version=v1');
  }, 300_000);

  it('the quick start through the skiff CLI: the demo manifest applied, served, scaled, rolled out and back, deleted', async () => {
    const sk = (...args: string[]) => skiff(['-n', 'quick', ...args]);
    expect((await skiff(['create', 'namespace', 'quick'])).stdout).toBe('namespace/quick created\n');
    const applied = await sk('apply', '-f', join(ROOT, 'manifests/demo.yaml'));
    expect(applied.stdout).toBe('configmap/web-content created\ndeployment.apps/web created\nservice/web created\n');
    expect((await sk('rollout', 'status', 'deploy/web', '--timeout=120s')).stdout).toContain('deployment "web" successfully rolled out');
    const wide = (await sk('get', 'pods', '-o', 'wide')).stdout.split('\n');
    expect(wide[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    expect(wide.filter((l) => /^web-\S+\s+1\/1\s+Running\s/.test(l))).toHaveLength(2);
    const ips = (await sk('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}')).stdout.split(' ');
    expect(await get(`http://${ips[0]}:8080/app/hello.txt`)).toBe('Hello from a ConfigMap\n');
    expect((await sk('get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[0].addresses[*].ip}')).stdout.split(' ').sort()).toEqual([...ips].sort());
    expect((await sk('describe', 'deployment', 'web')).stdout).toMatch(/ScalingReplicaSet\s+.*Scaled up replica set web-\w+ (to|from 0 to) 2/);
    expect((await sk('logs', 'deploy/web')).stdout).toContain('demo/web v1 listening on :8080');
    expect((await sk('scale', 'deploy/web', '--replicas=3')).stdout).toBe('deployment.apps/web scaled\n');
    expect((await sk('set', 'image', 'deploy/web', 'web=demo/web:v2')).stdout).toBe('deployment.apps/web image updated\n');
    expect((await sk('rollout', 'status', 'deploy/web', '--timeout=120s')).stdout).toContain('successfully rolled out');
    const v2 = (await sk('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].image}')).stdout;
    expect(v2.split(' ').filter((i) => i === 'demo/web:v2').length).toBeGreaterThanOrEqual(3);
    expect((await sk('rollout', 'history', 'deploy/web')).stdout).toMatch(/^REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/m);
    expect((await sk('rollout', 'undo', 'deploy/web')).stdout).toBe('deployment.apps/web rolled back\n');
    await sk('rollout', 'status', 'deploy/web', '--timeout=120s');
    expect((await sk('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.replicas}')).stdout).toBe('demo/web:v1 3');
    const deleted = await sk('delete', '-f', join(ROOT, 'manifests/demo.yaml'));
    expect(deleted.stdout).toBe('configmap "web-content" deleted\ndeployment.apps "web" deleted\nservice "web" deleted\n');
    expect((await skiff(['delete', 'namespace', 'quick'])).stdout).toBe('namespace "quick" deleted\n');
  }, 480_000);

  it('skiff down keeps the data: a second skiff up finds the Deployment as it was, serving again', async () => {
    const before = JSON.parse((await kubectl('get', 'deployment', 'web', '-o', 'json')).stdout);
    const down = await skiff(['down', '--home', home]);
    expect(down.stdout).toMatch(/removing \d+ pod sandbox\(es\)/);
    expect(readFileSync(join(home, 'runtime.bridge'), 'utf8')).toContain(`skc${id}`);
    await skiff(upArgs);
    const after = JSON.parse((await kubectl('get', 'deployment', 'web', '-o', 'json')).stdout);
    expect(after.metadata.uid).toBe(before.metadata.uid);
    // The pods' sandboxes went with `down`; the agent makes new ones and reports their new IPs.
    const deadline = Date.now() + 90_000;
    let body = '';
    while (!body.includes('version=v1') && Date.now() < deadline) {
      const pods = await servingPods();
      body = pods[0] ? await get(`http://${pods[0].ip}:8080/`).catch(() => '') : '';
      if (!body) await new Promise((r) => setTimeout(r, 500));
    }
    expect(body).toContain('version=v1');
  }, 240_000);
});
