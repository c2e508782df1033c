// Benchmark: the API server against raw etcd, in the same run on the same etcd.
//   creates/s and latency at concurrency 1, 16, 64 (ConfigMaps)  vs  etcd create-if-absent txns
//   LIST of 10,000 pods from the watch cache and from etcd        vs  an etcd range read
//   watch delivery latency with 100 watchers                      vs  100 etcd3 watchers
//   memory held for 10,000 pods                                   vs  their bytes in etcd
// The API server runs inside this process (the load generator shares its event loop and CPU),
// so figures are a floor for what a separate server process would do.
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { Etcd3 } from 'etcd3';
import { startTestCluster, type TestCluster } from '../integration/harness.js';
import { apiClient, openWatch, type ApiClient, type Target, type WatchStream } from './lib/api-client.js';
import { runBounded, withTimeout, type RunResult } from './lib/pool.js';
import { figure, meta, writeResults, type Figure } from './lib/results.js';
import { profiled } from './lib/profile.js';
import { percentile, round, summarize, type Summary } from './lib/stats.js';

const CREATE_LEVELS = [
  { concurrency: 1, total: 200 },
  { concurrency: 16, total: 1000 },
  { concurrency: 64, total: 1000 },
];
/** Rounds per level; each round is one etcd run then one API run of `total` creates. */
const CREATE_ROUNDS = 2;
const PODS = 10_000;
const LIST_RUNS = 20;
const CONSISTENT_LIST_RUNS = 3;
const WATCHERS = 100;
const WATCH_EVENTS = 200;
const OVERALL_DEADLINE_MS = 8 * 60_000;
const SENT_ANNOTATION = 'bench/sent';
const SENT_RE = /"bench\/sent":"([0-9.]+)"/;

interface Ctx {
  cluster: TestCluster;
  target: Target;
  api: ApiClient;
  etcd: Etcd3;
  figures: Record<string, Figure>;
  cleanups: (() => Promise<void> | void)[];
  /** Things that did not work, written into the results' notes. */
  failures: string[];
  etcdListP50?: number;
}

/** The baseline's own etcd client; 10,000 pods (~6 MB) exceed gRPC's default 4 MB receive limit. */
function rawEtcd(endpoint: string): Etcd3 {
  return new Etcd3({ hosts: endpoint, grpcOptions: { 'grpc.max_receive_message_length': 256 * 2 ** 20 } });
}

const t0 = performance.now();
function log(msg: string): void {
  console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
}

function configMap(name: string, annotations?: Record<string, string>): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { app: 'bench' }, ...(annotations ? { annotations } : {}) },
    data: { 'config.yaml': 'x'.repeat(200) },
  };
}

function pod(name: string): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

function checked(what: string, r: RunResult, want: number): RunResult {
  if (r.errors > 0 || r.latenciesMs.length < want) {
    throw new Error(`${what}: ${r.latenciesMs.length}/${want} done, ${r.errors} errors: ${String(r.firstError)}`);
  }
  return r;
}

/** The exact bytes the API server stored for one ConfigMap, so raw etcd writes the same size. */
async function storedConfigMapBytes(ctx: Ctx): Promise<string> {
  await ctx.api.expect(201, 'POST', '/api/v1/namespaces/default/configmaps', configMap('size-probe'));
  const value = await ctx.etcd.get('/registry/configmaps/default/size-probe').string();
  if (!value) throw new Error('size-probe ConfigMap not found in etcd');
  return value;
}

async function etcdCreates(ctx: Ctx, prefix: string, value: string, total: number, concurrency: number): Promise<RunResult> {
  const r = await runBounded({ total, concurrency, deadlineMs: 60_000 }, async (i) => {
    const key = `${prefix}${i}`;
    const res = await ctx.etcd.if(key, 'Create', '==', 0).then(ctx.etcd.put(key).value(value)).commit();
    if (!res.succeeded) throw new Error(`etcd key ${key} already existed`);
  });
  return checked(`etcd creates c=${concurrency}`, r, total);
}

