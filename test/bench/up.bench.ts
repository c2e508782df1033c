// Benchmark: `skiff up` until the node is Ready (issue 9's goal: 3 s or less on a warm machine),
// with a fresh home and again with the data a `skiff down` kept; and the server's idle memory.
// Baselines from the same run: raw etcd from start to healthy on the same data (what any up must
// wait for) and a bare `node -e 0` (what each of up's four processes pays before its first line).
// Every round uses its own ports, pod range, bridge, cgroup, chains and DNS address, so a cluster
// already running on this machine is neither disturbed nor measured.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { startEtcd } from '../../apiserver/storage/etcd-process.js';
import { removeCgroup } from '../../runtime/containers/cgroup-remove.js';
import { freePort } from '../integration/harness.js';
import { figure, meta, writeResults, type Figure } from './lib/results.js';
import { percentile } from './lib/stats.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/skiff/main.js');
const FRESH_ROUNDS = Number(process.env.BENCH_UP_FRESH ?? 3);
const WARM_ROUNDS = Number(process.env.BENCH_UP_WARM ?? 7);
const id = randomBytes(3).toString('hex');
const home = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'bench'}-up-bench-`));

async function skiff(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [MAIN, ...args], { timeout: 120_000 });
  return stdout;
}

async function upArgs(): Promise<string[]> {
  const [port, etcdClient, etcdPeer, logPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  return [
    'up', '--home', home, '--port', String(port), '--node-name', `bench-${id}`, '--log-server-port', String(logPort),
    '--etcd-client-port', String(etcdClient), '--etcd-peer-port', String(etcdPeer),
    '--runtime-args', `--bridge skb${id} --cgroup-root /skiff-bench-${id}`,
    '--cluster-cidr', `10.${150 + (process.pid % 50)}.${randomBytes(1)[0]}.0/24`,
    '--agent-args', `--proxy-chain-prefix B${id.toUpperCase()} --cluster-dns-address 169.254.${1 + (randomBytes(1)[0]! % 250)}.${1 + (randomBytes(1)[0]! % 250)}`,
  ];
}

/** timedUp runs `skiff up` and returns the wall time until it returned (it returns once the node is Ready). */
async function timedUp(args: string[]): Promise<number> {
  const t = performance.now();
  const out = await skiff(args);
  const ms = performance.now() - t;
  if (!out.includes(`node bench-${id} is Ready`)) throw new Error(`skiff up did not report the node Ready:\n${out}`);
  return ms;
}

async function etcdStart(dataDir: string): Promise<number> {
  const [client, peer] = [await freePort(), await freePort()];
  const t = performance.now();
  const etcd = await startEtcd({ dataDir, clientPort: client, peerPort: peer, logFile: join(home, 'etcd-baseline.log') });
  const ms = performance.now() - t;
  await etcd.stop();
  return ms;
}

function rssMiB(pidFile: string): number {
  const pid = readFileSync(pidFile, 'utf8').trim();
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const fresh: number[] = [];
  const warm: number[] = [];
  const etcdFresh: number[] = [];
  const etcdWarm: number[] = [];
  const nodeStart: number[] = [];
  let serverRss = NaN;
  try {
    for (let i = 0; i < FRESH_ROUNDS; i++) {
      etcdFresh.push(await etcdStart(join(home, `etcd-fresh-${i}`)));
      fresh.push(await timedUp(await upArgs()));
      console.log(`fresh up ${i + 1}: ${fresh.at(-1)!.toFixed(0)} ms (etcd alone ${etcdFresh.at(-1)!.toFixed(0)} ms)`);
      await skiff(['down', '--home', home, '--purge']);
    }
    const args = await upArgs();
    await timedUp(args);
    await skiff(['down', '--home', home]);
    for (let i = 0; i < WARM_ROUNDS; i++) {
      etcdWarm.push(await etcdStart(join(home, 'data', 'etcd')));
      const t = performance.now();
      execFileSync(process.execPath, ['-e', '0']);
      nodeStart.push(performance.now() - t);
      warm.push(await timedUp(args));
      console.log(`up with data ${i + 1}: ${warm.at(-1)!.toFixed(0)} ms (etcd alone ${etcdWarm.at(-1)!.toFixed(0)} ms)`);
      if (i === WARM_ROUNDS - 1) {
        await new Promise((r) => setTimeout(r, 20_000)); // idle, as a user's cluster sits after up
        serverRss = rssMiB(join(home, 'server.pid'));
      }
      await skiff(['down', '--home', home]);
    }
  } finally {
    await skiff(['down', '--home', home, '--purge']).catch(() => undefined);
    if (existsSync(`/sys/fs/cgroup/skiff-bench-${id}`)) await removeCgroup(`/skiff-bench-${id}`).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  }
  const p50 = (xs: number[]) => percentile(xs, 50);
  const figures: Record<string, Figure> = {
    'skiff up to Ready, fresh home, p50': figure(p50(fresh), 'ms', p50(etcdFresh), 'etcd alone start→healthy, fresh data p50'),
    'skiff up to Ready, fresh home, max': figure(Math.max(...fresh), 'ms', 3000, 'goal'),
    'skiff up to Ready, with data, p50': figure(p50(warm), 'ms', p50(etcdWarm), 'etcd alone start→healthy, same data p50'),
    'skiff up to Ready, with data, max': figure(Math.max(...warm), 'ms', 3000, 'goal'),
    'skiff up to Ready, with data, p50 against the goal': figure(p50(warm), 'ms', 3000, 'goal'),
    'node -e 0, p50': figure(p50(nodeStart), 'ms'),
    'server RSS 20 s after up (API server, scheduler, controllers)': figure(serverRss, 'MiB', 150, 'goal'),
  };
  const notes = [
    `${FRESH_ROUNDS} rounds from a fresh home, ${WARM_ROUNDS} again with the data \`skiff down\` kept; each round's etcd baseline ran just before it.`,
    `Rounds, fresh (ms): ${fresh.map((x) => x.toFixed(0)).join(', ')}; with data: ${warm.map((x) => x.toFixed(0)).join(', ')}.`,
    `Load average (1 min): ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after.`,
  ].join('\n');
  const { md } = writeResults('up', figures, meta(notes));
  console.log(readFileSync(md, 'utf8'));
}

await main();
