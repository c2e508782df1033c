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
import { readAgentNetwork } from './agent-network-file.js';
import { DNS_LINK, NODE_LOCAL_DNS } from '../kubelet/dns/index.js';
import { removeDnsAddress } from '../kubelet/dns/link.js';
import { cleanupNodeNetwork } from '../kubelet/proxy/index.js';
import { removeCgroup } from '../runtime/containers/cgroup-remove.js';
import {
  createNodeNetwork, DEFAULT_NODE_NETWORK, inNetns, planNodeNetwork, removeNodeNetwork as removeNodeNamespaces, savedPlan,
  type NodeNetworkPlan, type NodeNetworkSettings,
} from './node-netns.js';

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
  /** Nodes to run: this machine, plus one network namespace per extra node (default 1). */
  nodes?: number;
  /** Pod addresses of the cluster, for the server's node IPAM and the agents' proxies. */
  clusterCidr?: string;
  /** Where the extra nodes live (default DEFAULT_NODE_NETWORK). */
  nodeNetwork?: NodeNetworkSettings;
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

/** startDetached runs `skiff args...` in the background (under prefix, e.g. nsenter), its pid and log in home. */
function startDetached(home: string, what: string, args: string[], prefix: string[] = []): number {
  mkdirSync(join(home, 'logs'), { recursive: true });
  const log = openSync(join(home, 'logs', `${what}.log`), 'a');
  const argv = [...prefix, process.execPath, ...process.execArgv, MAIN, ...args];
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', log, log] });
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

/** nodeReady: Ready, as the agent reported since `since` (a Node left Ready by an agent stopped before does not count). */
function nodeReady(node: { status?: { conditions?: { type: string; status: string; lastHeartbeatTime?: string }[] } }, since: number): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  // Heartbeat times have whole seconds.
  return ready?.status === 'True' && Date.parse(ready.lastHeartbeatTime ?? '') >= Math.floor(since / 1000) * 1000;
}

/** The processes of one node: pid-file names in the cluster's home, and where the node keeps its state. */
interface NodeProcs {
  name: string;
  home: string;
  agent: string;
  runtime: string;
  /** Command prefix that puts its processes in the node's network namespace (none for this machine). */
  prefix: string[];
  ip?: string;
  /** The API server as this node reaches it. */
  server: string;
  /** Runtime arguments of its own (a cgroup apart from this machine's pods). */
  runtimeArgs: string[];
}

/** nodeProcs lists this machine's node, then the extra nodes of plan (their pid files are named after them). */
function nodeProcs(home: string, nodeName: string, port: number, plan: NodeNetworkPlan | undefined): NodeProcs[] {
  const first: NodeProcs = {
    name: nodeName, home, agent: 'agent', runtime: 'runtime', prefix: [], ip: plan?.hostIp, server: `https://127.0.0.1:${port}`, runtimeArgs: [],
  };
  const extra = (plan?.nodes ?? []).map((n) => ({
    name: n.name, home: n.home, agent: `${n.name}.agent`, runtime: `${n.name}.runtime`, prefix: inNetns(n.netns), ip: n.ip,
    server: `https://${plan!.hostIp}:${port}`, runtimeArgs: ['--cgroup-root', `/skiff-${n.name}`],
  }));
  return [first, ...extra];
}

