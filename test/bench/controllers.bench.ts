// Benchmark: the workload controllers (issue 5). With every controller running (as `skiff server`
// runs them) and the stub node agent marking pods Running and Ready:
//   create:  a Deployment of N replicas (default 1,000) from POST to the Nth pod seen by a watch,
//            and to the Deployment reporting all N available;
//   rollout: a new image on it (default strategy, 25 % surge / 25 % unavailable) until
//            `kubectl rollout status` would return;
//   baseline: N pods POSTed by a plain client at the concurrency the ReplicaSet controller had
//            in flight on average during `create`, and in the controller's own slow-start
//            batches, timed the same way (to the Nth pod seen by the watch).
// The ratio controller pods/s ÷ plain-client pods/s says whether a controller is the bottleneck.
// API server, controllers, agent stub and load generator share one Node process (etcd is a child
// process), as in the scheduler benchmark; BENCH_CPU_PROFILE_DIR records a CPU profile per phase.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../../api/meta.js';
import { mustResource, type ResourceInfo } from '../../api/registry.js';
import { Informer } from '../../client/informer.js';
import { restListerWatcher } from '../../client/lister-watcher.js';
import { RestClient } from '../../client/rest.js';
import { startControllerManager } from '../../controllers/manager.js';
import { BURST_REPLICAS } from '../../controllers/replicaset/index.js';
import { slowStartBatch } from '../../controllers/replicaset/slowstart.js';
import { startTestCluster, type TestCluster } from '../integration/harness.js';
import { startStubAgent } from '../integration/node-agent-stub.js';
import { runBounded, withTimeout } from './lib/pool.js';
import { profiled } from './lib/profile.js';
import { figure, meta, writeResults, type Figure } from './lib/results.js';
import { createRetrying } from './lib/retry.js';
import { log, runMain } from './lib/run.js';

const N = Number(process.env.BENCH_REPLICAS ?? 1000);
const PHASE_TIMEOUT_MS = Number(process.env.BENCH_PHASE_TIMEOUT_MS ?? 600_000);
const pods = mustResource('pods');
const deployments = mustResource('deployments');
const namespaces = mustResource('namespaces');
type Obj = KubeObject & Record<string, any>;

/** CountingClient measures the pod creates in flight: the peak and the time integral (for the mean). */
class CountingClient extends RestClient {
  inFlight = 0;
  private since = performance.now();
  private area = 0;
  peak = 0;

  override async create<T extends Obj = Obj>(res: ResourceInfo, ns: string | undefined, obj: T): Promise<T> {
    if (res.plural !== 'pods') return super.create(res, ns, obj);
    this.step(+1);
    try {
      return await super.create(res, ns, obj);
    } finally {
      this.step(-1);
    }
  }

  /** reset starts a new measuring window. */
  reset(): void {
    this.since = performance.now();
    this.area = 0;
    this.peak = this.inFlight;
  }

  /** meanInFlight over the window from reset() to `until`. */
  meanInFlight(until: number): number {
    return (this.area + this.inFlight * (until - Math.max(this.last, this.since))) / Math.max(1, until - this.since);
  }

  private last = performance.now();
  private step(d: number): void {
    const now = performance.now();
    this.area += this.inFlight * (now - Math.max(this.last, this.since));
    this.last = now;
    this.inFlight += d;
    this.peak = Math.max(this.peak, this.inFlight);
  }
}

/** PodWatch follows one namespace's pods: when the Nth was first seen. */
class PodWatch {
  readonly informer: Informer<Obj>;
  seen = 0;
  private nth?: number;
  private wanted?: () => void;

  constructor(client: RestClient, ns: string, private readonly n: number) {
    this.informer = new Informer<Obj>(restListerWatcher<Obj>(client, pods, { namespace: ns }));
    this.informer.onAdd(() => {
      if (++this.seen !== this.n) return;
      this.nth = performance.now();
      this.wanted?.();
    });
  }

  async start(): Promise<this> {
    this.informer.start();
    await this.informer.waitForSync();
    return this;
  }

  /** ready counts the pods whose Ready condition is True. */
  ready(): number {
    return this.informer.lister.list().filter((p) => p.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True')).length;
  }

  /** allSeen resolves with the time the Nth pod was seen. */
  allSeen(): Promise<number> {
    if (this.nth !== undefined) return Promise.resolve(this.nth);
    return new Promise((r) => (this.wanted = () => r(this.nth!)));
  }
}

/** DeploymentWatch resolves when a deployment matches `kubectl rollout status`'s success test. */
function rolledOut(client: RestClient, ns: string, name: string, image: string): { done: Promise<number>; stop: () => Promise<void> } {
  const inf = new Informer<Obj>(restListerWatcher<Obj>(client, deployments, { namespace: ns }));
  let resolve!: (t: number) => void;
  const done = new Promise<number>((r) => (resolve = r));
  const check = (d: Obj) => {
    const s = d.status ?? {};
    const ok = d.metadata.name === name && d.spec.template.spec.containers[0].image === image && (s.observedGeneration ?? 0) >= d.metadata.generation!
      && s.updatedReplicas === N && s.replicas === N && s.availableReplicas === N;
    if (ok) resolve(performance.now());
  };
  inf.addEventHandler({ onAdd: check, onUpdate: (_o, d) => check(d) });
  inf.start();
  return { done, stop: () => inf.stop() };
}

function deploymentObj(ns: string, image: string): Obj {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: N, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
    },
  };
}

