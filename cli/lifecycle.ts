// `skiff up` and `skiff down`: a whole cluster on this machine in the background (control plane,
// runtime, node agent), each a process of its own with its pid and log under $SKIFF_HOME.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RestClient } from '../client/rest.js';
import { isStatusError } from '../api/errors.js';
import { mustResource } from '../api/registry.js';
import { connectRuntime } from '../runtime/service/client.js';
import { runtimeSocket } from './runtime-process.js';
import { DNS_LINK, NODE_LOCAL_DNS } from '../kubelet/dns/index.js';
import { removeDnsAddress } from '../kubelet/dns/link.js';
import { cleanupNodeNetwork } from '../kubelet/proxy/index.js';
import { removeCgroup } from '../runtime/containers/cgroup-remove.js';

export interface UpOptions {
  home: string;
  port: number;
  nodeName: string;
  timeoutMs: number;
  say: (line: string) => void;
  serverArgs?: string[];
  agentArgs?: string[];
  /** Arguments for the runtime, started beside the control plane rather than after it. */
  runtimeArgs?: string[];
}

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

function pidFile(home: string, what: string): string {
  return join(home, `${what}.pid`);
}

export function runningPid(home: string, what: string): number | undefined {
  const file = pidFile(home, what);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

function startDetached(home: string, what: string, args: string[]): number {
  mkdirSync(join(home, 'logs'), { recursive: true });
  const log = openSync(join(home, 'logs', `${what}.log`), 'a');
  const child = spawn(process.execPath, [...process.execArgv, MAIN, ...args], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(pidFile(home, what), `${child.pid}\n`);
  return child.pid!;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function nodeReady(node: { status?: { conditions?: { type: string; status: string }[] } }): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export async function up(o: UpOptions): Promise<void> {
  const started = Date.now();
  const kubeconfig = join(o.home, 'kubeconfig');
  if (runningPid(o.home, 'server') && runningPid(o.home, 'agent')) {
    o.say(`Skiff is already running (server pid ${runningPid(o.home, 'server')}, agent pid ${runningPid(o.home, 'agent')}).`);
  } else {
    if (!runningPid(o.home, 'server')) {
      o.say('starting the control plane (etcd, API server, scheduler, controllers)');
      rmSync(kubeconfig, { force: true });
      rmSync(join(o.home, 'join-token'), { force: true });
      startDetached(o.home, 'server', ['server', '--home', o.home, '--port', String(o.port), ...(o.serverArgs ?? [])]);
    }
    // The runtime needs nothing from the API server: starting it now overlaps its start-up with
    // etcd's and the API server's instead of adding it after them.
    if (!runningPid(o.home, 'runtime')) startDetached(o.home, 'runtime', ['runtime', '--home', o.home, ...(o.runtimeArgs ?? [])]);
    await until('the API server', o.timeoutMs, async () => (existsSync(kubeconfig) ? true : undefined));
    const client = RestClient.fromKubeconfig(kubeconfig, 'skiff-up');
    await until('the API server', o.timeoutMs, () => client.list(mustResource('namespaces')));
    // The agent joins with a bootstrap token like an agent on another host, and then runs as system:node:<name>.
    const joinToken = await until('the join token', o.timeoutMs, async () =>
      existsSync(join(o.home, 'join-token')) ? readFileSync(join(o.home, 'join-token'), 'utf8').trim() : undefined,
    );
    o.say(`starting the node agent and runtime for node ${o.nodeName}`);
    const server = `https://127.0.0.1:${o.port}`;
    startDetached(o.home, 'agent', ['agent', '--home', o.home, '--server', server, '--token', joinToken, '--node-name', o.nodeName, ...(o.agentArgs ?? [])]);
    client.close();
  }
  const client = RestClient.fromKubeconfig(kubeconfig, 'skiff-up');
  try {
    await until(`node ${o.nodeName} to be Ready`, o.timeoutMs, async () => {
      const node = await client.get(mustResource('nodes'), undefined, o.nodeName).catch((err) => {
        if (isStatusError(err, 'NotFound')) return undefined;
        throw err;
      });
      return node && nodeReady(node as Parameters<typeof nodeReady>[0]) ? true : undefined;
    });
  } finally {
    client.close();
  }
  o.say(`node ${o.nodeName} is Ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

export interface DownOptions {
  home: string;
  purge: boolean;
  say: (line: string) => void;
}

async function stopPid(home: string, what: string, say: (l: string) => void): Promise<void> {
  const pid = runningPid(home, what);
  if (pid) {
    say(`stopping the ${what} (pid ${pid})`);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (runningPid(home, what) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (runningPid(home, what)) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile(home, what), { force: true });
}

/** Removes every pod sandbox (and so every container) the runtime holds. */
async function removePods(home: string, say: (l: string) => void): Promise<void> {
  const socket = runtimeSocket(home);
  if (!existsSync(socket)) return;
  const rt = connectRuntime(socket);
  try {
    const sandboxes = await rt.listPodSandbox();
    if (sandboxes.length) say(`removing ${sandboxes.length} pod sandbox(es)`);
    for (const s of sandboxes) {
      await rt.stopPodSandbox(s.id);
      await rt.removePodSandbox(s.id);
    }
  } catch (err) {
    say(`could not reach the runtime to remove pods: ${(err as Error).message}`);
  } finally {
    rt.close();
  }
}

/** The agent removes its iptables chains and pod routes when it stops; this covers one that was killed. */
async function removeNodeNetwork(say: (l: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) return; // a non-root agent could not have made any
  const r = await cleanupNodeNetwork().catch((err: Error) => (say(`could not remove the service proxy rules: ${err.message}`), undefined));
  if (r?.chains || r?.routes) say(`removed the service proxy chains${r.routes ? ` and ${r.routes} pod route(s)` : ''}`);
  // An agent that stopped cleanly took its DNS address away; one that was killed left it behind.
  await removeDnsAddress(DNS_LINK, NODE_LOCAL_DNS).catch(() => undefined);
}

/** Removes the runtime's parent cgroup, empty once its pods are gone (the runtime makes it again). */
async function removePodCgroups(home: string, say: (l: string) => void): Promise<void> {
  const file = join(home, 'runtime.cgroup-root');
  if (!existsSync(file) || process.getuid?.() !== 0) return;
  const root = readFileSync(file, 'utf8').trim();
  if (!root || root === '/') return;
  await removeCgroup(root).catch((err: Error) => say(`could not remove the cgroup ${root}: ${err.message}`));
}

export async function down(o: DownOptions): Promise<void> {
  await stopPid(o.home, 'agent', o.say);
  await removeNodeNetwork(o.say);
  await removePods(o.home, o.say);
  await stopPid(o.home, 'runtime', o.say);
  await removePodCgroups(o.home, o.say);
  await stopPid(o.home, 'server', o.say);
  if (o.purge) {
    const bridgeFile = join(o.home, 'runtime.bridge');
    const bridge = existsSync(bridgeFile) ? readFileSync(bridgeFile, 'utf8').trim() : undefined;
    o.say(`removing ${o.home}${bridge ? ` and the pod bridge ${bridge}` : ''}`);
    rmSync(o.home, { recursive: true, force: true });
    // The CNI bridge outlives its last pod; with the data gone nothing will use it again.
    if (bridge) spawnSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
  }
}
