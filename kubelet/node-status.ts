// The Node object the agent registers and the status it reports (upstream kubelet_node_status.go
// and nodestatus/setters.go). Pure: host facts come in as HostInfo.

import { isDeepStrictEqual } from 'node:util';
import { formatQuantity, parseQuantity, subQuantity, compareQuantity, ZERO } from '../api/quantity.js';
import type { Condition } from '../api/types/common.js';
import type { Node, NodeStatus, Taint } from '../api/types/core.js';
import { rfc3339 } from '../api/time.js';

/** HostInfo are the facts about the machine. */
export interface HostInfo {
  cpus: number;
  memoryBytes: number;
  hostname: string;
  hostIP: string;
  os: string;
  arch: string;
  kernelVersion: string;
  osImage: string;
  machineID: string;
  bootID: string;
}

/** Pressure is the result of the node condition checks. */
export interface Pressure {
  memory: boolean;
  disk: boolean;
  pid: boolean;
}

/** PressureCheck reads the host's pressure (injected, so hollow nodes report none). */
export type PressureCheck = () => Pressure;

/** NodeFacts is everything buildNodeStatus needs. */
export interface NodeFacts {
  host: HostInfo;
  capacity?: Record<string, string>;
  reserved?: Record<string, string>;
  runtimeVersion: string;
  runtimeReady: boolean;
  pressure: Pressure;
  daemonPort: number;
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

/** goArch maps Node's process.arch to Kubernetes' GOARCH names. */
export function goArch(arch: string): string {
  return GOARCH[arch] ?? arch;
}

/** capacityOf is the host's capacity with overrides: cpu, memory in Ki, pods 110. */
export function capacityOf(host: HostInfo, overrides: Record<string, string> = {}): Record<string, string> {
  return { cpu: String(host.cpus), memory: `${Math.floor(host.memoryBytes / 1024)}Ki`, pods: '110', 'ephemeral-storage': '0', ...overrides };
}

/** allocatableOf subtracts reservations from capacity, never below zero. Example: 4 cpu - 100m = 3900m. */
export function allocatableOf(capacity: Record<string, string>, reserved: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(capacity)) {
    if (!reserved[k]) {
      out[k] = v;
      continue;
    }
    const left = subQuantity(parseQuantity(v), parseQuantity(reserved[k]));
    out[k] = formatQuantity(compareQuantity(left, ZERO) < 0 ? ZERO : left);
  }
  return out;
}

/** nodeLabels are the well-known labels plus the configured ones. */
export function nodeLabels(name: string, host: HostInfo, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': goArch(host.arch),
    'beta.kubernetes.io/os': host.os,
    'kubernetes.io/arch': goArch(host.arch),
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': host.os,
    ...extra,
  };
}

/** initialNode is the Node the agent registers. */
export function initialNode(name: string, host: HostInfo, labels: Record<string, string>, taints: Taint[] = [], podCidr?: string): Node {
  const spec: Node['spec'] = {};
  if (taints.length) spec.taints = taints;
  if (podCidr) Object.assign(spec, { podCIDR: podCidr, podCIDRs: [podCidr] });
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: nodeLabels(name, host, labels), annotations: { 'node.alpha.kubernetes.io/ttl': '0' } }, spec };
}

/** buildNodeStatus computes the status; conditions keep transition times from old (the server's copy). */
export function buildNodeStatus(f: NodeFacts, old: NodeStatus | undefined, now: number): NodeStatus {
  const capacity = capacityOf(f.host, f.capacity);
  return {
    capacity,
    allocatable: allocatableOf(capacity, f.reserved),
    conditions: nodeConditions(f, now).map((c) => keepTransition(c, old?.conditions ?? [])),
    addresses: [
      { type: 'InternalIP', address: f.host.hostIP },
      { type: 'Hostname', address: f.host.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: f.daemonPort } },
    nodeInfo: {
      machineID: f.host.machineID,
      systemUUID: f.host.machineID,
      bootID: f.host.bootID,
      kernelVersion: f.host.kernelVersion,
      osImage: f.host.osImage,
      containerRuntimeVersion: f.runtimeVersion,
      kubeletVersion: 'v1.30.0-skiff',
      kubeProxyVersion: 'v1.30.0-skiff',
      operatingSystem: f.host.os,
      architecture: goArch(f.host.arch),
    },
  };
}

function nodeConditions(f: NodeFacts, now: number): Condition[] {
  const t = rfc3339(now);
  const c = (type: string, on: boolean, reasonOn: string, msgOn: string, reasonOff: string, msgOff: string): Condition => ({
    type,
    status: on ? 'True' : 'False',
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason: on ? reasonOn : reasonOff,
    message: on ? msgOn : msgOff,
  });
  return [
    c('MemoryPressure', f.pressure.memory, 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', f.pressure.disk, 'KubeletHasDiskPressure', 'kubelet has disk pressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', f.pressure.pid, 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', f.runtimeReady, 'KubeletReady', 'kubelet is posting ready status', 'KubeletNotReady', 'container runtime is down'),
  ];
}

function keepTransition(c: Condition, old: Condition[]): Condition {
  const prev = old.find((o) => o.type === c.type);
  return prev && prev.status === c.status && prev.lastTransitionTime ? { ...c, lastTransitionTime: prev.lastTransitionTime } : c;
}

/**
 * nodeStatusChanged tells whether posting next would change the server's copy (upstream
 * nodeStatusHasChanged): every field the agent reports must be deep-equal, conditions matched by
 * type with lastHeartbeatTime ignored. Fields others own (conditions of other types, fields the
 * agent does not report) do not count.
 */
export function nodeStatusChanged(server: NodeStatus | undefined, next: NodeStatus): boolean {
  if (!server) return true;
  for (const [k, v] of Object.entries(next)) {
    if (k === 'conditions') continue;
    if (!isDeepStrictEqual((server as Record<string, unknown>)[k], v)) return true;
  }
  const strip = ({ lastHeartbeatTime: _h, ...rest }: Condition) => rest;
  return (next.conditions ?? []).some((c) => {
    const old = server.conditions?.find((o) => o.type === c.type);
    return !old || !isDeepStrictEqual(strip(old), strip(c));
  });
}

/**
 * shouldPostNodeStatus decides whether the agent writes its Node's status (upstream
 * tryUpdateNodeStatus): when it differs from the server's copy, or when the last post is
 * reportFrequencyMs old (upstream nodeStatusReportFrequency, 1 min). Example: unchanged,
 * last post at t=0, frequency 60 s → false at t=50 s, true at t=60 s.
 */
export function shouldPostNodeStatus(server: NodeStatus | undefined, next: NodeStatus, lastPostMs: number | undefined, now: number, reportFrequencyMs: number): boolean {
  return nodeStatusChanged(server, next) || lastPostMs === undefined || now - lastPostMs >= reportFrequencyMs;
}
