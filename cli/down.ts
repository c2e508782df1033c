// skiff down: stops what `skiff up` started, node by node, and removes what the nodes made.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectRuntime } from '../runtime/service/client.js';
import { runtimeSocket } from './runtime-process.js';
import { readAgentNetwork } from './agent-network-file.js';
import { DNS_LINK, NODE_LOCAL_DNS } from '../kubelet/dns/index.js';
import { removeDnsAddress } from '../kubelet/dns/link.js';
import { cleanupNodeNetwork } from '../kubelet/proxy/index.js';
import { removeCgroup } from '../runtime/containers/cgroup-remove.js';
import { removeNodeNetwork as removeNodeNamespaces, savedPlan } from './node-netns.js';
import { nodeProcs, pidFile, runningPid, type NodeProcs } from './lifecycle.js';

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