function plainPod(ns: string, i: number): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `plain-${i}`, namespace: ns, labels: { app: 'plain' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } };
}

async function namespace(client: RestClient, name: string): Promise<string> {
  await client.create(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

interface Env {
  cluster: TestCluster;
  ctrlClient: CountingClient;
  client: RestClient;
  stop(): Promise<void>;
}

async function startEnv(): Promise<Env> {
  const cluster = await startTestCluster();
  const opts = { server: cluster.url, ca: cluster.pki.caCert, token: cluster.token };
  const ctrlClient = new CountingClient(opts);
  const agentClient = new RestClient(opts);
  const client = new RestClient(opts);
  const manager = await startControllerManager({ client: ctrlClient });
  const agent = await startStubAgent({ client: agentClient, concurrency: 64 });
  return {
    cluster, ctrlClient, client,
    async stop() {
      await agent.stop();
      await manager.stop();
      for (const c of [client, agentClient, ctrlClient]) await c.close();
      await cluster.stop();
    },
  };
}

interface CreatePhase {
  createdMs: number;
  availableMs: number;
  meanInFlight: number;
  peakInFlight: number;
}

/** Progress every 10 s: the current phase's pods seen and ready, the controller's creates in flight. */
let current: PodWatch | undefined;
function progress(env: Env): NodeJS.Timeout {
  return setInterval(() => {
    if (current) log(`  ${current.seen} pods seen, ${current.ready()} ready, ${env.ctrlClient.inFlight} controller creates in flight`);
  }, 10_000);
}

async function deploymentCreate(env: Env): Promise<CreatePhase> {
  const ns = await namespace(env.client, 'bench-deploy');
  const watch = await new PodWatch(env.client, ns, N).start();
  current = watch;
  const rollout = rolledOut(env.client, ns, 'web', 'img:1');
  env.ctrlClient.reset();
  const start = performance.now();
  await env.client.create(deployments, ns, deploymentObj(ns, 'img:1'));
  const created = await withTimeout(watch.allSeen(), PHASE_TIMEOUT_MS, `${N} pods of the Deployment`);
  const meanInFlight = env.ctrlClient.meanInFlight(created);
  const available = await withTimeout(rollout.done, PHASE_TIMEOUT_MS, 'the Deployment available');
  current = undefined;
  await Promise.all([watch.informer.stop(), rollout.stop()]);
  return { createdMs: created - start, availableMs: available - start, meanInFlight, peakInFlight: env.ctrlClient.peak };
}

async function rollingUpdate(env: Env): Promise<number> {
  const ns = 'bench-deploy';
  current = await new PodWatch(env.client, ns, Infinity).start();
  const rollout = rolledOut(env.client, ns, 'web', 'img:2');
  const start = performance.now();
  await env.client.patch(deployments, ns, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'img:2' }] } } } });
  const done = await withTimeout(rollout.done, PHASE_TIMEOUT_MS, 'the rolling update');
  await Promise.all([rollout.stop(), current.informer.stop()]);
  current = undefined;
  return done - start;
}

/** plainCreate: N pods by a plain client; `run` issues the creates; ms from first POST to the Nth pod watched. */
async function plainCreate(env: Env, name: string, run: (create: (i: number) => Promise<void>) => Promise<unknown>): Promise<number> {
  const ns = await namespace(env.client, name);
  const watch = await new PodWatch(env.client, ns, N).start();
  current = watch;
  let next = 0;
  const start = performance.now();
  await run(async () => plainCreateOnce(env.client, ns, next++));
  const seen = await withTimeout(watch.allSeen(), PHASE_TIMEOUT_MS, `${N} plain pods`);
  current = undefined;
  await watch.informer.stop();
  return seen - start;
}

/** Retried errors of the plain client (connect timeouts on a loaded machine); the controller retries too. */
let plainRetries = 0;
const plainCreateOnce = (client: RestClient, ns: string, i: number) =>
  createRetrying(() => client.create(pods, ns, plainPod(ns, i)), { attempts: 6, onRetry: () => plainRetries++ });

const atConcurrency = (c: number) => (create: (i: number) => Promise<void>) =>
  runBounded({ total: N, concurrency: c, deadlineMs: PHASE_TIMEOUT_MS, maxErrors: 1 }, create).then((r) => {
    if (r.errors) throw r.firstError;
  });

// The ReplicaSet controller's own pattern: slow-start batches, at most BURST_REPLICAS per sync.
const inSlowStartBatches = async (create: (i: number) => Promise<void>) => {
  for (let left = N; left > 0; left -= BURST_REPLICAS) {
    const r = await slowStartBatch(Math.min(left, BURST_REPLICAS), 1, () => create(0));
    if (r.error) throw r.error;
  }
};

