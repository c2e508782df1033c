// `skiff up`: a whole cluster on this machine in the background (control plane, runtime, node
// agent), each a process of its own with its pid and log under $SKIFF_HOME (cli/down.ts stops it).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mustResource } from '../api/registry.js';
import { runtimeSocket } from './runtime-process.js';
import { waitForFile } from '../runtime/containers/wait-file.js';
import type { RestClient } from '../client/rest.js';
import { createNodeNetwork, DEFAULT_NODE_NETWORK, inNetns, planNodeNetwork, type NodeNetworkPlan, type NodeNetworkSettings } from './node-netns.js';

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

export function pidFile(home: string, what: string): string {
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

/** nodeReady: Ready, as the agent reported since `since` (a Node left Ready by an agent stopped before does not count). */
function nodeReady(node: { status?: { conditions?: { type: string; status: string; lastHeartbeatTime?: string }[] } }, since: number): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  // Heartbeat times have whole seconds.
  return ready?.status === 'True' && Date.parse(ready.lastHeartbeatTime ?? '') >= Math.floor(since / 1000) * 1000;
}

/**
 * waitForNodeReady watches the Node until nodeReady says so: told the moment the agent writes its
 * status instead of at the next poll. A watch the server ends is opened again.
 */
async function waitForNodeReady(client: RestClient, name: string, since: number, timeoutMs: number): Promise<void> {
  const signal = AbortSignal.timeout(timeoutMs);
  while (!signal.aborted) {
    try {
      for await (const ev of client.watch(mustResource('nodes'), undefined, { fieldSelector: `metadata.name=${name}`, signal })) {
        if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && nodeReady(ev.object as Parameters<typeof nodeReady>[0], since)) return;
      }
    } catch {
      // The API server went away for a moment: watch again.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for node ${name} to be Ready`);
}

/** The processes of one node: pid-file names in the cluster's home, and where the node keeps its state. */
export interface NodeProcs {
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
export function nodeProcs(home: string, nodeName: string, port: number, plan: NodeNetworkPlan | undefined): NodeProcs[] {
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
    // The server writes the kubeconfig whole (a rename) once it serves.
    if (!(await waitForFile(o.home, 'kubeconfig', o.timeoutMs))) {
      throw new Error(`timed out waiting for the API server (no ${kubeconfig}; see ${join(o.home, 'logs', 'server.log')})`);
    }
  }
  // Loaded only now: the processes above start without waiting for the HTTP client's modules.
  const { RestClient } = await import('../client/rest.js');
  const client = RestClient.fromKubeconfig(kubeconfig, 'skiff-up');
  try {
    for (const n of nodes) {
      await waitForNodeReady(client, n.name, allRunning ? 0 : started, o.timeoutMs);
      o.say(`node ${n.name} is Ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    client.close();
  }
}

