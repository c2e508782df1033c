// The service proxy's iptables rules, kube-proxy iptables mode in shape (pkg/proxy/iptables):
// a pure function from service ports to the rules of Skiff's own chains.
//
//   nat  PREROUTING/OUTPUT → P-SERVICES ─ clusterIP:port ─▶ P-SVC-h ─ 1/n, 1/(n-1) … ─▶ P-SEP-h (DNAT)
//                                       ─ externalIP:port ▶ P-EXT-h (mark) ▶ P-SVC-h
//                                       └ last: local dst ▶ P-NODEPORTS ─ nodePort ▶ P-EXT-h
//       POSTROUTING → P-POSTROUTING (masquerade what P-MARK-MASQ marked), P-EGRESS (pods leaving the cluster)
//  filter INPUT/FORWARD/OUTPUT → P-SERVICES / P-EXTERNAL-SERVICES (REJECT ports without ready endpoints),
//       FORWARD → P-FORWARD (accept marked and established service traffic)
//
// P is the chain prefix ("SKIFF"; tests use their own so runs never meet).
import { createHash } from 'node:crypto';
import type { ServicePortInfo } from './service-ports.js';

/** ProxyConfig is the node-level configuration of the generated rules. */
export interface ProxyConfig {
  /** Chain name prefix, 1-7 characters of [A-Z0-9] starting with a letter. */
  prefix: string;
  /** Bit of the packet mark that asks for masquerade (kube-proxy's --iptables-masquerade-bit, default 14). */
  masqueradeBit: number;
  /** Pod addresses of the whole cluster: traffic to a ClusterIP from outside it is masqueraded, pods leaving it too. */
  clusterCidr?: string;
  /** Without clusterCidr: pods come in on this bridge (kube-proxy's detect-local-mode BridgeInterface). */
  localBridge?: string;
  /** Addresses NodePorts answer on; undefined means every local address (kube-proxy's default). */
  nodePortAddresses?: string[];
  /** NodePorts also answer on 127.0.0.1 (needs net.ipv4.conf.all.route_localnet=1). */
  localhostNodePorts: boolean;
}

export const DEFAULT_PROXY_CONFIG: ProxyConfig = { prefix: 'SKIFF', masqueradeBit: 14, localhostNodePorts: true };

/** Table is one iptables table's part of the rules: chains Skiff owns, and their rules in order. */
export interface TableRules {
  chains: string[];
  rules: string[];
}

/** JumpRule is a rule Skiff puts first in a built-in chain to reach its own. */
export interface JumpRule {
  table: 'nat' | 'filter';
  chain: string;
  args: string[];
}

/** ProxyRules is the whole desired state: both tables and the jumps into them. */
export interface ProxyRules {
  nat: TableRules;
  filter: TableRules;
  jumps: JumpRule[];
}

const PREFIX = /^[A-Z][A-Z0-9]{0,6}$/;

/** checkPrefix throws unless prefix keeps every chain name within iptables' 28 characters. */
export function checkPrefix(prefix: string): void {
  if (!PREFIX.test(prefix)) throw new Error(`invalid chain prefix ${JSON.stringify(prefix)}: must match ${PREFIX.source}`);
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** hash16 is the first 16 base32 characters of sha256(text), as kube-proxy's portProtoHash. */
export function hash16(text: string): string {
  const bytes = createHash('sha256').update(text).digest();
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === 16) break;
    acc &= (1 << bits) - 1;
  }
  return out;
}

