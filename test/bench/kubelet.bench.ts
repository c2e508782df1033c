// Benchmark: the node agent (ISSUE-7), in two parts.
//
// runc: pod startup latency on one real node. `skiff up` (etcd, API server, scheduler,
//   controllers, the runc runtime and one agent, each its own process, from dist/) on a unique
//   bridge and cgroup root with the demo images imported. Pods (demo/tools:v1, `sleep`) are created
//   through the API and go through the scheduler; latency is create (POST sent) to phase Running
//   and to condition Ready, as a watch in this process sees them. Three shapes: one pod at a time
//   (no queueing), a burst of 50 created at once, and 50 created at a steady rate
//   (BENCH_PACED_RATES pods/s, default 1,2,4; ClusterLoader2 paces its creates the same way).
//   Baseline, same run, same runtime process: the runtime's own RunPodSandbox + CreateContainer +
//   StartContainer over its gRPC socket, one at a time and 50 at once (ratio = agent path ÷
//   runtime alone); for 50 at once also bare `runc run --detach` of 50 copies of the same
//   container, the floor with no Skiff code at all (its rows' ratio is against the 1 s goal).
//
// hollow: `skiff agent --hollow N` (one process, the fake runtime) against `skiff server` (etcd,
//   API server, scheduler, controllers). A ladder of N with 30 pods per node (created bound, so the
//   scheduler is not what is measured): heartbeats are on time when no node's Lease renewals are
//   further apart than 1.5 × the 10 s renew interval during the observation window, as a Lease
//   watch in this process sees them. Then the time from starting the hollow process until 5,000
//   (BENCH_HOLLOW_READY) Nodes are Ready, the CPU seconds each process (server, its etcd, hollow)
//   used until then, and their lease renewal gaps and CPU shares over the window after (no pods).
//
// BENCH_PART=runc|hollow|hollow-ready|hollow-ladder|all (default all), or merge (the parts' files → kubelet); BENCH_HOLLOW_LADDER=50,100,...; BENCH_HOLLOW_READY=N;
// BENCH_HOLLOW_WINDOW_S (default 60); BENCH_HOLLOW_READY_DEADLINE_S (default 600);
// BENCH_CPU_PROFILE_DIR writes --cpu-prof profiles of the hollow and server processes.
// Needs `npm run build` first (runs dist/skiff/main.js like e2e does; SKIFF_MAIN picks another).
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Lease } from '../../api/types/misc.js';
import type { Pod } from '../../api/types/pod.js';
import { Informer } from '../../client/informer.js';
import { restListerWatcher } from '../../client/lister-watcher.js';
import { RestClient } from '../../client/rest.js';
import type { ContainerConfig, PodSandboxConfig, RuntimeService } from '../../runtime/api.js';
import { removeCgroup } from '../../runtime/containers/cgroup-remove.js';
import { cniAdd, cniDel, DEFAULT_CNI_BIN_DIR, type CniTarget } from '../../runtime/sandbox/cni.js';
import { podNetwork, type CniNetwork } from '../../runtime/sandbox/cni-config.js';
import { createNetns, deleteNetns, loopbackUp, netnsPath } from '../../runtime/sandbox/namespaces.js';
import { connectRuntime } from '../../runtime/service/client.js';
import { freePort } from '../integration/harness.js';
import { childNamed, CpuMeter } from './lib/cpu.js';
import { runBounded, withTimeout } from './lib/pool.js';
import { figure, meta, writeResults, type Figure } from './lib/results.js';
import { percentile } from './lib/stats.js';

