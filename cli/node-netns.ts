// The extra nodes of `skiff up --nodes N` on one machine: each is a network namespace with its
// own address on a host bridge, so its agent joins the server over the network exactly as an
// agent on another VM would, and its runtime, pod bridge, routes, iptables rules and DNS
// address are its own. The host is node 1, at the bridge's first address.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockAt, formatCidr, parseCidr } from '../controllers/nodeipam/cidr.js';

/** NodeNetworkSettings: where the nodes meet. */
export interface NodeNetworkSettings {
  /** The nodes' own network, e.g. 10.77.0.0/24: the host takes the first address, node i the i-th. */
  cidr: string;
  /** The host bridge the nodes' links hang on (at most 15 characters). */
  bridge: string;
}

/** ExtraNode is one node in its own network namespace. */
export interface ExtraNode {
  name: string;
  /** Named network namespace (/run/netns/<netns>). */
  netns: string;
  /** Host end of the node's link, on the bridge; the other end is eth0 in the namespace. */
  veth: string;
  ip: string;
  /** The node's own $SKIFF_HOME: runtime state, credentials, kubelet files. */
  home: string;
}

/** NodeNetworkPlan: the host's address on the bridge and every extra node. */
export interface NodeNetworkPlan {
  bridge: string;
  hostIp: string;
  prefix: number;
  nodes: ExtraNode[];
}

export const DEFAULT_NODE_NETWORK: NodeNetworkSettings = { cidr: '10.77.0.0/24', bridge: 'skiff-nodes' };

/** extraNodeName names the i-th node (i >= 2) after the first. */
export function extraNodeName(first: string, i: number): string {
  return `${first}-${i}`;
}

/** planNodeNetwork lays out nodes 2..count; throws when the network is too small or malformed. */
export function planNodeNetwork(home: string, firstNode: string, count: number, s: NodeNetworkSettings): NodeNetworkPlan {
  const net = parseCidr(s.cidr);
  if (!net) throw new Error(`--node-network ${s.cidr} is not an IPv4 CIDR`);
  if (s.bridge.length > 15) throw new Error(`--node-bridge ${s.bridge} is longer than 15 characters`);
  const size = 2 ** (32 - net.prefix);
  if (count + 1 >= size) throw new Error(`--node-network ${s.cidr} has no room for ${count} nodes`);
  const addr = (i: number) => formatCidr(blockAt({ base: net.base, prefix: net.prefix }, 32, i)).split('/')[0]!;
  const nodes: ExtraNode[] = [];
  for (let i = 2; i <= count; i++) {
    const name = extraNodeName(firstNode, i);
    // Interface names are at most 15 characters; the hash keeps two clusters' links apart.
    const veth = `skn${createHash('sha256').update(`${home}/${name}`).digest('hex').slice(0, 10)}`;
    nodes.push({ name, netns: `skiff-${name}`, veth, ip: addr(i), home: join(home, 'machines', name) });
  }
  return { bridge: s.bridge, hostIp: addr(1), prefix: net.prefix, nodes };
}

const PLAN_FILE = 'node-network.json';

/** savedPlan is the plan `up` last made in home, for `down`. */
export function savedPlan(home: string): NodeNetworkPlan | undefined {
  const file = join(home, PLAN_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as NodeNetworkPlan) : undefined;
}

function ip(args: string[], okIfFails = false): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0 && !okIfFails) throw new Error(`ip ${args.join(' ')}: ${(r.stderr || r.error?.message || '').trim()}`);
}

function linkExists(name: string, netns?: string): boolean {
  const args = netns ? ['-n', netns, 'link', 'show', name] : ['link', 'show', name];
  return spawnSync('ip', args, { stdio: 'ignore' }).status === 0;
}

/** createNodeNetwork makes the bridge, and for each extra node its namespace and link; idempotent. */
export function createNodeNetwork(home: string, plan: NodeNetworkPlan): void {
  writeFileSync(join(home, PLAN_FILE), `${JSON.stringify(plan, null, 2)}\n`);
  if (!linkExists(plan.bridge)) ip(['link', 'add', plan.bridge, 'type', 'bridge']);
  ip(['addr', 'replace', `${plan.hostIp}/${plan.prefix}`, 'dev', plan.bridge]);
  ip(['link', 'set', plan.bridge, 'up']);
  writeFileSync('/proc/sys/net/ipv4/ip_forward', '1');
  for (const n of plan.nodes) {
    if (!existsSync(`/run/netns/${n.netns}`)) ip(['netns', 'add', n.netns]);
    if (!linkExists(n.veth)) ip(['link', 'add', n.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n.netns]);
    ip(['link', 'set', n.veth, 'master', plan.bridge, 'up']);
    ip(['-n', n.netns, 'addr', 'replace', `${n.ip}/${plan.prefix}`, 'dev', 'eth0']);
    ip(['-n', n.netns, 'link', 'set', 'lo', 'up']);
    ip(['-n', n.netns, 'link', 'set', 'eth0', 'up']);
    ip(['-n', n.netns, 'route', 'replace', 'default', 'via', plan.hostIp]);
    // A new namespace starts with forwarding off; its pods' traffic to other nodes passes through it.
    const r = spawnSync('ip', ['netns', 'exec', n.netns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`enabling forwarding in ${n.netns}: ${r.stderr.trim()}`);
  }
}

/** removeNodeNetwork deletes the namespaces (their links, routes and rules go with them) and the bridge. */
export function removeNodeNetwork(home: string, plan: NodeNetworkPlan): void {
  for (const n of plan.nodes) {
    ip(['netns', 'del', n.netns], true);
    ip(['link', 'del', n.veth], true);
  }
  ip(['link', 'del', plan.bridge], true);
  rmSync(join(home, PLAN_FILE), { force: true });
}

/** inNetns is the command prefix that runs a process in a node's namespace, nothing else changed. */
export function inNetns(netns: string): string[] {
  return ['nsenter', `--net=/run/netns/${netns}`, '--'];
}