/** What a create costs in etcd when it first reads the namespace: a range read, then the txn. */
async function etcdGetThenCreates(ctx: Ctx, prefix: string, value: string, total: number, concurrency: number): Promise<RunResult> {
  const r = await runBounded({ total, concurrency, deadlineMs: 60_000 }, async (i) => {
    const key = `${prefix}${i}`;
    if (!(await ctx.etcd.get('/registry/namespaces/default').string())) throw new Error('namespace default not in etcd');
    const res = await ctx.etcd.if(key, 'Create', '==', 0).then(ctx.etcd.put(key).value(value)).commit();
    if (!res.succeeded) throw new Error(`etcd key ${key} already existed`);
  });
  return checked(`etcd get+creates c=${concurrency}`, r, total);
}

async function apiCreates(ctx: Ctx, tag: string, total: number, concurrency: number): Promise<RunResult> {
  const r = await runBounded({ total, concurrency, deadlineMs: 60_000 }, async (i) => {
    await ctx.api.expect(201, 'POST', '/api/v1/namespaces/default/configmaps', configMap(`cm-${tag}-${i}`));
  });
  return checked(`API creates c=${concurrency}`, r, total);
}

/** Pools the runs of several rounds: every latency, and the summed wall time. */
function pooled(runs: RunResult[]): Summary {
  const wall = runs.reduce((n, r) => n + r.wallMs, 0);
  return summarize(runs.flatMap((r) => r.latenciesMs), wall);
}

async function benchCreateLevel(ctx: Ctx, value: string, c: number, total: number): Promise<void> {
  const raw: RunResult[] = [];
  const api: RunResult[] = [];
  // Rounds alternate etcd and API server so drift on a noisy machine hits both sides alike.
  for (let round = 0; round < CREATE_ROUNDS; round++) {
    raw.push(await etcdCreates(ctx, `/bench-raw/c${c}-r${round}/`, value, total, c));
    api.push(await profiled(`creates-api-c${c}-r${round}`, () => apiCreates(ctx, `c${c}-r${round}`, total, c)));
  }
  const e = pooled(raw);
  const a = pooled(api);
  log(`creates c=${c}: API ${a.perSecond.toFixed(0)}/s p50 ${a.p50.toFixed(1)} ms p99 ${a.p99.toFixed(1)} ms | etcd ${e.perSecond.toFixed(0)}/s p50 ${e.p50.toFixed(1)} ms p99 ${e.p99.toFixed(1)} ms`);
  ctx.figures[`create_c${c}_throughput`] = figure(a.perSecond, 'creates/s', e.perSecond, `etcd txn/s c=${c}`);
  ctx.figures[`create_c${c}_p50`] = figure(a.p50, 'ms', e.p50, `etcd txn p50 c=${c}`);
  ctx.figures[`create_c${c}_p99`] = figure(a.p99, 'ms', e.p99, `etcd txn p99 c=${c}`);
  // Diagnostic: the API server reads the namespace from etcd before each create (two round trips).
  const g = pooled([await etcdGetThenCreates(ctx, `/bench-raw/get-c${c}/`, value, total, c)]);
  log(`creates c=${c}: etcd get+txn ${g.perSecond.toFixed(0)}/s p50 ${g.p50.toFixed(1)} ms`);
  ctx.figures[`diag_etcd_get_then_txn_c${c}_throughput`] = figure(g.perSecond, 'ops/s', e.perSecond, `etcd txn/s c=${c}`);
}

async function benchCreates(ctx: Ctx): Promise<void> {
  const value = await storedConfigMapBytes(ctx);
  log(`creates: stored ConfigMap is ${value.length} bytes; warming up`);
  await etcdCreates(ctx, '/bench-raw/warmup/', value, 200, 16);
  await apiCreates(ctx, 'warmup', 200, 16);
  for (const { concurrency, total } of CREATE_LEVELS) {
    await benchCreateLevel(ctx, value, concurrency, total);
  }
}

function memory(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage();
}