const ROOT = resolve(import.meta.dirname, '../..');
// SKIFF_MAIN runs another build (e.g. of a clean checkout while the tree is mid-edit).
const MAIN = process.env.SKIFF_MAIN ?? join(ROOT, 'dist/skiff/main.js');
const PART = process.env.BENCH_PART ?? 'all';
const BURST = 50;
/** Creation rates (pods/s) of the paced runs; BENCH_PACED_RATES=1,2,4 to change. */
const PACED_RATES = (process.env.BENCH_PACED_RATES ?? '1,2,4').split(',').map(Number).filter((r) => r > 0);
const LADDER = (process.env.BENCH_HOLLOW_LADDER ?? '50,100,200,400').split(',').map(Number);
const READY_NODES = Number(process.env.BENCH_HOLLOW_READY ?? 5000);
const READY_DEADLINE_MS = Number(process.env.BENCH_HOLLOW_READY_DEADLINE_S ?? 600) * 1000;
const WINDOW_MS = Number(process.env.BENCH_HOLLOW_WINDOW_S ?? 60) * 1000;
const PODS_PER_NODE = 30;
const RENEW_MS = 10_000;
const ON_TIME_GAP_MS = 1.5 * RENEW_MS;
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;
const PODS = mustResource('pods');
const NAMESPACES = mustResource('namespaces');
const LEASES = mustResource('leases');
const NODES = mustResource('nodes');
const run = promisify(execFile);
const id = `${process.pid % 10000}${randomBytes(2).toString('hex')}`;
const t0 = performance.now();
const log = (m: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${m}`);
/** load is the 1-minute load average: this 2-core machine is shared, and the figures move with it. */
const load = () => loadavg()[0]!.toFixed(1);
const figures: Record<string, Figure> = {};
const notes: string[] = [];

type PodObj = Pod & KubeObject;

function skiff(home: string, args: string[], timeout = 240_000) {
  return run(process.execPath, [MAIN, ...args], { timeout, env: { ...process.env, SKIFF_HOME: home }, maxBuffer: 1 << 24 });
}

const isReady = (p: PodObj) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

// ---------------------------------------------------------------------------------------------
// runc part

function sleeperPod(name: string): PodObj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { bench: 'kubelet' } },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'demo/tools:v1', command: ['sleep', '3600'] }] },
  } as PodObj;
}

/** PodTimes follows pods through a watch: when each was created, seen bound, seen Running, seen Ready. */
class PodTimes {
  readonly created = new Map<string, number>();
  readonly bound = new Map<string, number>();
  readonly running = new Map<string, number>();
  readonly ready = new Map<string, number>();
  private waiters: (() => void)[] = [];

  constructor(readonly informer: Informer<PodObj>) {
    const seen = (p: PodObj) => {
      const name = p.metadata.name ?? '';
      if (!this.created.has(name)) return;
      const now = performance.now();
      if (p.spec?.nodeName && !this.bound.has(name)) this.bound.set(name, now);
      if (p.status?.phase === 'Running' && !this.running.has(name)) this.running.set(name, now);
      if (isReady(p) && !this.ready.has(name)) this.ready.set(name, now);
      for (const w of this.waiters.splice(0)) w();
    };
    informer.addEventHandler({ onAdd: seen, onUpdate: (_o, p) => seen(p) });
  }

  async until(cond: () => boolean, ms: number, what: string): Promise<void> {
    const deadline = performance.now() + ms;
    while (!cond()) {
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 1000);
      });
    }
  }

  latencies(names: string[]): Latencies {
    const lat = (m: Map<string, number>, from = this.created) => names.filter((n) => m.has(n) && from.has(n)).map((n) => m.get(n)! - from.get(n)!);
    return { running: lat(this.running), ready: lat(this.ready), bound: lat(this.bound), boundToRunning: lat(this.running, this.bound) };
  }
}

/** Latencies in ms: create→Running, create→Ready, create→bound (the scheduler), bound→Running (the agent and runtime). */
interface Latencies {
  running: number[];
  ready: number[];
  bound: number[];
  boundToRunning: number[];
}

/** retried runs a create up to 10 times: an overloaded API server times connections out; AlreadyExists is success. */
async function retried(op: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await op();
      return;
    } catch (err) {
      if (isStatusError(err, 'AlreadyExists')) return;
      if (attempt === 10) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

async function createPod(client: RestClient, times: PodTimes, ns: string, name: string): Promise<void> {
  times.created.set(name, performance.now());
  await retried(() => client.create(PODS, ns, sleeperPod(name)));
}

async function agentSequential(client: RestClient, times: PodTimes, ns: string, n: number): Promise<Latencies> {
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `seq-${i}`;
    names.push(name);
    await createPod(client, times, ns, name);
    await times.until(() => times.ready.has(name), 60_000, `pod ${name} Ready`);
  }
  return times.latencies(names);
}

async function agentBurst(client: RestClient, times: PodTimes, ns: string, n: number): Promise<Latencies> {
  const names = Array.from({ length: n }, (_, i) => `burst-${i}`);
  const r = await runBounded({ total: n, concurrency: n, deadlineMs: 60_000 }, (i) => createPod(client, times, ns, names[i]!));
  if (r.errors) throw new Error(`creating burst pods: ${String(r.firstError)}`);
  await times.until(() => names.every((x) => times.ready.has(x)), 180_000, `${n} burst pods Ready`);
  return times.latencies(names);
}

/**
 * agentPaced creates n pods at a steady rate (pods per second), as ClusterLoader2's density tests
 * pace their creates, and does not wait for one to run before creating the next.
 */
async function agentPaced(client: RestClient, times: PodTimes, ns: string, n: number, perSecond: number): Promise<Latencies> {
  const names = Array.from({ length: n }, (_, i) => `paced-${perSecond}-${i}`);
  const start = performance.now();
  const creates: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const wait = start + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    creates.push(createPod(client, times, ns, names[i]!));
  }
  await Promise.all(creates);
  await times.until(() => names.every((x) => times.ready.has(x)), 180_000, `${n} pods at ${perSecond}/s Ready`);
  return times.latencies(names);
}

function directSandbox(home: string, name: string): PodSandboxConfig {
  return { metadata: { name, namespace: 'bench-direct', uid: `direct-${id}-${name}`, attempt: 0 }, hostname: name, logDirectory: join(home, 'direct-logs', name), portMappings: [], labels: {}, annotations: {} };
}

function directContainer(): ContainerConfig {
  return { metadata: { name: 'c', attempt: 0 }, image: { image: 'demo/tools:v1' }, command: ['sleep', '3600'], args: [], envs: [], mounts: [], labels: {}, annotations: {}, logPath: 'c.log' };
}

/** directPod is the baseline: the runtime alone starting the same pod (sandbox, create, start). */
async function directPod(rt: RuntimeService, home: string, name: string, steps?: DirectSteps): Promise<number> {
  const cfg = directSandbox(home, name);
  const t = performance.now();
  const sid = await rt.runPodSandbox(cfg);
  const t1 = performance.now();
  const cid = await rt.createContainer(sid, directContainer(), cfg);
  const t2 = performance.now();
  await rt.startContainer(cid);
  const t3 = performance.now();
  steps?.sandbox.push(t1 - t);
  steps?.create.push(t2 - t1);
  steps?.start.push(t3 - t2);
  return t3 - t;
}

/**
 * bareRuncBurst is the floor under "50 at once": n copies of a container the runtime made (its
 * OCI bundle, each with its own overlay upper, cgroup and new network/IPC/UTS namespaces instead
 * of a sandbox's) started together with `runc run --detach`, nothing of Skiff around them.
 * With `network`, each copy first gets what a pod's network costs at least: `ip netns add`, lo
 * up and the CNI bridge + host-local ADD (on a bridge of its own), and runc joins that namespace.
 * Returns each one's time from the common start until its runc returned.
 */
async function bareRuncBurst(bundleConfig: string, dir: string, cgroupParent: string, n: number, network?: CniNetwork): Promise<number[]> {
  const runcRoot = join(dir, 'runc');
  mkdirSync(runcRoot, { recursive: true });
  type Spec = { root: { path: string }; mounts: Array<{ destination: string; options?: string[] }>; linux: { cgroupsPath: string; namespaces: Array<{ type: string; path?: string }> } };
  const base = JSON.parse(bundleConfig) as Spec;
  // The sandbox's files go, and its namespaces are new ones rather than the (removed) sandbox's.
  base.mounts = base.mounts.filter((m) => !['/etc/hosts', '/etc/resolv.conf', '/etc/hostname'].includes(m.destination));
  base.linux.namespaces = base.linux.namespaces.map((ns) => ({ type: ns.type }));
  const names: string[] = [];
  // Namespace ids of this run: unique, so they never meet another run's leftovers.
  const nsIds = Array.from({ length: n }, () => `bare${randomBytes(6).toString('hex')}`);
  for (let i = 0; i < n; i++) {
    const b = join(dir, `b${i}`);
    for (const d of ['rootfs', 'upper', 'work']) mkdirSync(join(b, d), { recursive: true });
    const spec = structuredClone(base);
    const own: Record<string, string> = { upperdir: join(b, 'upper'), workdir: join(b, 'work') };
    // mounts[0] is the container's overlay rootfs (runtime/containers/spec.ts).
    spec.mounts[0]!.options = spec.mounts[0]!.options?.map((o) => {
      const key = o.split('=')[0]!;
      return own[key] ? `${key}=${own[key]}` : o;
    });
    spec.root.path = join(b, 'rootfs');
    spec.linux.cgroupsPath = `${cgroupParent}/c${i}`;
    // With a network, runc joins the namespace made (in the measured part) under this name.
    if (network) spec.linux.namespaces = spec.linux.namespaces.map((ns) => (ns.type === 'network' ? { type: 'network', path: netnsPath(nsIds[i]!) } : ns));
    writeFileSync(join(b, 'config.json'), JSON.stringify(spec));
    names.push(`bare${i}`);
  }
  const target = (i: number): CniTarget => ({ containerId: nsIds[i]!, netns: netnsPath(nsIds[i]!), ifName: 'eth0' });
  const t0 = performance.now();
  try {
    return await Promise.all(names.map(async (name, i) => {
      const b = join(dir, `b${i}`);
      if (network) {
        await createNetns(nsIds[i]!);
        await Promise.all([loopbackUp(nsIds[i]!), cniAdd(DEFAULT_CNI_BIN_DIR, network, target(i))]);
      }
      await runcDetached(['--root', runcRoot, 'run', '--detach', '--bundle', b, name]);
      return performance.now() - t0;
    }));
  } finally {
    await Promise.all(names.map((name) => run('runc', ['--root', runcRoot, 'delete', '--force', name]).catch(() => undefined)));
    await removeCgroup(cgroupParent).catch(() => undefined);
    if (network) {
      await Promise.all(names.map(async (_, i) => {
        await cniDel(DEFAULT_CNI_BIN_DIR, network, target(i)).catch(() => undefined);
        await deleteNetns(nsIds[i]!).catch(() => undefined);
      }));
      const bridge = network.plugins[0]?.bridge;
      if (typeof bridge === 'string') await run('ip', ['link', 'delete', bridge]).catch(() => undefined);
    }
  }
}

/** runcDetached runs runc with no pipes: a detached container inherits runc's stdio and would hold them open. */
function runcDetached(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('runc', args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`runc ${args.join(' ')}: exit ${code}`))));
  });
}

/** DirectSteps: where the runtime's own pod start goes (ms per RPC). */
interface DirectSteps {
  sandbox: number[];
  create: number[];
  start: number[];
}

/** removeDirect kills the baseline's containers at once (sleep as PID 1 ignores SIGTERM), then removes the sandboxes. */
async function removeDirect(rt: RuntimeService): Promise<void> {
  const sandboxes = (await rt.listPodSandbox()).filter((s) => s.metadata.namespace === 'bench-direct');
  const ids = new Set(sandboxes.map((s) => s.id));
  const containers = (await rt.listContainers()).filter((c) => ids.has(c.podSandboxId));
  await Promise.all(containers.map((c) => rt.stopContainer(c.id, 0)));
  await Promise.all(sandboxes.map((s) => rt.removePodSandbox(s.id)));
}

async function drainNamespace(client: RestClient, rt: RuntimeService, ns: string): Promise<void> {
  await client.delete(NAMESPACES, undefined, ns).catch(() => undefined);
  const deadline = performance.now() + 600_000;
  while ((await rt.listPodSandbox()).some((s) => s.metadata.namespace === ns)) {
    if (performance.now() > deadline) {
      notes.push(`pods of ${ns} were still in the runtime 600 s after their namespace was deleted.`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function addLatency(prefix: string, agent: number[], direct: number[], directName: string): void {
  for (const p of [50, 99]) figures[`${prefix} p${p}`] = figure(percentile(agent, p), 'ms', percentile(direct, p), `${directName} p${p}`);
}

async function runcPart(): Promise<void> {
  if (process.getuid?.() !== 0 || !existsSync('/usr/sbin/runc') || !existsSync('/bin/busybox')) {
    notes.push('runc part skipped: needs root, runc and busybox.');
    return;
  }
  const home = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'bench'}-kubelet-bench-`));
  const node = `bench-${id}`;
  const bridge = `skk${id}`.slice(0, 15);
  const cgroupRoot = `/skiff-bench-${id}`;
  let client: RestClient | undefined;
  let rt: ReturnType<typeof connectRuntime> | undefined;
  let informer: Informer<PodObj> | undefined;
  try {
    execFileSync('sh', [join(ROOT, 'hack/images/build.sh'), join(home, 'images')], { stdio: 'ignore' });
    await skiff(home, ['images', 'import', '--home', home, join(home, 'images', 'demo-tools-v1.tar')]);
    const [port, etcdClient, etcdPeer, logPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const runtimeArgs = `--pod-cidr 10.${150 + (process.pid % 50)}.${randomBytes(1)[0]}.0/24 --bridge ${bridge} --cgroup-root ${cgroupRoot}`;
    const up = await skiff(home, [
      'up', '--home', home, '--port', String(port), '--node-name', node, '--log-server-port', String(logPort),
      '--etcd-client-port', String(etcdClient), '--etcd-peer-port', String(etcdPeer), '--runtime-args', runtimeArgs,
    ]);
    log(up.stdout.trim().split('\n').filter((l) => l.includes('Ready')).join(' '));
    client = RestClient.fromKubeconfig(join(home, 'kubeconfig'), 'kubelet-bench');
    rt = connectRuntime(join(home, 'runtime.sock'));
    informer = new Informer<PodObj>(restListerWatcher(client, PODS));
    const times = new PodTimes(informer);
    informer.start();
    await informer.waitForSync();
    for (const ns of ['bench-seq', 'bench-burst']) await client.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KubeObject);
    // Warm-up: one pod through the agent and one straight through the runtime (image snapshot, shim).
    await createPod(client, times, 'bench-seq', 'warm');
    await times.until(() => times.ready.has('warm'), 120_000, 'the warm-up pod Ready');
    await directPod(rt, home, 'warm');
    const warmContainer = (await rt.listContainers()).find((c) => c.metadata.name === 'c');
    const bundleConfig = warmContainer ? readFileSync(join(home, 'runtime', 'containers', warmContainer.id, 'bundle', 'config.json'), 'utf8') : '';
    await removeDirect(rt);

    const directSeq: number[] = [];
    const steps: DirectSteps = { sandbox: [], create: [], start: [] };
    for (let i = 0; i < BURST; i++) directSeq.push(await directPod(rt, home, `seq-${i}`, steps));
    await removeDirect(rt);
    log(`runtime alone, one at a time: p50 ${percentile(directSeq, 50).toFixed(0)} ms p99 ${percentile(directSeq, 99).toFixed(0)} ms (RunPodSandbox p50 ${percentile(steps.sandbox, 50).toFixed(0)}, CreateContainer ${percentile(steps.create, 50).toFixed(0)}, StartContainer ${percentile(steps.start, 50).toFixed(0)})`);
    const seq = await agentSequential(client, times, 'bench-seq', BURST);
    log(`agent, one at a time: Running p50 ${percentile(seq.running, 50).toFixed(0)} p99 ${percentile(seq.running, 99).toFixed(0)}; Ready p50 ${percentile(seq.ready, 50).toFixed(0)} p99 ${percentile(seq.ready, 99).toFixed(0)} ms; create→bound p50 ${percentile(seq.bound, 50).toFixed(0)}, bound→Running p50 ${percentile(seq.boundToRunning, 50).toFixed(0)} ms`);
    addLatency('runc one at a time: create→Running', seq.running, directSeq, 'runtime sandbox+create+start');
    addLatency('runc one at a time: create→Ready', seq.ready, directSeq, 'runtime sandbox+create+start');
    // Where the time goes: the scheduler's share, the agent's share, and the runtime's steps.
    figures['runc one at a time: create→bound (scheduler) p50'] = figure(percentile(seq.bound, 50), 'ms');
    addLatency('runc one at a time: bound→Running (agent + runtime + status)', seq.boundToRunning, directSeq, 'runtime sandbox+create+start');
    figures['runtime one at a time: RunPodSandbox p50'] = figure(percentile(steps.sandbox, 50), 'ms', percentile(directSeq, 50), 'runtime sandbox+create+start p50');
    figures['runtime one at a time: CreateContainer p50'] = figure(percentile(steps.create, 50), 'ms', percentile(directSeq, 50), 'runtime sandbox+create+start p50');
    figures['runtime one at a time: StartContainer p50'] = figure(percentile(steps.start, 50), 'ms', percentile(directSeq, 50), 'runtime sandbox+create+start p50');
    flush();
    await drainNamespace(client, rt, 'bench-seq');

    const directBurst: number[] = [];
    const r = rt;
    await Promise.all(Array.from({ length: BURST }, async (_, i) => directBurst.push(await directPod(r, home, `burst-${i}`))));
    await removeDirect(rt);
    log(`runtime alone, ${BURST} at once: p50 ${percentile(directBurst, 50).toFixed(0)} ms p99 ${percentile(directBurst, 99).toFixed(0)} ms`);
    const burst = await agentBurst(client, times, 'bench-burst', BURST);
    log(`agent, ${BURST} at once: Running p50 ${percentile(burst.running, 50).toFixed(0)} p99 ${percentile(burst.running, 99).toFixed(0)}; Ready p50 ${percentile(burst.ready, 50).toFixed(0)} p99 ${percentile(burst.ready, 99).toFixed(0)} ms`);
    await drainNamespace(client, rt, 'bench-burst');

    addLatency(`runc ${BURST} at once: create→Running`, burst.running, directBurst, `runtime ${BURST} at once`);
    addLatency(`runc ${BURST} at once: create→Ready`, burst.ready, directBurst, `runtime ${BURST} at once`);
    addLatency(`runc ${BURST} at once: bound→Running (agent + runtime + status)`, burst.boundToRunning, directBurst, `runtime ${BURST} at once`);
    if (bundleConfig) {
      const bare = await bareRuncBurst(bundleConfig, join(home, 'bare-runc'), `${cgroupRoot}-bare`, BURST);
      log(`bare runc run --detach, ${BURST} at once: p50 ${percentile(bare, 50).toFixed(0)} ms p99 ${percentile(bare, 99).toFixed(0)} ms (load ${load()})`);
      addLatency(`runc ${BURST} at once, against bare runc: create→Running`, burst.running, bare, `bare runc run --detach ${BURST} at once`);
      for (const p of [50, 99]) figures[`bare runc run --detach, ${BURST} at once: p${p}`] = figure(percentile(bare, p), 'ms', 1000, 'goal p99');
      // The same with a pod network each (netns + CNI bridge/host-local, as a sandbox has): the
      // least the parts Skiff must use (runc, the CNI plugins) cost for 50 pods at once here.
      const net = podNetwork({ podCidr: `10.249.${randomBytes(1)[0]}.0/24`, bridge: `skbare${randomBytes(2).toString('hex')}`, ipamDataDir: join(home, 'bare-ipam'), networkName: 'bare', ipMasq: false }, []);
      const bareNet = await bareRuncBurst(bundleConfig, join(home, 'bare-runc-net'), `${cgroupRoot}-barenet`, BURST, net);
      log(`bare runc run --detach with netns + CNI, ${BURST} at once: p50 ${percentile(bareNet, 50).toFixed(0)} ms p99 ${percentile(bareNet, 99).toFixed(0)} ms (load ${load()})`);
      addLatency(`runc ${BURST} at once, against bare runc with netns + CNI: create→Running`, burst.running, bareNet, `bare runc + netns + CNI ${BURST} at once`);
      for (const p of [50, 99]) figures[`bare runc run --detach with netns + CNI, ${BURST} at once: p${p}`] = figure(percentile(bareNet, p), 'ms', 1000, 'goal p99');
    }
    flush();

    // Between one at a time and all at once: the same 50 pods created at a steady rate, each
    // paced run in its own namespace, drained before the next. Baseline: the one-at-a-time runtime.
    for (const rate of PACED_RATES) {
      const ns = `bench-paced-${rate}`;
      await client.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KubeObject);
      const paced = await agentPaced(client, times, ns, BURST, rate);
      log(`agent, ${BURST} pods at ${rate}/s: Running p50 ${percentile(paced.running, 50).toFixed(0)} p99 ${percentile(paced.running, 99).toFixed(0)} ms (load ${load()})`);
      addLatency(`runc ${BURST} pods at ${rate}/s: create→Running`, paced.running, directSeq, 'runtime sandbox+create+start');
      flush();
      await drainNamespace(client, rt, ns);
    }
  } finally {
    await informer?.stop();
    if (rt) await removeDirect(rt).catch(() => undefined);
    rt?.close();
    await client?.close();
    await skiff(home, ['down', '--home', home, '--purge'], 180_000).catch((err) => log(`skiff down failed: ${(err as Error).message}`));
    execFileSync('sh', ['-c', `ip link del ${bridge} 2>/dev/null; true`]);
    await removeCgroup(cgroupRoot).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// hollow part

interface Proc {
  child: ChildProcess;
  exited: Promise<void>;
  stop(): Promise<void>;
}

function startProc(home: string, name: string, args: string[]): Proc {
  mkdirSync(join(home, 'logs'), { recursive: true });
  const out = openSync(join(home, 'logs', `${name}.log`), 'a');
  const prof = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...prof, '--max-old-space-size=8192', MAIN, ...args], { stdio: ['ignore', out, out], env: { ...process.env, SKIFF_HOME: home } });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 60_000))]);
      if (!killed) child.kill('SIGKILL');
      await exited;
    },
  };
}

