// Benchmark: the scheduler, in the style of kube-scheduler's scheduler_perf SchedulingBasic.
//   algorithm only: decisions/s over an in-memory cache of N nodes (assuming each pod), p50/p99
//   end to end: N Node objects (no agents) and 10,000 pods with requests created at once through
//   the API; pods bound/s from the first create to the last pod seen bound by a watch, and
//   per-pod created→bound latency p50/p99.
// End to end runs twice: with the API server, the scheduler and the load generator as separate
// processes (as deployed; BENCH_MODES=procs) and all in this one process (BENCH_MODES=inproc).
// Each run reports the CPU share of every process, so the note can say which one bounds the rate;
// BENCH_CPU_PROFILE_DIR=DIR writes a CPU profile of each process over the measured phase.
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from '../integration/harness.js';
import { RestClient } from '../../client/rest.js';
import { Informer } from '../../client/informer.js';
import { restListerWatcher } from '../../client/lister-watcher.js';
import { mustResource } from '../../api/registry.js';
import type { KubeObject } from '../../api/meta.js';
import type { Node, Pod } from '../../api/types/index.js';
import { SchedulerCache } from '../../scheduler/cache.js';
import { buildFramework } from '../../scheduler/profile.js';
import { schedulePod } from '../../scheduler/algorithm.js';
import { startScheduler } from '../../scheduler/index.js';
import { runBounded } from './lib/pool.js';
import { figure, meta, writeResults, type Figure } from './lib/results.js';
import { profiled } from './lib/profile.js';
import { startComponent, type ApiInfo, type Component } from './lib/component-proc.js';
import { CpuMeter, childNamed } from './lib/cpu.js';
import { percentile } from './lib/stats.js';

