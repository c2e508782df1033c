// The node lifecycle controller's health decisions (upstream's node_lifecycle_controller.go
// tryUpdateNodeHealth and the NoExecute/NoSchedule taints of doNoExecuteTaintingPass and
// TaintNodesByCondition). Pure: the caller passes `now` and the health record it keeps.
import type { Condition } from '../../api/types/common.js';
import type { Node, Taint } from '../../api/types/core.js';
import type { Lease } from '../../api/types/misc.js';

/** Taint keys upstream uses for unreachable and not-ready nodes. */
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
const OUR_KEYS = [TAINT_UNREACHABLE, TAINT_NOT_READY];
const CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * HealthRecord is what the controller remembers per node: when it last saw a sign of life (by
 * its own clock, so skew between agent and controller does not matter), and the lease version
 * and Ready heartbeat that sign was.
 */
export interface HealthRecord {
  probeMs: number;
  leaseVersion?: string;
  heartbeat?: string;
}

/** observe updates the record: first sight, a renewed lease or a new Ready heartbeat count as life. */
export function observe(prev: HealthRecord | undefined, node: Node, lease: Lease | undefined, now: number): HealthRecord {
  const leaseVersion = lease?.spec?.renewTime ?? lease?.metadata.resourceVersion;
  const heartbeat = readyCondition(node)?.lastHeartbeatTime;
  if (!prev || prev.leaseVersion !== leaseVersion || prev.heartbeat !== heartbeat) return { probeMs: now, leaseVersion, heartbeat };
  return prev;
}

/** readyCondition returns the node's Ready condition, if posted. */
export function readyCondition(node: Node): Condition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

/** NodeDecision: conditions and taints to write (absent: unchanged), and when to look again. */
export interface NodeDecision {
  unreachable: boolean;
  conditions?: Condition[];
  taints?: Taint[];
  /** ms until the grace period would run out; undefined once it has. */
  recheckAfterMs?: number;
}

/**
 * decideNode: past the grace period without a sign of life the node's conditions become Unknown
 * and it gets the unreachable taints; otherwise a Ready=False node gets the not-ready taints.
 * The unreachable taints follow the lease, so a node whose agent renews it again comes back
 * clean at once even before its agent posts status (a deliberate, documented deviation).
 */
export function decideNode(node: Node, rec: HealthRecord, now: number, graceMs: number, nowIso: string): NodeDecision {
  const unreachable = now - rec.probeMs > graceMs;
  const conditions = unreachable ? unknownConditions(node.status?.conditions ?? [], nowIso) : undefined;
  const ready = readyCondition(node)?.status;
  const key = unreachable ? TAINT_UNREACHABLE : ready === 'False' ? TAINT_NOT_READY : undefined;
  const taints = desiredTaints(node.spec?.taints ?? [], key, nowIso);
  return {
    unreachable,
    conditions,
    taints,
    recheckAfterMs: unreachable ? undefined : rec.probeMs + graceMs - now + 1,
  };
}

/** unknownConditions sets every kubelet condition to Unknown; undefined when already so. */
export function unknownConditions(prev: readonly Condition[], nowIso: string): Condition[] | undefined {
  let changed = false;
  const out = prev.map((c) => {
    if (!CONDITION_TYPES.includes(c.type) || c.status === 'Unknown') return c;
    changed = true;
    return { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: nowIso };
  });
  if (!prev.some((c) => c.type === 'Ready')) {
    changed = true;
    out.push({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastTransitionTime: nowIso });
  }
  return changed ? out : undefined;
}

/** desiredTaints keeps foreign taints, keeps ours for `key` (with their timeAdded), drops the rest. */
export function desiredTaints(current: readonly Taint[], key: string | undefined, nowIso: string): Taint[] | undefined {
  const keep = current.filter((t) => !OUR_KEYS.includes(t.key) || t.key === key);
  const out = [...keep];
  for (const effect of key ? ['NoSchedule', 'NoExecute'] : []) {
    if (!keep.some((t) => t.key === key && t.effect === effect)) out.push({ key: key!, effect, timeAdded: nowIso });
  }
  return out.length === current.length && keep.length === current.length ? undefined : out;
}

/**
 * fullDisruption: every node with a record has been silent past the grace period. Upstream then
 * assumes the controller itself is cut off (or the whole cluster slept) and stops evicting; a
 * single-node cluster whose only node is down therefore keeps its pods, as upstream does.
 */
export function fullDisruption(records: Iterable<HealthRecord>, now: number, graceMs: number): boolean {
  let any = false;
  for (const r of records) {
    if (now - r.probeMs <= graceMs) return false;
    any = true;
  }
  return any;
}
