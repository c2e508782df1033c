// Pod rows as upstream's printPod: READY counts ready containers (plus started sidecars),
// STATUS is the most telling reason across phase, init containers and containers, RESTARTS
// carries the time of the last restart.

import type { Condition } from '../../api/types/common.js';
import type { Container, ContainerStatus, Pod, PodStatus } from '../../api/types/pod.js';
import { since } from './duration.js';
import { AGE, NAME, column, printer, wide, type TableRowCondition } from './columns.js';

type PodWithGates = Pod & { spec: Pod['spec'] & { readinessGates?: { conditionType: string }[] } };

interface Restarts {
  count: number;
  /** Latest lastState.terminated.finishedAt, epoch ms; 0 when unknown. */
  last: number;
}

interface StatusSummary {
  reason: string;
  ready: number;
  total: number;
  restarts: Restarts;
}

const NO_RESTARTS: Restarts = { count: 0, last: 0 };

function isSidecar(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function conditionTrue(conds: Condition[] | undefined, type: string): boolean {
  return (conds ?? []).some((c) => c.type === type && c.status === 'True');
}

function addRestarts(r: Restarts, cs: ContainerStatus): Restarts {
  const finished = cs.lastState?.terminated?.finishedAt;
  const t = finished ? Date.parse(finished) : 0;
  return { count: r.count + (cs.restartCount ?? 0), last: Math.max(r.last, Number.isNaN(t) ? 0 : t) };
}

function terminatedText(prefix: string, t: NonNullable<ContainerStatus['state']>['terminated']): string {
  if (t?.reason) return `${prefix}${t.reason}`;
  return t?.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t?.exitCode ?? 0}`;
}

interface InitResult {
  reason?: string;
  readySidecars: number;
  all: Restarts;
  sidecars: Restarts;
}

/** Walks init containers in order; the first one not done decides the Init:… reason. */
function initStatus(pod: Pod): InitResult {
  const specs = new Map((pod.spec?.initContainers ?? []).map((c) => [c.name, c]));
  const total = specs.size;
  const out: InitResult = { readySidecars: 0, all: NO_RESTARTS, sidecars: NO_RESTARTS };
  for (const [i, cs] of (pod.status?.initContainerStatuses ?? []).entries()) {
    const sidecar = isSidecar(specs.get(cs.name));
    out.all = addRestarts(out.all, cs);
    if (sidecar) out.sidecars = addRestarts(out.sidecars, cs);
    const term = cs.state?.terminated;
    if (term && term.exitCode === 0) continue;
    if (sidecar && cs.started) {
      if (cs.ready) out.readySidecars++;
      continue;
    }
    const waiting = cs.state?.waiting?.reason;
    if (term) out.reason = terminatedText('Init:', term);
    else if (waiting && waiting !== 'PodInitializing') out.reason = `Init:${waiting}`;
    else out.reason = `Init:${i}/${total}`;
    return out;
  }
  return out;
}

/** Containers are walked last to first, so the first container's state wins. */
function containerStatus(status: PodStatus | undefined, start: StatusSummary): StatusSummary {
  const s = { ...start };
  let hasRunning = false;
  for (const cs of [...(status?.containerStatuses ?? [])].reverse()) {
    s.restarts = addRestarts(s.restarts, cs);
    const { waiting, terminated, running } = cs.state ?? {};
    if (waiting?.reason) s.reason = waiting.reason;
    else if (terminated?.reason) s.reason = terminated.reason;
    else if (terminated) s.reason = terminatedText('', terminated);
    else if (cs.ready && running) {
      hasRunning = true;
      s.ready++;
    }
  }
  // A pod whose containers completed but one still runs is shown as running, not Completed.
  if (s.reason === 'Completed' && hasRunning) {
    s.reason = conditionTrue(status?.conditions, 'Ready') ? 'Running' : 'NotReady';
  }
  return s;
}

function phaseReason(pod: Pod): string {
  const status = pod.status ?? {};
  let reason = status.reason || status.phase || '';
  const gated = (status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated');
  if (gated) reason = 'SchedulingGated';
  return reason;
}

export function podStatusSummary(pod: Pod): StatusSummary {
  const sidecars = (pod.spec?.initContainers ?? []).filter(isSidecar).length;
  const init = initStatus(pod);
  let s: StatusSummary = {
    reason: init.reason ?? phaseReason(pod),
    ready: init.readySidecars,
    total: (pod.spec?.containers ?? []).length + sidecars,
    restarts: init.all,
  };
  if (!init.reason || conditionTrue(pod.status?.conditions, 'Initialized')) {
    s = containerStatus(pod.status, { ...s, restarts: init.sidecars });
  }
  const phase = pod.status?.phase;
  if (pod.metadata.deletionTimestamp && pod.status?.reason === 'NodeLost') s.reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') s.reason = 'Terminating';
  return s;
}

/** `3`, or `3 (5m ago)` when the last restart time is known. */
export function restartsText(r: Restarts, now: Date): string {
  if (r.count === 0 || r.last === 0) return String(r.count);
  return `${r.count} (${since(new Date(r.last).toISOString(), now)} ago)`;
}

function readinessGates(pod: PodWithGates): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (!gates.length) return '<none>';
  const conds = pod.status?.conditions ?? [];
  const ok = gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${ok}/${gates.length}`;
}

function podCells(pod: PodWithGates, now: Date): unknown[] {
  const s = podStatusSummary(pod);
  const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP;
  return [
    pod.metadata.name,
    `${s.ready}/${s.total}`,
    s.reason,
    restartsText(s.restarts, now),
    since(pod.metadata.creationTimestamp, now),
    ip || '<none>',
    pod.spec?.nodeName || '<none>',
    pod.status?.nominatedNodeName || '<none>',
    readinessGates(pod),
  ];
}

/** Succeeded and Failed pods carry a Completed row condition, as upstream's. */
function podConditions(pod: Pod): TableRowCondition[] | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') {
    return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  }
  if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return undefined;
}

export const podPrinter = printer<PodWithGates>(
  [
    NAME,
    column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    wide('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
    wide('Node', 'NodeName is a request to schedule this pod onto a specific node.'),
    wide('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.'),
    wide('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.'),
  ],
  podCells,
  podConditions,
);