interface ControlPlane {
  home: string;
  client: RestClient;
  server: Proc;
  stop(): Promise<void>;
}

async function startControlPlane(tag: string): Promise<ControlPlane> {
  const home = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'bench'}-kubelet-hollow-${tag}-`));
  const [port, etcdClient, etcdPeer] = [await freePort(), await freePort(), await freePort()];
  const server = startProc(home, `server-${tag}`, ['server', '--home', home, '--port', String(port), '--etcd-client-port', String(etcdClient), '--etcd-peer-port', String(etcdPeer)]);
  const deadline = performance.now() + 240_000;
  let client: RestClient | undefined;
  while (!client) {
    if (performance.now() > deadline || server.child.exitCode !== null || server.child.signalCode !== null) {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
      throw new Error('skiff server did not come up within 240 s');
    }
    if (existsSync(join(home, 'kubeconfig'))) {
      const c = RestClient.fromKubeconfig(join(home, 'kubeconfig'), 'kubelet-bench');
      if (await c.list(NAMESPACES).then(() => true, () => false)) client = c;
      else await c.close();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    home,
    client,
    server,
    async stop() {
      await client.close();
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** LeaseGaps records, per node Lease, the gaps between consecutive renewTimes a watch sees. */
class LeaseGaps {
  readonly last = new Map<string, number>();
  gaps: number[] = [];
  /** How old each renewal was when this watch saw it (renewTime to arrival): write and watch delay together. */
  ages: number[] = [];
  recording = false;
  readonly informer: Informer<Lease & KubeObject>;

  constructor(client: RestClient) {
    this.informer = new Informer<Lease & KubeObject>(restListerWatcher(client, LEASES, { namespace: 'kube-node-lease' }));
    const seen = (l: Lease & KubeObject) => {
      const t = Date.parse(l.spec?.renewTime ?? '');
      const name = l.metadata.name ?? '';
      const prev = this.last.get(name);
      if (this.recording && prev !== undefined && t > prev) {
        this.gaps.push(t - prev);
        this.ages.push(Date.now() - t);
      }
      this.last.set(name, t);
    };
    this.informer.addEventHandler({ onAdd: seen, onUpdate: (_o, l) => seen(l) });
  }

  /** staleAt counts leases whose last renewal is older than ON_TIME_GAP_MS at wall time now. */
  staleAt(now: number): number {
    let n = 0;
    for (const t of this.last.values()) if (now - t > ON_TIME_GAP_MS) n++;
    return n;
  }
}

async function countReadyNodes(informer: Informer<KubeObject>, prefix: string): Promise<number> {
  let n = 0;
  for (const node of informer.store.list()) {
    const conds = (node as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
    if ((node.metadata.name ?? '').startsWith(prefix) && conds.some((c) => c.type === 'Ready' && c.status === 'True')) n++;
  }
  return n;
}

async function waitFor(what: string, ms: number, cond: () => Promise<boolean> | boolean, abort?: Proc): Promise<number> {
  const start = performance.now();
  while (!(await cond())) {
    if (performance.now() - start > ms) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    if (abort && (abort.child.exitCode !== null || abort.child.signalCode !== null)) throw new Error(`the hollow process exited while waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return performance.now() - start;
}