/** Chain names for one prefix. */
export function chainNames(prefix: string) {
  return {
    services: `${prefix}-SERVICES`,
    nodePorts: `${prefix}-NODEPORTS`,
    postrouting: `${prefix}-POSTROUTING`,
    markMasq: `${prefix}-MARK-MASQ`,
    egress: `${prefix}-EGRESS`,
    externalServices: `${prefix}-EXTERNAL-SERVICES`,
    forward: `${prefix}-FORWARD`,
    firewall: `${prefix}-FIREWALL`,
    svc: (sp: ServicePortInfo) => `${prefix}-SVC-${hash16(sp.name + sp.protocol)}`,
    ext: (sp: ServicePortInfo) => `${prefix}-EXT-${hash16(sp.name + sp.protocol)}`,
    sep: (sp: ServicePortInfo, ep: { ip: string; port: number }) => `${prefix}-SEP-${hash16(`${sp.name}${sp.protocol}${ep.ip}:${ep.port}`)}`,
  };
}

function comment(text: string): string[] {
  return ['-m', 'comment', '--comment', text];
}

function proto(sp: ServicePortInfo, port: number): string[] {
  return ['-p', sp.protocol, '-m', sp.protocol, '--dport', String(port)];
}

/** probability is 1/k with upstream's ten decimals. */
export function probability(k: number): string {
  return (1 / k).toFixed(10);
}

/** quote renders one argument as iptables-restore reads it. */
export function quote(arg: string): string {
  return /^[A-Za-z0-9_./:,!=+-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\])/g, '\\$1')}"`;
}

function line(chain: string, args: string[]): string {
  return ['-A', chain, ...args].map(quote).join(' ');
}

/** Builder collects rules per table and declares chains as they are first used. */
class Builder {
  readonly nat: TableRules = { chains: [], rules: [] };
  readonly filter: TableRules = { chains: [], rules: [] };
  private readonly declared = new Map<TableRules, Set<string>>([[this.nat, new Set()], [this.filter, new Set()]]);

  add(t: TableRules, chain: string, args: string[]): void {
    this.declare(t, chain);
    t.rules.push(line(chain, args));
  }

  declare(t: TableRules, chain: string): void {
    const seen = this.declared.get(t)!;
    if (seen.has(chain)) return;
    seen.add(chain);
    t.chains.push(chain);
  }
}

/** masqMark is the mark/mask pair of the masquerade bit, e.g. 0x4000/0x4000. */
function masqMark(cfg: ProxyConfig): string {
  const m = `0x${(1 << cfg.masqueradeBit).toString(16)}`;
  return `${m}/${m}`;
}