const NODE_COUNTS = (process.env.BENCH_NODES ?? '500,5000').split(',').map(Number);
const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const LOAD_AT_START = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
// Extra Node flags for the API server process (e.g. --max-semi-space-size=64), for experiments.
const API_EXEC_ARGV = (process.env.BENCH_API_EXEC_ARGV ?? '').split(' ').filter(Boolean);
const MODES = (process.env.BENCH_MODES ?? 'floor,procs,inproc').split(',') as Mode[];
const t0 = performance.now();
const log = (m: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${m}`);

function benchNode(i: number): Node {
  const res = { cpu: '4', memory: '32Gi', pods: '110' };
  const name = `node-${i}`;
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { capacity: res, allocatable: res, conditions: [{ type: 'Ready', status: 'True' }] } };
}

function benchPod(i: number, ns = 'default'): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, namespace: ns },
    spec: { schedulerName: 'default-scheduler', containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu: '100m', memory: '500Mi' }, limits: { cpu: '100m', memory: '500Mi' } } }] },
  };
}

function algorithmOnly(nodes: number): { perSec: number; p50us: number; p99us: number } {
  const cache = new SchedulerCache();
  for (let i = 0; i < nodes; i++) cache.addNode(benchNode(i));
  const fw = buildFramework({}, 0);
  const lat: number[] = [];
  let start = 0;
  const began = performance.now();
  for (let i = 0; i < PODS; i++) {
    const pod = benchPod(i);
    const a = performance.now();
    const r = schedulePod(fw, new Map(), pod, cache, start, Math.random);
    start = r.nextStartIndex;
    if (r.kind === 'scheduled') cache.assumePod({ ...pod, spec: { ...pod.spec, nodeName: r.node } });
    lat.push((performance.now() - a) * 1000);
  }
  const wall = performance.now() - began;
  return { perSec: (PODS * 1000) / wall, p50us: percentile(lat, 50), p99us: percentile(lat, 99) };
}

interface E2e {
  perSec: number;
  p50ms: number;
  p99ms: number;
  bound: number;
  createWallS: number;
  /** CPU seconds per process over the measured phase and the share of one core it is. */
  cpu: Record<string, { cpuSeconds: number; coreShare: number }>;
  tlsHandshakes?: number;
}

type Mode = 'procs' | 'inproc' | 'floor';
const MODE_NAMES: Record<Mode, string> = { procs: 'separate processes', inproc: 'one process', floor: 'floor' };

/**
 * endToEnd: N nodes, then PODS pods created at once, measured from the first create to the last
 * pod seen bound by a watch. 'procs': the API server (with etcd), the scheduler and this load
 * generator are separate processes, as deployed; 'inproc': all three share this process.
 */
async function endToEnd(nodes: number, mode: Mode): Promise<E2e> {
  const profDir = process.env.BENCH_CPU_PROFILE_DIR;
  const tag = `${mode}-${nodes}`;
  let api: ApiInfo;
  let apiProc: Component | undefined;
  let cluster: TestCluster | undefined;
  let handshakes = 0;
  if (mode === 'floor') {
    apiProc = await startComponent('floor-apiserver');
    api = apiProc.info as ApiInfo;
  } else if (mode === 'procs') {
    apiProc = await startComponent('apiserver', {}, API_EXEC_ARGV);
    api = apiProc.info as ApiInfo;
  } else {
    cluster = await startTestCluster();
    cluster.api.app.server.on('secureConnection', () => handshakes++);
    api = { url: cluster.url, token: cluster.token, caCert: cluster.pki.caCert, etcdPid: childNamed(process.pid, 'etcd') };
  }
  const client = new RestClient({ server: api.url, ca: api.caCert, token: api.token, userAgent: 'scheduler-bench' });
  let schedProc: Component | undefined;
  let sched: { stop(): Promise<void> } | undefined;
  try {
    // The floor binder names nodes in turn and has no cache of them to fill.
    if (mode !== 'floor') {
      await runBounded({ total: nodes, concurrency: 64, deadlineMs: 300_000 }, async (i) => void (await client.create(mustResource('nodes'), undefined, benchNode(i) as Node & KubeObject)));
      log(`${nodes} nodes created`);
    }
    const created = new Map<string, number>();
    const latencies: number[] = [];
    let lastBound = 0;
    let done!: () => void;
    const allBound = new Promise<void>((r) => (done = r));
    const watcher = new Informer<Pod & KubeObject>(restListerWatcher(client, mustResource('pods')));
    watcher.onUpdate((_o, p) => {
      const c = created.get(p.metadata.name ?? '');
      if (!p.spec.nodeName || c === undefined) return;
      created.delete(p.metadata.name ?? '');
      lastBound = performance.now();
      latencies.push(lastBound - c);
      if (latencies.length === PODS) done();
    });
    watcher.start();
    await watcher.waitForSync();
    const pids: Record<string, number> = {};
    if (mode === 'floor') {
      schedProc = await startComponent('floor-binder', { BENCH_API: JSON.stringify(api), BENCH_FLOOR_NODES: String(nodes) });
      Object.assign(pids, { 'floor API server': apiProc!.child.pid!, 'floor binder': schedProc.child.pid!, 'load generator': process.pid });
    } else if (mode === 'procs') {
      schedProc = await startComponent('scheduler', { BENCH_API: JSON.stringify(api) });
      Object.assign(pids, { apiserver: apiProc!.child.pid!, scheduler: schedProc.child.pid!, 'load generator': process.pid });
    } else {
      sched = await startScheduler({ client });
      pids['apiserver+scheduler+load generator'] = process.pid;
    }
    if (api.etcdPid) pids.etcd = api.etcdPid;
    const meter = new CpuMeter(pids);
    const procs = [apiProc, schedProc].filter((c): c is Component => c !== undefined);
    if (profDir) await Promise.all(procs.map((c) => c.profileStart()));
    meter.start();
    const first = performance.now();
    const name = mode === 'inproc' ? `scheduler-e2e-${tag}` : `scheduler-e2e-${tag}-loadgen`;
    const r = await profiled(name, async () => {
      const r = await runBounded({ total: PODS, concurrency: 64, deadlineMs: 300_000 }, async (i) => {
        created.set(`pod-${i}`, performance.now());
        await client.create(mustResource('pods'), 'default', benchPod(i) as Pod & KubeObject);
      });
      log(`${PODS} pods created in ${(r.wallMs / 1000).toFixed(1)} s (${r.errors} errors${r.firstError ? `: ${String(r.firstError)}` : ''})`);
      await Promise.race([allBound, new Promise((r2) => setTimeout(r2, 240_000))]);
      return r;
    });
    const cpu = meter.stop();
    if (profDir) {
      if (apiProc) await apiProc.profileStop(join(profDir, `scheduler-e2e-${tag}-apiserver.cpuprofile`));
      if (schedProc) await schedProc.profileStop(join(profDir, `scheduler-e2e-${tag}-scheduler.cpuprofile`));
    }
    log(`cpu over the phase: ${Object.entries(cpu).map(([k, v]) => `${k} ${v.cpuSeconds.toFixed(1)} s (${(v.coreShare * 100).toFixed(0)}% of a core)`).join(', ')}`);
    await watcher.stop();
    return {
      perSec: (latencies.length * 1000) / (lastBound - first),
      p50ms: percentile(latencies, 50),
      p99ms: percentile(latencies, 99),
      bound: latencies.length,
      createWallS: r.wallMs / 1000,
      cpu,
      tlsHandshakes: mode === 'inproc' ? handshakes : undefined,
    };
  } finally {
    await sched?.stop();
    await schedProc?.stop();
    await client.close();
    await cluster?.stop();
    await apiProc?.stop();
  }
}

async function main(): Promise<void> {
  const figures: Record<string, Figure> = {};
  const notes: string[] = [];
  for (const n of NODE_COUNTS) {
    const a = algorithmOnly(n);
    log(`algorithm ${n} nodes: ${a.perSec.toFixed(0)} decisions/s p50 ${a.p50us.toFixed(0)} µs p99 ${a.p99us.toFixed(0)} µs`);
    figures[`algorithm decisions/s, ${n} nodes`] = figure(a.perSec, 'decisions/s');
    figures[`algorithm p50, ${n} nodes`] = figure(a.p50us, 'µs');
    figures[`algorithm p99, ${n} nodes`] = figure(a.p99us, 'µs');
  }
  const floorRate = new Map<number, number>();
  for (const mode of MODES) {
    for (const n of NODE_COUNTS) {
      const e = await endToEnd(n, mode);
      const m = MODE_NAMES[mode];
      log(`e2e ${m} ${n} nodes: ${e.bound}/${PODS} bound, ${e.perSec.toFixed(0)} pods/s p50 ${e.p50ms.toFixed(0)} ms p99 ${e.p99ms.toFixed(0)} ms`);
      if (e.bound < PODS) notes.push(`${m}, ${n} nodes: only ${e.bound}/${PODS} pods bound before the deadline.`);
      if (mode === 'floor') floorRate.set(n, e.perSec);
      const floor = floorRate.get(n);
      figures[`e2e pods bound/s, ${m}, ${n} nodes, ${PODS} pods`] =
        mode === 'floor' || floor === undefined
          ? figure(e.perSec, 'pods/s', 680, 'kube-scheduler CI floor')
          : figure(e.perSec, 'pods/s', floor, 'floor (same run)');
      figures[`e2e created→bound p50, ${m}, ${n} nodes`] = figure(e.p50ms, 'ms');
      figures[`e2e created→bound p99, ${m}, ${n} nodes`] = figure(e.p99ms, 'ms');
      figures[`e2e pods created/s by the load generator, ${m}, ${n} nodes`] = figure(PODS / e.createWallS, 'pods/s');
      for (const [proc, c] of Object.entries(e.cpu)) {
        figures[`e2e CPU share of one core, ${m}, ${n} nodes: ${proc}`] = figure(c.coreShare * 100, '%');
        // CPU per bound pod says what one core could sustain, whatever else the machine runs.
        figures[`e2e CPU per pod, ${m}, ${n} nodes: ${proc}`] = figure((c.cpuSeconds * 1000) / Math.max(1, e.bound), 'ms');
      }
      if (e.tlsHandshakes !== undefined) figures[`e2e TLS handshakes at the API server, ${m}, ${n} nodes`] = figure(e.tlsHandshakes, 'connections');
    }
  }
  const out = writeResults('scheduler', figures, meta(['"floor": the same three processes and requests with no Skiff logic (test/bench/lib/floor.ts: fastify over TLS, etcd3, undici and JSON only; nodes are named, not created), the least this stack can cost. "separate processes": the API server (etcd its child), the scheduler and the load generator (creates pods, watches them bound) are three Node processes, as deployed; "one process": all three share one Node process (etcd a child). CPU share: CPU seconds of each process over the measured phase ÷ its wall time (2 cores = 200 %).', `Load average at the start: ${LOAD_AT_START}.`, ...notes].join(' ')));
  log(`wrote ${out.json} and ${out.md}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