async function waitFor(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function loadPods(ctx: Ctx): Promise<void> {
  const api = apiClient(ctx.target, 64);
  ctx.cleanups.push(() => api.close());
  const r = await runBounded({ total: PODS, concurrency: 64, deadlineMs: 180_000 }, async (i) => {
    await api.expect(201, 'POST', '/api/v1/namespaces/default/pods', pod(`p-${i}`));
  });
  checked('pod creates', r, PODS);
  const s = summarize(r.latenciesMs, r.wallMs);
  log(`pods: ${PODS} created at c=64 in ${(r.wallMs / 1000).toFixed(1)} s (${s.perSecond.toFixed(0)}/s, p99 ${s.p99.toFixed(1)} ms)`);
  ctx.figures.pod_create_c64_throughput = figure(s.perSecond, 'creates/s');
  await api.close();
  const cache = ctx.cluster.api.stores.get('pods')!.cache;
  await waitFor('the pod watch cache', () => cache.size >= PODS, 30_000);
}

async function storedPodBytes(ctx: Ctx): Promise<number> {
  const res = await ctx.etcd.getAll().prefix('/registry/pods/default/').exec();
  return res.kvs.reduce((n, kv) => n + kv.key.length + kv.value.length, 0);
}

async function benchMemory(ctx: Ctx): Promise<void> {
  const before = memory();
  log(`memory before pods: rss ${(before.rss / 2 ** 20).toFixed(0)} MiB heap ${(before.heapUsed / 2 ** 20).toFixed(0)} MiB`);
  await profiled('load-pods', () => loadPods(ctx));
  const after = memory();
  const stored = await storedPodBytes(ctx);
  const heap = after.heapUsed - before.heapUsed;
  const rss = after.rss - before.rss;
  log(`memory after pods: heap +${(heap / 2 ** 20).toFixed(1)} MiB rss +${(rss / 2 ** 20).toFixed(1)} MiB; etcd holds ${(stored / 2 ** 20).toFixed(1)} MiB`);
  const gcNote = (globalThis as { gc?: unknown }).gc ? 'etcd bytes (keys+values)' : 'etcd bytes (no gc: run with --expose-gc)';
  ctx.figures.memory_10k_pods_heap_delta = figure(heap / 2 ** 20, 'MiB', stored / 2 ** 20, gcNote);
  ctx.figures.memory_10k_pods_rss_delta = figure(rss / 2 ** 20, 'MiB', stored / 2 ** 20, gcNote);
}

async function timeRuns(runs: number, fn: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

async function listPods(ctx: Ctx, query: string): Promise<void> {
  // Bytes are counted, not decoded: the client shares the server's event loop, so it stays cheap.
  const bytes = await ctx.api.drain(200, `/api/v1/namespaces/default/pods${query}`);
  if (bytes < PODS * 100) throw new Error(`LIST${query} answered only ${bytes} bytes`);
}

/** A consistent LIST in pages of 500, as kubectl and informers ask for it; returns the item count. */
async function listPodsPaged(ctx: Ctx): Promise<number> {
  let items = 0;
  let token = '';
  for (let page = 0; page < PODS / 100; page++) {
    const q = `?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const body = JSON.parse(await ctx.api.expect(200, 'GET', `/api/v1/namespaces/default/pods${q}`)) as { items: unknown[]; metadata: { continue?: string } };
    items += body.items.length;
    token = body.metadata.continue ?? '';
    if (!token) return items;
  }
  throw new Error('paged LIST did not end');
}

async function benchPagedList(ctx: Ctx, etcdP50: number): Promise<void> {
  let count = 0;
  const pagedMs = await profiled('list-paged', () => timeRuns(CONSISTENT_LIST_RUNS, async () => void (count = await listPodsPaged(ctx))));
  if (count < PODS) throw new Error(`paged LIST returned ${count} pods, want ${PODS}`);
  log(`LIST 10k pods consistent, pages of 500: p50 ${percentile(pagedMs, 50).toFixed(1)} ms`);
  ctx.figures.list_10k_pods_consistent_paged500_p50 = figure(percentile(pagedMs, 50), 'ms', etcdP50, 'etcd range read p50');
}

/**
 * The consistent LIST without a limit reads all 10,000 pods in one etcd range. It runs last: when
 * the range is larger than the server's gRPC receive limit it fails, and the failure can open the
 * etcd client's circuit breaker, so the probe also measures how long the server stays unavailable.
 */
async function benchUnpagedList(ctx: Ctx): Promise<void> {
  const unpaged = await ctx.api.send('GET', '/api/v1/namespaces/default/pods');
  if (unpaged.status === 200) {
    const ms = await timeRuns(CONSISTENT_LIST_RUNS, () => listPods(ctx, ''));
    log(`LIST 10k pods consistent (one range): p50 ${percentile(ms, 50).toFixed(1)} ms`);
    ctx.figures.list_10k_pods_consistent_p50 = figure(percentile(ms, 50), 'ms', ctx.etcdListP50, 'etcd range read p50');
    return;
  }
  const msg = `consistent LIST of 10k pods without limit: ${unpaged.status} ${unpaged.text.slice(0, 160)}`;
  log(msg);
  ctx.failures.push(msg);
  const start = performance.now();
  let healthy = false;
  while (!healthy && performance.now() - start < 60_000) {
    await new Promise((r) => setTimeout(r, 100));
    healthy = (await ctx.api.send('GET', '/api/v1/namespaces/default/configmaps?limit=1')).status === 200;
  }
  const outage = performance.now() - start;
  log(`after the failed LIST, consistent reads failed for ${(outage / 1000).toFixed(1)} s${healthy ? '' : ' (still failing)'}`);
  ctx.figures.unpaged_list_failure_outage = figure(outage, 'ms', undefined, 'consistent reads failing after it');
}

async function benchList(ctx: Ctx): Promise<void> {
  const first = JSON.parse(await ctx.api.expect(200, 'GET', '/api/v1/namespaces/default/pods?resourceVersion=0')) as { items: unknown[] };
  if (first.items.length < PODS) throw new Error(`LIST returned ${first.items.length} pods, want ${PODS}`);
  const rangeRead = async () => void (await ctx.etcd.getAll().prefix('/registry/pods/default/').exec());
  await rangeRead();
  const etcdMs = await timeRuns(LIST_RUNS, rangeRead);
  const cachedMs = await profiled('list-cache', () => timeRuns(LIST_RUNS, () => listPods(ctx, '?resourceVersion=0')));
  const e50 = percentile(etcdMs, 50);
  log(`LIST 10k pods: cache p50 ${percentile(cachedMs, 50).toFixed(1)} ms p99 ${percentile(cachedMs, 99).toFixed(1)} ms | etcd range p50 ${e50.toFixed(1)} ms`);
  ctx.figures.list_10k_pods_cache_p50 = figure(percentile(cachedMs, 50), 'ms', e50, 'etcd range read p50');
  ctx.figures.list_10k_pods_cache_p99 = figure(percentile(cachedMs, 99), 'ms', percentile(etcdMs, 99), 'etcd range read p99');
  ctx.etcdListP50 = e50;
  await benchPagedList(ctx, e50);
}

/** Counts deliveries and their latency; a latency is receive time minus the send time in the event. */
class Deliveries {
  readonly latenciesMs: number[] = [];
  record(sent: number): void {
    this.latenciesMs.push(performance.now() - sent);
  }
  recordLine(line: string): void {
    const m = SENT_RE.exec(line);
    if (m && line.includes('"type":"ADDED"')) this.record(Number(m[1]));
  }
}

async function apiWatchDelivery(ctx: Ctx): Promise<number[]> {
  await ctx.api.expect(201, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench-watch' } });
  const list = JSON.parse(await ctx.api.expect(200, 'GET', '/api/v1/namespaces/bench-watch/configmaps')) as { metadata: { resourceVersion: string } };
  const dispatcher = new Agent({ connect: { ca: ctx.target.caCert }, connections: WATCHERS + 8 });
  ctx.cleanups.push(() => dispatcher.destroy());
  const d = new Deliveries();
  const path = `/api/v1/namespaces/bench-watch/configmaps?watch=1&resourceVersion=${list.metadata.resourceVersion}`;
  const streams: WatchStream[] = [];
  ctx.cleanups.push(() => streams.forEach((s) => s.close()));
  const opened = Array.from({ length: WATCHERS }, async () => void streams.push(await openWatch(ctx.target, dispatcher, path, (l) => d.recordLine(l))));
  await withTimeout(Promise.all(opened), 30_000, 'opening API watches');
  log(`watch: ${WATCHERS} API watches open; creating ${WATCH_EVENTS} ConfigMaps`);
  for (let i = 0; i < WATCH_EVENTS; i++) {
    const cm = configMap(`w-${i}`, { [SENT_ANNOTATION]: String(performance.now()) });
    await ctx.api.expect(201, 'POST', '/api/v1/namespaces/bench-watch/configmaps', cm);
  }
  await waitFor('API watch deliveries', () => d.latenciesMs.length >= WATCHERS * WATCH_EVENTS, 30_000).catch((e) => log(String(e)));
  streams.forEach((s) => s.close());
  await withTimeout(Promise.allSettled(streams.map((s) => s.done)), 10_000, 'closing API watches');
  await dispatcher.close();
  return d.latenciesMs;
}

async function etcdWatchDelivery(ctx: Ctx, pad: string): Promise<number[]> {
  const d = new Deliveries();
  const watchers = await withTimeout(
    Promise.all(Array.from({ length: WATCHERS }, () => ctx.etcd.watch().prefix('/bench-watch-raw/').create())),
    30_000,
    'opening etcd watches',
  );
  ctx.cleanups.push(() => Promise.allSettled(watchers.map((w) => w.cancel())).then(() => {}));
  for (const w of watchers) w.on('put', (kv) => d.recordLine(`"type":"ADDED" ${kv.value.toString()}`));
  for (let i = 0; i < WATCH_EVENTS; i++) {
    const key = `/bench-watch-raw/w-${i}`;
    const value = JSON.stringify({ metadata: { annotations: { [SENT_ANNOTATION]: String(performance.now()) } }, pad });
    await ctx.etcd.if(key, 'Create', '==', 0).then(ctx.etcd.put(key).value(value)).commit();
  }
  await waitFor('etcd watch deliveries', () => d.latenciesMs.length >= WATCHERS * WATCH_EVENTS, 30_000).catch((e) => log(String(e)));
  await Promise.allSettled(watchers.map((w) => w.cancel()));
  return d.latenciesMs;
}

async function benchWatch(ctx: Ctx): Promise<void> {
  const raw = await etcdWatchDelivery(ctx, 'x'.repeat(400));
  const api = await profiled('watch', () => apiWatchDelivery(ctx));
  const want = WATCHERS * WATCH_EVENTS;
  log(`watch: API ${api.length}/${want} p50 ${percentile(api, 50).toFixed(1)} ms p99 ${percentile(api, 99).toFixed(1)} ms | etcd ${raw.length}/${want} p50 ${percentile(raw, 50).toFixed(1)} ms p99 ${percentile(raw, 99).toFixed(1)} ms`);
  ctx.figures.watch_100_delivery_p50 = figure(percentile(api, 50), 'ms', percentile(raw, 50), 'etcd3 watchers p50');
  ctx.figures.watch_100_delivery_p99 = figure(percentile(api, 99), 'ms', percentile(raw, 99), 'etcd3 watchers p99');
  ctx.figures.watch_100_delivered = figure(api.length, 'events', raw.length, `etcd3 events (want ${want})`);
}

async function cleanup(ctx: Ctx | undefined, cluster: TestCluster | undefined): Promise<void> {
  for (const fn of ctx?.cleanups.reverse() ?? []) await Promise.resolve().then(fn).catch(() => {});
  await ctx?.api.close().catch(() => {});
  ctx?.etcd.close();
  await cluster?.stop().catch((e) => console.error('stopping the cluster:', e));
}

async function main(): Promise<void> {
  let cluster: TestCluster | undefined;
  let ctx: Ctx | undefined;
  const watchdog = setTimeout(() => {
    console.error(`benchmark exceeded ${OVERALL_DEADLINE_MS / 1000} s; stopping`);
    void withTimeout(cleanup(ctx, cluster), 20_000, 'cleanup').finally(() => process.exit(2));
  }, OVERALL_DEADLINE_MS);
  process.once('SIGINT', () => void withTimeout(cleanup(ctx, cluster), 20_000, 'cleanup').finally(() => process.exit(130)));
  try {
    log('starting etcd and the API server');
    cluster = await startTestCluster();
    const target = { url: cluster.url, token: cluster.token, caCert: cluster.pki.caCert };
    ctx = { cluster, target, api: apiClient(target, 64), etcd: rawEtcd(cluster.etcd.endpoint), figures: {}, cleanups: [], failures: [] };
    await benchCreates(ctx);
    await benchMemory(ctx);
    await benchList(ctx);
    await benchWatch(ctx);
    await benchUnpagedList(ctx);
    const notes = [
      'The API server runs in the benchmark process (load generator and server share one event loop). ratio = value ÷ baseline.',
      ...ctx.failures.map((f) => `FAILED: ${f}`),
    ].join('\n\n');
    const out = writeResults('apiserver', ctx.figures, meta(notes));
    log(`wrote ${out.json} and ${out.md}`);
  } finally {
    await cleanup(ctx, cluster);
    clearTimeout(watchdog);
  }
  log(`done in ${round((performance.now() - t0) / 1000, 1)} s`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('benchmark failed:', err);
    process.exit(1);
  },
);