interface LadderStep {
  nodes: number;
  readyMs: number;
  podsRunningMs: number;
  gapP99: number;
  gapMax: number;
  late: number;
  staleAtEnd: number;
  onTime: boolean;
}

function hollowPod(name: string, nodeName: string): PodObj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'pause:3.9' }] } } as PodObj;
}

async function ladderStep(nodes: number): Promise<LadderStep> {
  const cp = await startControlPlane(`n${nodes}`);
  const prefix = `hollow${nodes}`;
  let hollow: Proc | undefined;
  const nodeInf = new Informer<KubeObject>(restListerWatcher(cp.client, NODES));
  const podInf = new Informer<PodObj>(restListerWatcher(cp.client, PODS, { namespace: 'default' }));
  const leases = new LeaseGaps(cp.client);
  try {
    for (const i of [nodeInf, podInf, leases.informer]) i.start();
    await Promise.all([nodeInf.waitForSync(), podInf.waitForSync(), leases.informer.waitForSync()]);
    const began = performance.now();
    hollow = startProc(cp.home, `hollow-${nodes}`, ['agent', '--home', cp.home, '--kubeconfig', join(cp.home, 'kubeconfig'), '--hollow', String(nodes), '--node-name', prefix]);
    const h = hollow;
    await waitFor(`${nodes} hollow nodes Ready`, 600_000, async () => (await countReadyNodes(nodeInf, prefix)) === nodes, h);
    const readyMs = performance.now() - began;
    log(`${nodes} hollow nodes Ready in ${(readyMs / 1000).toFixed(1)} s; creating ${nodes * PODS_PER_NODE} pods`);
    const podsStart = performance.now();
    const total = nodes * PODS_PER_NODE;
    const r = await runBounded({ total, concurrency: 8, deadlineMs: 600_000 }, (i) => retried(() => cp.client.create(PODS, 'default', hollowPod(`p-${i}`, `${prefix}-${i % nodes}`))));
    if (r.errors) throw new Error(`creating hollow pods: ${String(r.firstError)}`);
    const running = () => podInf.store.list().filter((p) => p.status?.phase === 'Running').length;
    await waitFor(`${total} hollow pods Running`, 600_000, () => running() === total, h);
    const podsRunningMs = performance.now() - podsStart;
    log(`${total} pods Running ${(podsRunningMs / 1000).toFixed(1)} s after the first create; watching heartbeats for ${WINDOW_MS / 1000} s`);
    leases.gaps = [];
    leases.recording = true;
    await new Promise((res) => setTimeout(res, WINDOW_MS));
    leases.recording = false;
    const staleAtEnd = leases.staleAt(Date.now());
    const late = leases.gaps.filter((g) => g > ON_TIME_GAP_MS).length;
    const step: LadderStep = {
      nodes, readyMs, podsRunningMs,
      gapP99: percentile(leases.gaps, 99), gapMax: Math.max(...leases.gaps), late, staleAtEnd,
      onTime: late === 0 && staleAtEnd === 0 && leases.gaps.length >= nodes,
    };
    log(`${nodes} nodes × ${PODS_PER_NODE} pods: lease gap p99 ${(step.gapP99 / 1000).toFixed(1)} s, max ${(step.gapMax / 1000).toFixed(1)} s, ${late} late of ${leases.gaps.length}, ${staleAtEnd} stale at the end → ${step.onTime ? 'on time' : 'LATE'}`);
    return step;
  } finally {
    await hollow?.stop();
    for (const i of [nodeInf, podInf, leases.informer]) await i.stop();
    await cp.stop();
  }
}

