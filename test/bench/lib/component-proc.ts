// Runs one control-plane component in its own Node process for benchmarks, so the API server,
// the scheduler and the load generator each get a thread of their own (as they do when deployed).
// Parent side: startComponent(role, ...); child side: this file run with `node --import tsx`.
// The parent drives it over the IPC channel: start/stop a CPU profile of the measured phase, stop.
import { fork, type ChildProcess } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** 'floor-*': the benchmark's floor (lib/floor.ts), the same work with Skiff's own logic taken out. */
export type Role = 'apiserver' | 'scheduler' | 'floor-apiserver' | 'floor-binder';

/** Connection facts of a running test API server. */
export interface ApiInfo {
  url: string;
  token: string;
  caCert: string;
  /** pid of the etcd child (for CPU accounting). */
  etcdPid?: number;
}

type ToChild = { cmd: 'profile-start' } | { cmd: 'profile-stop'; file: string } | { cmd: 'stop' };
type FromChild = { ready: ApiInfo | true } | { profiled: string } | { stopped: true } | { error: string };

/** Component is the parent's handle on a child component process. */
export interface Component {
  child: ChildProcess;
  info: ApiInfo | true;
  profileStart(): Promise<void>;
  /** Writes the profile to file; resolves once written. */
  profileStop(file: string): Promise<void>;
  stop(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

/** startComponent forks this file as `role` and resolves once it is ready. */
export async function startComponent(role: Role, env: Record<string, string> = {}, execArgv: string[] = []): Promise<Component> {
  const child = fork(SELF, [role], { execArgv: ['--import', 'tsx', ...execArgv], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const next = <T extends FromChild>(want: (m: FromChild) => m is T): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMsg = (m: FromChild) => {
        if ('error' in m) return done(() => reject(new Error(`${role}: ${m.error}`)));
        if (want(m)) done(() => resolve(m));
      };
      const onExit = () => done(() => reject(new Error(`${role} process exited`)));
      const done = (f: () => void) => (child.off('message', onMsg), child.off('exit', onExit), f());
      child.on('message', onMsg);
      child.once('exit', onExit);
    });
  const send = (m: ToChild) => child.send(m);
  const ready = await next((m): m is { ready: ApiInfo | true } => 'ready' in m);
  return {
    child,
    info: ready.ready,
    async profileStart() {
      send({ cmd: 'profile-start' });
    },
    async profileStop(file) {
      const got = next((m): m is { profiled: string } => 'profiled' in m);
      send({ cmd: 'profile-stop', file });
      await got;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      send({ cmd: 'stop' });
      const ok = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000).unref())]);
      if (!ok) child.kill('SIGKILL');
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// child side

async function childMain(role: Role): Promise<void> {
  const reply = (m: FromChild) => process.send!(m);
  let stop: () => Promise<void>;
  if (role === 'apiserver') {
    const { startTestCluster } = await import('../../integration/harness.js');
    const { childNamed } = await import('./cpu.js');
    const cluster = await startTestCluster();
    stop = () => cluster.stop();
    reply({ ready: { url: cluster.url, token: cluster.token, caCert: cluster.pki.caCert, etcdPid: childNamed(process.pid, 'etcd') } });
  } else if (role === 'floor-apiserver') {
    const { startTestEtcd, freePort } = await import('../../integration/harness.js');
    const { ensurePki, ensureAdminToken } = await import('../../../apiserver/pki.js');
    const { startFloorServer } = await import('./floor.js');
    const { childNamed } = await import('./cpu.js');
    const etcd = await startTestEtcd();
    const pki = ensurePki(join(etcd.dir, 'pki'));
    const token = ensureAdminToken(join(etcd.dir, 'pki'));
    const server = await startFloorServer({ etcdEndpoint: etcd.endpoint, cert: pki.cert, key: pki.key, token, port: await freePort() });
    stop = async () => (await server.stop(), await etcd.stop());
    reply({ ready: { url: server.url, token, caCert: pki.caCert, etcdPid: childNamed(process.pid, 'etcd') } });
  } else if (role === 'floor-binder') {
    const { RestClient } = await import('../../../client/rest.js');
    const { startFloorBinder } = await import('./floor.js');
    const api = JSON.parse(process.env.BENCH_API ?? '{}') as ApiInfo;
    const client = new RestClient({ server: api.url, ca: api.caCert, token: api.token, userAgent: 'floor-binder' });
    const binder = await startFloorBinder(client, Number(process.env.BENCH_FLOOR_NODES ?? 1));
    stop = async () => (await binder.stop(), await client.close());
    reply({ ready: true });
  } else {
    const { RestClient } = await import('../../../client/rest.js');
    const { startScheduler } = await import('../../../scheduler/index.js');
    const api = JSON.parse(process.env.BENCH_API ?? '{}') as ApiInfo;
    const client = new RestClient({ server: api.url, ca: api.caCert, token: api.token, userAgent: 'default-scheduler' });
    const sched = await startScheduler({ client });
    stop = async () => (await sched.stop(), await client.close());
    reply({ ready: true });
  }
  const session = new Session();
  session.connect();
  process.on('message', (m: ToChild) => {
    void (async () => {
      if (m.cmd === 'profile-start') {
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 500 });
        await session.post('Profiler.start');
      } else if (m.cmd === 'profile-stop') {
        const { profile } = await session.post('Profiler.stop');
        mkdirSync(dirname(m.file), { recursive: true });
        writeFileSync(m.file, JSON.stringify(profile));
        reply({ profiled: m.file });
      } else {
        await stop();
        reply({ stopped: true });
        process.exit(0);
      }
    })().catch((err: Error) => reply({ error: err.stack ?? String(err) }));
  });
  process.on('disconnect', () => void stop().finally(() => process.exit(0)));
}

if (process.argv[1] === SELF && process.send) {
  childMain(process.argv[2] as Role).catch((err: Error) => {
    process.send!({ error: err.stack ?? String(err) });
    process.exit(1);
  });
}