export async function up(o: UpOptions): Promise<void> {
  const started = Date.now();
  const kubeconfig = join(o.home, 'kubeconfig');
  const count = o.nodes ?? 1;
  const plan = count > 1 ? planNodeNetwork(o.home, o.nodeName, count, o.nodeNetwork ?? DEFAULT_NODE_NETWORK) : undefined;
  const nodes = nodeProcs(o.home, o.nodeName, o.port, plan);
  const cidrArgs = o.clusterCidr ? ['--cluster-cidr', o.clusterCidr] : [];
  const allRunning = runningPid(o.home, 'server') && nodes.every((n) => runningPid(o.home, n.agent));
  if (allRunning) {
    o.say(`Skiff is already running (server pid ${runningPid(o.home, 'server')}, ${nodes.length} node agent(s)).`);
  } else {
    mkdirSync(o.home, { recursive: true });
    if (plan) {
      o.say(`making the node network ${plan.bridge} (${plan.hostIp}/${plan.prefix}) and ${plan.nodes.length} node namespace(s)`);
      createNodeNetwork(o.home, plan);
    }
    if (!runningPid(o.home, 'server')) {
      o.say('starting the control plane (etcd, API server, scheduler, controllers)');
      rmSync(kubeconfig, { force: true });
      rmSync(join(o.home, 'join-token'), { force: true });
      // With other nodes the API server answers on every address, and they reach it on the bridge.
      const listen = plan ? ['--bind-address', '0.0.0.0', '--advertise-address', plan.hostIp] : [];
      startDetached(o.home, 'server', ['server', '--home', o.home, '--port', String(o.port), ...listen, ...cidrArgs, ...(o.serverArgs ?? [])]);
    }
    // The runtimes need nothing from the API server: starting them now overlaps their start-up
    // with etcd's and the API server's instead of adding it after them.
    for (const n of nodes) {
      if (runningPid(o.home, n.runtime)) continue;
      startDetached(o.home, n.runtime, ['runtime', '--home', n.home, ...(o.runtimeArgs ?? []), ...n.runtimeArgs], n.prefix);
    }
    // Agents start now too and load while the control plane comes up; they wait for the join token
    // the server writes, then join with it like an agent on another host, and run as system:node:<name>.
    const tokenFile = join(o.home, 'join-token');
    for (const n of nodes) {
      if (runningPid(o.home, n.agent)) continue;
      o.say(`starting the node agent for node ${n.name}`);
      // The runtime started above may not be listening yet: the agent waits for it rather than starting another.
      const args = ['agent', '--home', n.home, '--server', n.server, '--token-file', tokenFile, '--node-name', n.name, '--runtime-endpoint', runtimeSocket(n.home)];
      if (n.ip) args.push('--node-ip', n.ip);
      startDetached(o.home, n.agent, [...args, ...cidrArgs, ...(o.agentArgs ?? [])], n.prefix);
    }
    await until('the API server', o.timeoutMs, async () => (existsSync(kubeconfig) ? true : undefined));
  }
  const client = RestClient.fromKubeconfig(kubeconfig, 'skiff-up');
  try {
    for (const n of nodes) {
      await until(`node ${n.name} to be Ready`, o.timeoutMs, async () => {
        const node = await client.get(mustResource('nodes'), undefined, n.name).catch((err) => {
          if (isStatusError(err, 'NotFound')) return undefined;
          throw err;
        });
        return node && nodeReady(node as Parameters<typeof nodeReady>[0], allRunning ? 0 : started) ? true : undefined;
      });
      o.say(`node ${n.name} is Ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    client.close();
  }
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

/**
 * The agent removes its iptables chains, pod routes and DNS address when it stops; this covers one
 * that was killed, from what it wrote in home (another cluster's chains and routes stay).
 */
async function removeNodeNetwork(home: string, say: (l: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) return; // a non-root agent could not have made any
  const saved = readAgentNetwork(home);
  const r = await cleanupNodeNetwork({ prefix: saved.prefix, within: saved.clusterCidr }).catch(
    (err: Error) => (say(`could not remove the service proxy rules: ${err.message}`), undefined),
  );
  if (r?.chains || r?.routes) say(`removed the service proxy chains${r.routes ? ` and ${r.routes} pod route(s)` : ''}`);
  await removeDnsAddress(DNS_LINK, saved.dnsAddress ?? NODE_LOCAL_DNS).catch(() => undefined);
}

/** Removes the runtime's parent cgroup, empty once its pods are gone (the runtime makes it again). */
async function removePodCgroups(home: string, say: (l: string) => void): Promise<void> {
  const file = join(home, 'runtime.cgroup-root');
  if (!existsSync(file) || process.getuid?.() !== 0) return;
  const root = readFileSync(file, 'utf8').trim();
  if (!root || root === '/') return;
  await removeCgroup(root).catch((err: Error) => say(`could not remove the cgroup ${root}: ${err.message}`));
}

/** stopNode stops a node's agent, removes its pods, stops its runtime and removes its pods' cgroup. */
async function stopNode(home: string, n: NodeProcs, say: (l: string) => void, afterAgent?: () => Promise<void>): Promise<void> {
  await stopPid(home, n.agent, say);
  await afterAgent?.();
  await removePods(n.home, say);
  await stopPid(home, n.runtime, say);
  await removePodCgroups(n.home, say);
}

export async function down(o: DownOptions): Promise<void> {
  // The extra nodes first: their agents, pods and runtimes, then their namespaces and the bridge.
  const plan = savedPlan(o.home);
  const [first, ...extra] = nodeProcs(o.home, '', 0, plan);
  for (const n of extra) await stopNode(o.home, n, o.say);
  if (plan) {
    o.say(`removing the node network ${plan.bridge} and ${plan.nodes.length} node namespace(s)`);
    removeNodeNamespaces(o.home, plan);
  }
  // This machine's agent may have left chains, routes and a DNS address on the host.
  await stopNode(o.home, first!, o.say, () => removeNodeNetwork(o.home, o.say));
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