interface ReadyRun {
  /** ms until all were Ready, NaN when the deadline came first. */
  readyMs: number;
  registeredMs: number;
  readyAt30s: number;
  readyAtEnd: number;
  /** CPU seconds per process from the hollow start until all were Ready (or the deadline). */
  cpuToReady: Record<string, number>;
  /** The heartbeat window after all were Ready (no pods): lease gaps and each process's share of a core. */
  window?: { gapP99: number; gapMax: number; gaps: number; late: number; staleAtEnd: number; ageP50: number; ageP99: number; ageMax: number; coreShare: Record<string, number> };
}

/** processCpu: the server process (API server, scheduler, controllers), its etcd child, and the hollow process. */
function processCpu(cp: ControlPlane, hollow: Proc): CpuMeter {
  const pids: Record<string, number> = { server: cp.server.child.pid!, hollow: hollow.child.pid! };
  const etcd = childNamed(cp.server.child.pid!, 'etcd');
  if (etcd) pids.etcd = etcd;
  return new CpuMeter(pids);
}

const cpuNote = (use: Record<string, { cpuSeconds: number; coreShare: number }>) =>
  Object.entries(use).map(([k, v]) => `${k} ${v.cpuSeconds.toFixed(1)} s (${(v.coreShare * 100).toFixed(0)}% of a core)`).join(', ');