/** controllersShare: the percentage of busy (non-idle) CPU samples spent in controllers/ code, from a phase's profile. */
function controllersShare(phase: string): number | undefined {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  if (!dir) return undefined;
  const p = JSON.parse(readFileSync(join(dir, `${phase}.cpuprofile`), 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string } }[]; samples: number[]; timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  let busy = 0;
  let ours = 0;
  p.samples.forEach((id, i) => {
    const cf = byId.get(id)!;
    if (cf.functionName === '(idle)') return;
    busy += p.timeDeltas[i] ?? 0;
    if (cf.url.includes('/controllers/')) ours += p.timeDeltas[i] ?? 0;
  });
  return busy > 0 ? (100 * ours) / busy : undefined;
}

async function main(): Promise<void> {
  const env = await startEnv();
  const figures: Record<string, Figure> = {};
  const ticker = progress(env);
  try {
    log(`cluster, all controllers and the stub agent up; Deployment of ${N} replicas`);
    // The same baseline before and after the Deployment phases brackets drift in the machine's load.
    const batchesBefore = await plainCreate(env, 'bench-plain-batches-before', inSlowStartBatches);
    log(`plain client, slow-start batches (before): ${N} pods in ${(batchesBefore / 1000).toFixed(2)} s (${((N * 1000) / batchesBefore).toFixed(0)} pods/s)`);
    const c = await profiled('controllers-create', () => deploymentCreate(env));
    const ctrlRate = (N * 1000) / c.createdMs;
    log(`${N} pods created in ${(c.createdMs / 1000).toFixed(2)} s (${ctrlRate.toFixed(0)} pods/s), all available after ${(c.availableMs / 1000).toFixed(2)} s; creates in flight: mean ${c.meanInFlight.toFixed(1)}, peak ${c.peakInFlight}`);
    const rollMs = await profiled('controllers-rollout', () => rollingUpdate(env));
    log(`rolling update of ${N} replicas finished in ${(rollMs / 1000).toFixed(2)} s`);
    const mean = Math.max(1, Math.round(c.meanInFlight));
    const plainMean = await profiled('plain-mean', () => plainCreate(env, 'bench-plain-mean', atConcurrency(mean)));
    log(`plain client, concurrency ${mean}: ${N} pods in ${(plainMean / 1000).toFixed(2)} s (${((N * 1000) / plainMean).toFixed(0)} pods/s)`);
    const plainBatches = await plainCreate(env, 'bench-plain-batches', inSlowStartBatches);
    log(`plain client, slow-start batches: ${N} pods in ${(plainBatches / 1000).toFixed(2)} s (${((N * 1000) / plainBatches).toFixed(0)} pods/s)`);

    const rate = (ms: number) => (N * 1000) / ms;
    figures[`Deployment ${N} replicas: all pods created`] = figure(c.createdMs / 1000, 's');
    figures[`Deployment ${N} replicas: all available`] = figure(c.availableMs / 1000, 's');
    figures['controller pods created/s vs plain client at the mean concurrency'] = figure(ctrlRate, 'pods/s', rate(plainMean), `plain client, ${mean} in flight`);
    figures['controller pods created/s vs plain client in slow-start batches (before)'] = figure(ctrlRate, 'pods/s', rate(batchesBefore), 'plain client, batches 1, 2, 4, ... ≤ 500, before');
    figures['controller pods created/s vs plain client in slow-start batches (after)'] = figure(ctrlRate, 'pods/s', rate(plainBatches), 'plain client, batches 1, 2, 4, ... ≤ 500, after');
    figures[`rolling update of ${N} replicas (25 % surge/unavailable)`] = figure(rollMs / 1000, 's');
    figures['rolling update pods replaced/s'] = figure(rate(rollMs), 'pods/s', rate(plainMean), `plain client creates, ${mean} in flight`);
    figures['controller creates in flight, mean'] = figure(c.meanInFlight, 'requests');
    figures['controller creates in flight, peak'] = figure(c.peakInFlight, 'requests');
    figures['plain client creates retried'] = figure(plainRetries, 'requests');
    for (const phase of ['controllers-create', 'controllers-rollout']) {
      const share = controllersShare(phase);
      if (share !== undefined) figures[`CPU in controllers/ code, ${phase.slice(12)} phase`] = figure(share, '% of busy samples');
    }
  } finally {
    clearInterval(ticker);
    await env.stop();
  }
  const notes = [
    'API server, every controller (replicaset, deployment, endpoints, garbagecollector, namespace, nodeipam, nodelifecycle, podgc), the stub node agent',
    '(marks each pod Running and Ready after 20 ms, 64 writes in flight) and the load generator share one Node process; etcd is a child process.',
    'Times run from the POST (or the image patch) to the Nth pod seen by a watch, or to the Deployment status kubectl rollout status waits for.',
    'The plain-client baselines run in fresh namespaces of the same API server, with the agent marking their pods ready too: the slow-start one both before and after the Deployment phases (to bracket drift in the load of this shared machine), the mean-concurrency one after.',
  ].join(' ');
  const out = writeResults('controllers', figures, meta(notes));
  log(`wrote ${out.json} and ${out.md}`);
}

runMain(main);