function staticRules(b: Builder, cfg: ProxyConfig): void {
  const c = chainNames(cfg.prefix);
  const mark = masqMark(cfg);
  const bit = mark.split('/')[0]!;
  for (const ch of [c.services, c.nodePorts]) b.declare(b.nat, ch);
  b.add(b.nat, c.postrouting, ['-m', 'mark', '!', '--mark', mark, '-j', 'RETURN']);
  // Clear the bit so a packet that is encapsulated or re-routed is not masqueraded twice.
  b.add(b.nat, c.postrouting, ['-j', 'MARK', '--xor-mark', bit]);
  b.add(b.nat, c.postrouting, [...comment('skiff service traffic requiring SNAT'), '-j', 'MASQUERADE', '--random-fully']);
  b.add(b.nat, c.markMasq, ['-j', 'MARK', '--or-mark', bit]);
  if (cfg.clusterCidr) {
    b.add(b.nat, c.egress, [...comment('pod to pod stays unNATed'), '-s', cfg.clusterCidr, '-d', cfg.clusterCidr, '-j', 'RETURN']);
    b.add(b.nat, c.egress, [...comment('pods leaving the cluster'), '-s', cfg.clusterCidr, '!', '-d', '224.0.0.0/4', '-j', 'MASQUERADE', '--random-fully']);
  }
  for (const ch of [c.services, c.externalServices]) b.declare(b.filter, ch);
  b.add(b.filter, c.forward, [...comment('skiff forwarding rules'), '-m', 'mark', '--mark', mark, '-j', 'ACCEPT']);
  b.add(b.filter, c.forward, [...comment('skiff forwarding conntrack rule'), '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT']);
  if (cfg.localhostNodePorts) {
    // route_localnet lets 127.0.0.1 be DNATed; never accept such packets arriving from outside.
    b.add(b.filter, c.firewall, [...comment('block incoming localnet connections'), '!', '-s', '127.0.0.0/8', '-d', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP']);
  }
}

/** localMatch is the "not from a local pod" match that asks for masquerade of ClusterIP traffic. */
function notLocal(cfg: ProxyConfig): string[] | undefined {
  if (cfg.clusterCidr) return ['!', '-s', cfg.clusterCidr];
  if (cfg.localBridge) return ['!', '-i', cfg.localBridge];
  return undefined;
}

/** serviceEntry: the cluster IP, external IP and NodePort rules that lead to the service chain. */
function serviceEntry(b: Builder, cfg: ProxyConfig, sp: ServicePortInfo, svc: string): void {
  const c = chainNames(cfg.prefix);
  const dst = (ip: string) => ['-d', `${ip}/32`, ...proto(sp, sp.port)];
  b.add(b.nat, c.services, [...comment(`${sp.name} cluster IP`), ...dst(sp.clusterIP), '-j', svc]);
  const nl = notLocal(cfg);
  if (nl) b.add(b.nat, svc, [...comment(`${sp.name} cluster IP`), ...dst(sp.clusterIP), ...nl, '-j', c.markMasq]);
  if (sp.nodePort === undefined && sp.externalIPs.length === 0) return;
  const ext = c.ext(sp);
  b.add(b.nat, ext, [...comment(`masquerade traffic for ${sp.name} external destinations`), '-j', c.markMasq]);
  b.add(b.nat, ext, ['-j', svc]);
  for (const ip of sp.externalIPs) b.add(b.nat, c.services, [...comment(`${sp.name} external IP`), ...dst(ip), '-j', ext]);
  if (sp.nodePort !== undefined) b.add(b.nat, c.nodePorts, [...comment(sp.name), ...proto(sp, sp.nodePort), '-j', ext]);
}

function serviceWithEndpoints(b: Builder, cfg: ProxyConfig, sp: ServicePortInfo): void {
  const c = chainNames(cfg.prefix);
  const svc = c.svc(sp);
  serviceEntry(b, cfg, sp, svc);
  const eps = sp.endpoints.map((ep) => ({ ...ep, sep: c.sep(sp, ep), to: `${ep.ip}:${ep.port}` }));
  if (sp.affinitySeconds !== undefined) {
    for (const ep of eps) b.add(b.nat, svc, [...comment(`${sp.name} -> ${ep.to}`), '-m', 'recent', '--name', ep.sep, '--rcheck', '--seconds', String(sp.affinitySeconds), '--reap', '-j', ep.sep]);
  }
  // Endpoint i (0-based) is taken with probability 1/(n-i) of what reaches it: equal overall.
  eps.forEach((ep, i) => {
    const stat = i < eps.length - 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', probability(eps.length - i)] : [];
    b.add(b.nat, svc, [...comment(`${sp.name} -> ${ep.to}`), ...stat, '-j', ep.sep]);
  });
  for (const ep of eps) {
    const affinity = sp.affinitySeconds !== undefined ? ['-m', 'recent', '--name', ep.sep, '--set'] : [];
    // A pod reaching itself through the Service (hairpin) must be masqueraded to get the reply.
    b.add(b.nat, ep.sep, [...comment(sp.name), '-s', `${ep.ip}/32`, '-j', c.markMasq]);
    b.add(b.nat, ep.sep, [...comment(sp.name), ...affinity, '-p', sp.protocol, '-m', sp.protocol, '-j', 'DNAT', '--to-destination', ep.to]);
  }
}

/** Without ready endpoints the port answers with a reject, as upstream, rather than a timeout. */
function serviceWithoutEndpoints(b: Builder, cfg: ProxyConfig, sp: ServicePortInfo): void {
  const c = chainNames(cfg.prefix);
  const why = `${sp.name} has no endpoints`;
  const reject = ['-j', 'REJECT', '--reject-with', 'icmp-port-unreachable'];
  b.add(b.filter, c.services, [...comment(why), '-d', `${sp.clusterIP}/32`, ...proto(sp, sp.port), ...reject]);
  for (const ip of sp.externalIPs) b.add(b.filter, c.externalServices, [...comment(why), '-d', `${ip}/32`, ...proto(sp, sp.port), ...reject]);
  if (sp.nodePort !== undefined) b.add(b.filter, c.externalServices, [...comment(why), '-m', 'addrtype', '--dst-type', 'LOCAL', ...proto(sp, sp.nodePort), ...reject]);
}

function nodePortJumps(b: Builder, cfg: ProxyConfig): void {
  const c = chainNames(cfg.prefix);
  const last = comment('skiff service nodeports; NOTE: this must be the last rule in this chain');
  if (cfg.nodePortAddresses === undefined) {
    const notLo = cfg.localhostNodePorts ? [] : ['!', '-d', '127.0.0.0/8'];
    b.add(b.nat, c.services, [...last, '-m', 'addrtype', '--dst-type', 'LOCAL', ...notLo, '-j', c.nodePorts]);
    return;
  }
  const addrs = [...cfg.nodePortAddresses, ...(cfg.localhostNodePorts ? ['127.0.0.1'] : [])];
  for (const ip of [...new Set(addrs)]) b.add(b.nat, c.services, [...last, '-d', `${ip}/32`, '-j', c.nodePorts]);
}

/** jumpRules are the rules in built-in chains that lead to Skiff's chains. */
export function jumpRules(cfg: ProxyConfig): JumpRule[] {
  const c = chainNames(cfg.prefix);
  const jumps: JumpRule[] = [
    { table: 'nat', chain: 'PREROUTING', args: [...comment('skiff service portals'), '-j', c.services] },
    { table: 'nat', chain: 'OUTPUT', args: [...comment('skiff service portals'), '-j', c.services] },
    { table: 'nat', chain: 'POSTROUTING', args: [...comment('skiff postrouting rules'), '-j', c.postrouting] },
    { table: 'filter', chain: 'INPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', ...comment('skiff externally-visible service portals'), '-j', c.externalServices] },
    { table: 'filter', chain: 'FORWARD', args: ['-m', 'conntrack', '--ctstate', 'NEW', ...comment('skiff service portals'), '-j', c.services] },
    { table: 'filter', chain: 'FORWARD', args: ['-m', 'conntrack', '--ctstate', 'NEW', ...comment('skiff externally-visible service portals'), '-j', c.externalServices] },
    { table: 'filter', chain: 'FORWARD', args: [...comment('skiff forwarding rules'), '-j', c.forward] },
    { table: 'filter', chain: 'OUTPUT', args: ['-m', 'conntrack', '--ctstate', 'NEW', ...comment('skiff service portals'), '-j', c.services] },
  ];
  if (cfg.clusterCidr) jumps.push({ table: 'nat', chain: 'POSTROUTING', args: [...comment('skiff pod egress masquerade'), '-j', c.egress] });
  if (cfg.localhostNodePorts) {
    jumps.push({ table: 'filter', chain: 'INPUT', args: [...comment('skiff localnet firewall'), '-j', c.firewall] });
  }
  return jumps;
}

/** buildProxyRules is the whole rule set for these service ports. Pure. */
export function buildProxyRules(ports: readonly ServicePortInfo[], cfg: ProxyConfig): ProxyRules {
  checkPrefix(cfg.prefix);
  const b = new Builder();
  staticRules(b, cfg);
  for (const sp of ports) {
    if (sp.endpoints.length > 0) serviceWithEndpoints(b, cfg, sp);
    else serviceWithoutEndpoints(b, cfg, sp);
  }
  nodePortJumps(b, cfg);
  return { nat: b.nat, filter: b.filter, jumps: jumpRules(cfg) };
}