async function readyRun(nodes: number, deadlineMs: number): Promise<ReadyRun> {
  const cp = await startControlPlane(`ready${nodes}`);
  const prefix = 'hollow';
  let hollow: Proc | undefined;
  const nodeInf = new Informer<KubeObject>(restListerWatcher(cp.client, NODES));
  // Started once all are Ready: a Lease watch during registration would cost the API server a write per renewal.
  const leases = new LeaseGaps(cp.client);
  try {
    nodeInf.start();
    await nodeInf.waitForSync();
    const began = performance.now();
    hollow = startProc(cp.home, `hollow-ready-${nodes}`, ['agent', '--home', cp.home, '--kubeconfig', join(cp.home, 'kubeconfig'), '--hollow', String(nodes), '--node-name', prefix]);
    const h = hollow;
    const meter = processCpu(cp, h);
    meter.start();
    const r: ReadyRun = { readyMs: NaN, registeredMs: NaN, readyAt30s: NaN, readyAtEnd: 0, cpuToReady: {} };
    let lastLog = 0;
    await waitFor(`${nodes} hollow nodes Ready`, deadlineMs, async () => {
      const ready = await countReadyNodes(nodeInf, prefix);
      const elapsed = performance.now() - began;
      r.readyAtEnd = ready;
      if (Number.isNaN(r.registeredMs) && nodeInf.store.list().length >= nodes) r.registeredMs = elapsed;
      if (Number.isNaN(r.readyAt30s) && elapsed >= 30_000) r.readyAt30s = ready;
      if (elapsed - lastLog > 10_000) {
        lastLog = elapsed;
        log(`  ${nodeInf.store.list().length} nodes registered, ${ready} Ready (load ${load()})`);
      }
      return ready === nodes;
    }, h).then(
      (ms) => (r.readyMs = ms),
      (err: Error) => log(err.message),
    );
    if (Number.isNaN(r.readyAt30s)) r.readyAt30s = r.readyAtEnd;
    const toReady = meter.stop();
    r.cpuToReady = Object.fromEntries(Object.entries(toReady).map(([k, v]) => [k, v.cpuSeconds]));
    log(`${r.readyAtEnd}/${nodes} hollow nodes Ready${Number.isNaN(r.readyMs) ? ` at the ${deadlineMs / 1000} s deadline` : ` ${(r.readyMs / 1000).toFixed(1)} s after the hollow process started`}; CPU: ${cpuNote(toReady)} (load ${load()})`);
    if (!Number.isNaN(r.readyMs)) r.window = await heartbeatWindow(leases, meter, nodes);
    return r;
  } finally {
    await hollow?.stop();
    for (const i of [nodeInf, leases.informer]) await i.stop();
    await cp.stop();
  }
}

