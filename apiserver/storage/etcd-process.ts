// Runs a real etcd as a child process: for `skiff server`, hack/up.sh and the test harness.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';

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

export async function startEtcd(opts: EtcdProcessOptions): Promise<EtcdProcess> {
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
    ],
    { stdio: ['ignore', log, log], detached: false },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitHealthy(endpoint, child);
  return {
    endpoint,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Waits until etcd answers a read, or fails when the process dies first. */
export async function waitHealthy(endpoint: string, child?: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const client = new Etcd3({ hosts: endpoint, dialTimeout: 1000 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child && child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode}`);
      try {
        await client.get('/health-probe').options({ deadline: Date.now() + 1000 }).exec();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`etcd at ${endpoint} not healthy: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.close();
  }
}
