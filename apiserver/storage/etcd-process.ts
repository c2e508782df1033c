// Runs a real etcd as a child process: for `skiff server`, hack/up.sh and the test harness.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';

export interface EtcdProcessOptions {
  dataDir: string;
  clientPort: number;
  peerPort: number;
  name?: string;
  binary?: string;
  /** Where etcd's own log goes; defaults to `<dataDir>/../etcd.log`. */
  logFile?: string;
}

export interface EtcdProcess {
  endpoint: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A started etcd and its first health check, which rejects when etcd dies or never gets healthy. */
export interface SpawnedEtcd extends EtcdProcess {
  healthy: Promise<void>;
}

export async function startEtcd(opts: EtcdProcessOptions): Promise<EtcdProcess> {
  const etcd = spawnEtcd(opts);
  await etcd.healthy;
  return etcd;
}

/**
 * spawnEtcd starts etcd without waiting for it, so a caller can load its own modules meanwhile
 * (etcd's start and the API server's imports each take about a second).
 */
export function spawnEtcd(opts: EtcdProcessOptions): SpawnedEtcd {
  mkdirSync(opts.dataDir, { recursive: true });
  const endpoint = `http://127.0.0.1:${opts.clientPort}`;
  const peer = `http://127.0.0.1:${opts.peerPort}`;
  const log = openSync(opts.logFile ?? join(opts.dataDir, '..', 'etcd.log'), 'a');
  const child = spawn(
    opts.binary ?? 'etcd',
    [
      `--name=${opts.name ?? 'skiff'}`,
      `--data-dir=${opts.dataDir}`,
      `--listen-client-urls=${endpoint}`,
      `--advertise-client-urls=${endpoint}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=${opts.name ?? 'skiff'}=${peer}`,
      '--quota-backend-bytes=8589934592',
      '--snapshot-count=50000',
      // One member campaigns alone after an election timeout (randomised up to twice it) on every
      // restart, and has no peer to miss: keep it short (5 heartbeats, etcd's minimum ratio).
      // 100 ms makes a restarted etcd healthy in ~0.25 s instead of ~0.65 s.
      '--heartbeat-interval=20',
      '--election-timeout=100',
    ],
    { stdio: ['ignore', log, log], detached: false },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const healthy = waitHealthy(endpoint, child);
  healthy.catch(() => undefined); // awaited by the caller, maybe only after its imports
  return {
    endpoint,
    child,
    healthy,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Waits until etcd's /health says it has a leader and serves reads, or fails when the process dies
 * first. Plain HTTP on every try: a gRPC channel that failed while etcd was still starting waits
 * out its reconnect back-off (seconds) even once etcd is up.
 */
export async function waitHealthy(endpoint: string, child?: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode}`);
    try {
      const { status, body } = await getHealth(`${endpoint}/health`);
      if (status === 200 && (JSON.parse(body) as { health?: string }).health === 'true') return;
      last = `health ${status} ${body}`;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`etcd at ${endpoint} not healthy: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** getHealth GETs url with node:http (fetch would load its own HTTP stack, ~50 ms of a server's start). */
function getHealth(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}