/** heartbeatWindow watches every node's Lease renewals for WINDOW_MS once all are Ready (no pods yet). */
async function heartbeatWindow(leases: LeaseGaps, meter: CpuMeter, nodes: number): Promise<NonNullable<ReadyRun['window']>> {
  leases.informer.start();
  await leases.informer.waitForSync();
  leases.gaps = [];
  leases.ages = [];
  leases.recording = true;
  meter.start();
  await new Promise((res) => setTimeout(res, WINDOW_MS));
  leases.recording = false;
  const use = meter.stop();
  const w = {
    gapP99: percentile(leases.gaps, 99), gapMax: Math.max(...leases.gaps), gaps: leases.gaps.length,
    late: leases.gaps.filter((g) => g > ON_TIME_GAP_MS).length, staleAtEnd: leases.staleAt(Date.now()),
    ageP50: percentile(leases.ages, 50), ageP99: percentile(leases.ages, 99), ageMax: Math.max(...leases.ages),
    coreShare: Object.fromEntries(Object.entries(use).map(([k, v]) => [k, v.coreShare])),
  };
  log(`${nodes} nodes, no pods, ${WINDOW_MS / 1000} s: lease gap p99 ${(w.gapP99 / 1000).toFixed(1)} s, max ${(w.gapMax / 1000).toFixed(1)} s, ${w.late} late of ${w.gaps}, ${w.staleAtEnd} stale; renewal age when seen p50 ${(w.ageP50 / 1000).toFixed(1)} s, p99 ${(w.ageP99 / 1000).toFixed(1)} s, max ${(w.ageMax / 1000).toFixed(1)} s; CPU: ${cpuNote(use)} (load ${load()})`);
  return w;
}

