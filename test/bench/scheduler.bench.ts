// Benchmark: the scheduler, in the style of kube-scheduler's scheduler_perf SchedulingBasic.
//   algorithm only: decisions/s over an in-memory cache of N nodes (assuming each pod), p50/p99
//   end to end: N Node objects (no agents) and 10,000 pods with requests created at once through
//   the API; pods bound/s from the first create to the last pod seen bound by a watch, and
//   per-pod created→bound latency p50/p99.
// The API server, etcd client and the scheduler share this process (etcd is a child process),
// so the end-to-end figures are a floor for separate processes on more cores.
import { performance } from 'node:perf_hooks';
import { startTestCluster } from '../integration/harness.js';
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
import { percentile } from './lib/stats.js';

const NODE_COUNTS = (process.env.BENCH_NODES ?? '500,5000').split(',').map(Number);
const PODS = Number(process.env.BENCH_PODS ?? 10_000);
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

async function endToEnd(nodes: number): Promise<{ perSec: number; p50ms: number; p99ms: number; bound: number }> {
  const cluster = await startTestCluster();
  const client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
  try {
    await runBounded({ total: nodes, concurrency: 64, deadlineMs: 300_000 }, async (i) => void (await client.create(mustResource('nodes'), undefined, benchNode(i) as Node & KubeObject)));
    log(`${nodes} nodes created`);
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
    const sched = await startScheduler({ client });
    const first = performance.now();
    const res = await profiled(`scheduler-e2e-${nodes}`, async () => {
      const r = await runBounded({ total: PODS, concurrency: 64, deadlineMs: 300_000 }, async (i) => {
        const sent = performance.now();
        created.set(`pod-${i}`, sent);
        await client.create(mustResource('pods'), 'default', benchPod(i) as Pod & KubeObject);
      });
      log(`${PODS} pods created in ${(r.wallMs / 1000).toFixed(1)} s (${r.errors} errors)`);
      await Promise.race([allBound, new Promise((r2) => setTimeout(r2, 240_000))]);
      return r;
    });
    void res;
    await sched.stop();
    await watcher.stop();
    return { perSec: (latencies.length * 1000) / (lastBound - first), p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99), bound: latencies.length };
  } finally {
    await client.close();
    await cluster.stop();
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
  for (const n of NODE_COUNTS) {
    const e = await endToEnd(n);
    log(`e2e ${n} nodes: ${e.bound}/${PODS} bound, ${e.perSec.toFixed(0)} pods/s p50 ${e.p50ms.toFixed(0)} ms p99 ${e.p99ms.toFixed(0)} ms`);
    if (e.bound < PODS) notes.push(`${n} nodes: only ${e.bound}/${PODS} pods bound before the deadline`);
    figures[`e2e pods bound/s, ${n} nodes, ${PODS} pods`] = figure(e.perSec, 'pods/s', 680, 'kube-scheduler CI floor');
    figures[`e2e created→bound p50, ${n} nodes`] = figure(e.p50ms, 'ms');
    figures[`e2e created→bound p99, ${n} nodes`] = figure(e.p99ms, 'ms');
  }
  const out = writeResults('scheduler', figures, meta(['API server, scheduler and load generator share one Node process; etcd is a child process.', ...notes].join(' ')));
  log(`wrote ${out.json} and ${out.md}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
