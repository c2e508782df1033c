// Service node port allocation, the pure part: the range, picking a free port, and planning the
// node ports of a created or updated Service (as kube-apiserver's node port allocator does).
import { fieldErr, type FieldError } from '../api/errors.js';
import type { ServicePort, ServiceSpec } from '../api/types/core.js';

export interface PortRange {
  min: number;
  max: number;
  text: string;
}

export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

/** Parses `--service-node-port-range` ("30000-32767", or one port "30080"). */
export function parsePortRange(text: string): PortRange {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  const min = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || min < 1 || max > 65535 || min > max) throw new Error(`invalid service node port range ${text}`);
  return { min, max, text: `${min}-${max}` };
}

/** NodePort and LoadBalancer Services keep a node port per port. */
export function needsNodePorts(spec: ServiceSpec | undefined): boolean {
  return spec?.type === 'NodePort' || spec?.type === 'LoadBalancer';
}

/** The node ports a stored Service holds. */
export function nodePortsOf(spec: ServiceSpec | undefined): number[] {
  if (!needsNodePorts(spec)) return [];
  return (spec?.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p);
}

/** A free port, scanning from a random offset; undefined when the range is full. */
export function pickNodePort(range: PortRange, used: ReadonlySet<number>, random: () => number): number | undefined {
  const size = range.max - range.min + 1;
  const offset = Math.floor(random() * size);
  for (let i = 0; i < size; i++) {
    const port = range.min + ((offset + i) % size);
    if (!used.has(port)) return port;
  }
  return undefined;
}

export function validateRequestedNodePort(range: PortRange, port: number, path: string, used: ReadonlySet<number>): FieldError | undefined {
  if (port < range.min || port > range.max) {
    return fieldErr.invalid(path, port, `provided port is not in the valid range. The range of valid ports is ${range.text}`);
  }
  if (used.has(port)) return fieldErr.invalid(path, port, 'provided port is already allocated');
  return undefined;
}

export interface NodePortPlan {
  /** The ports to store (a new array; nodePort filled or cleared). */
  ports: ServicePort[];
  errors: FieldError[];
  /** Ports this write newly takes (to reserve until the cache shows them). */
  taken: number[];
  /** Ports the old object held that this write gives up. */
  released: number[];
}

/** The old port a new one continues: same name, else same port and protocol. */
function oldPortFor(p: ServicePort, old: ServicePort[]): ServicePort | undefined {
  const proto = (x: ServicePort) => x.protocol ?? 'TCP';
  return old.find((o) => (o.name ?? '') === (p.name ?? '') && proto(o) === proto(p))
    ?? old.find((o) => o.port === p.port && proto(o) === proto(p));
}

/**
 * Node ports for `next` (old: the stored Service on update). `used` holds the ports of every
 * other Service. Ports without one get a free port (an update keeps the old one); a type that
 * needs none clears them, as upstream does on a change to ClusterIP.
 */
export function planNodePorts(
  range: PortRange,
  next: ServiceSpec,
  old: ServiceSpec | undefined,
  used: ReadonlySet<number>,
  random: () => number,
): NodePortPlan {
  const held = new Set(nodePortsOf(old));
  const ports = (next.ports ?? []).map((p) => ({ ...p }));
  if (!needsNodePorts(next)) {
    // Upstream clears the node ports when the type stops needing them.
    if (needsNodePorts(old)) for (const p of ports) delete p.nodePort;
    return { ports, errors: [], taken: [], released: [...held] };
  }
  const errors: FieldError[] = [];
  const mine = new Set<number>();
  const oldPorts = needsNodePorts(old) ? (old?.ports ?? []) : [];
  // Explicit ports first, so an allocated one never takes a port asked for later in the list.
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    if (held.has(p.nodePort) || mine.has(p.nodePort)) {
      mine.add(p.nodePort);
      return;
    }
    const err = validateRequestedNodePort(range, p.nodePort, `spec.ports[${i}].nodePort`, used);
    if (err) errors.push(err);
    else mine.add(p.nodePort);
  });
  for (const p of ports) {
    if (p.nodePort) continue;
    const kept = oldPortFor(p, oldPorts)?.nodePort;
    if (kept && !mine.has(kept)) {
      p.nodePort = kept;
      mine.add(kept);
      continue;
    }
    const port = pickNodePort(range, new Set([...used, ...mine, ...held]), random);
    if (port === undefined) {
      errors.push(fieldErr.invalid('spec.ports', p.port, 'failed to allocate a nodePort: range is full'));
      continue;
    }
    p.nodePort = port;
    mine.add(port);
  }
  return {
    ports,
    errors,
    taken: [...mine].filter((p) => !held.has(p)),
    released: [...held].filter((p) => !mine.has(p)),
  };
}