async function hollowPart(): Promise<void> {
  // The Ready run first: it is the issue's headline figure, and the ladder may run out of time.
  if (READY_NODES > 0 && PART !== 'hollow-ladder') {
    const r = await readyRun(READY_NODES, READY_DEADLINE_MS).catch((err: Error) => {
      notes.push(`${READY_NODES} hollow nodes: failed (${err.message}).`);
      return undefined;
    });
    if (r) {
      figures[`hollow ${READY_NODES} nodes: all registered after start`] = figure(r.registeredMs / 1000, 's');
      figures[`hollow ${READY_NODES} nodes: all Ready after start`] = figure(r.readyMs / 1000, 's', 30, 'goal');
      figures[`hollow ${READY_NODES} nodes: Ready 30 s after start`] = figure(r.readyAt30s, 'nodes', READY_NODES, 'started');
      for (const [proc, sec] of Object.entries(r.cpuToReady)) figures[`hollow ${READY_NODES} nodes: ${proc} process CPU until all Ready`] = figure(sec, 's');
      if (r.window) {
        const w = r.window;
        figures[`hollow ${READY_NODES} nodes, no pods: lease renewal gap p99`] = figure(w.gapP99 / 1000, 's', RENEW_MS / 1000, 'renew interval');
        figures[`hollow ${READY_NODES} nodes, no pods: lease renewal gap max`] = figure(w.gapMax / 1000, 's', RENEW_MS / 1000, 'renew interval');
        figures[`hollow ${READY_NODES} nodes, no pods: renewal age when the benchmark's watch saw it, p50`] = figure(w.ageP50 / 1000, 's');
        figures[`hollow ${READY_NODES} nodes, no pods: renewal age when the benchmark's watch saw it, p99`] = figure(w.ageP99 / 1000, 's');
        for (const [proc, share] of Object.entries(w.coreShare)) figures[`hollow ${READY_NODES} nodes, no pods: ${proc} process share of a core`] = figure(share, 'cores');
        notes.push(`${READY_NODES} hollow nodes after all were Ready, no pods, ${WINDOW_MS / 1000} s: ${w.late} of ${w.gaps} lease renewal gaps over ${ON_TIME_GAP_MS / 1000} s, ${w.staleAtEnd} leases stale at the end.`);
      }
      if (Number.isNaN(r.readyMs)) notes.push(`${READY_NODES} hollow nodes: ${r.readyAtEnd} Ready when the ${READY_DEADLINE_MS / 1000} s deadline came.`);
    }
  }
  flush();
  if (PART === 'hollow-ready') return;
  let sustained = 0;
  for (const n of LADDER) {
    const s = await withTimeout(ladderStep(n), 1_800_000, `ladder step ${n}`).catch((err: Error) => {
      log(`ladder step ${n} failed: ${err.message}`);
      notes.push(`hollow ${n} nodes × ${PODS_PER_NODE} pods: failed (${err.message}).`);
      return undefined;
    });
    if (!s) break;
    figures[`hollow ${n} nodes: Ready after start`] = figure(s.readyMs / 1000, 's');
    figures[`hollow ${n} nodes: ${n * PODS_PER_NODE} pods create→all Running`] = figure(s.podsRunningMs / 1000, 's');
    figures[`hollow ${n} nodes × ${PODS_PER_NODE} pods: lease renewal gap p99`] = figure(s.gapP99 / 1000, 's', RENEW_MS / 1000, 'renew interval');
    figures[`hollow ${n} nodes × ${PODS_PER_NODE} pods: lease renewal gap max`] = figure(s.gapMax / 1000, 's', RENEW_MS / 1000, 'renew interval');
    flush();
    if (!s.onTime) {
      notes.push(`hollow ${n} nodes × ${PODS_PER_NODE} pods: heartbeats late (${s.late} gaps over ${ON_TIME_GAP_MS / 1000} s, ${s.staleAtEnd} leases stale at the end).`);
      break;
    }
    sustained = n;
  }
  figures[`hollow nodes sustained with ${PODS_PER_NODE} pods each, heartbeats on time`] = figure(sustained, 'nodes');
  flush();
}

/** flush writes what is measured so far, so a run cut short still leaves its figures. */
function flush(): { json: string; md: string } {
  return writeResults(
    `kubelet${PART === 'all' ? '' : `-${PART}`}`,
    figures,
    meta([
      'Every component is its own process from dist/ (skiff up / skiff server / skiff agent --hollow); the benchmark process creates pods and watches. ratio = value ÷ baseline.',
      ...notes,
    ].join(' ')),
  );
}

/** mergeParts writes kubelet.json/.md from kubelet-runc.json and kubelet-hollow.json (BENCH_PART=merge). */
function mergeParts(): { json: string; md: string } {
  const merged: Record<string, Figure> = {};
  const partNotes: string[] = [];
  for (const part of ['runc', 'hollow', 'hollow-ready', 'hollow-ladder']) {
    const file = join(ROOT, 'test/bench/results', `kubelet-${part}.json`);
    if (!existsSync(file)) continue;
    const { _meta, ...figs } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Figure> & { _meta: { date: string; commit: string; notes?: string } };
    Object.assign(merged, figs);
    partNotes.push(`[${part} part, ${_meta.date}, commit ${_meta.commit}] ${_meta.notes ?? ''}`);
  }
  return writeResults('kubelet', merged, meta(['The runc and hollow parts ran as separate BENCH_PART runs and were merged; each part below has its own date and commit.', ...partNotes].join(' ')));
}

async function main(): Promise<void> {
  if (PART === 'merge') {
    const out = mergeParts();
    log(`wrote ${out.json} and ${out.md}`);
    return;
  }
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  if (PART === 'all' || PART === 'runc') {
    const before = load();
    await runcPart().catch((err: Error) => {
      log(`runc part failed: ${err.stack ?? err.message}`);
      notes.push(`runc part failed: ${err.message}.`);
    });
    notes.push(`Load average (1 min) around the runc part: ${before} before, ${load()} after.`);
    flush();
  }
  if (PART === 'all' || PART.startsWith('hollow')) {
    const before = load();
    await hollowPart();
    notes.push(`Load average (1 min) around the hollow part: ${before} before, ${load()} after.`);
  }
  const out = flush();
  log(`wrote ${out.json} and ${out.md}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
