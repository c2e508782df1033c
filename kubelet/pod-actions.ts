// computePodActions: the pure "decide" half of a pod sync (upstream kuberuntime_manager.go
// computePodActions). Given the pod, what the runtime has for it and the probe and back-off
// facts, it returns a plan; syncPod (sync-pod.ts) carries the plan out. No I/O, no clock.

import type { Container, Pod } from '../api/types/pod.js';
import type { RuntimeContainer, RuntimePodStatus } from './runtime-state.js';
import { containerInstances, latestContainer } from './runtime-state.js';

/** ContainerToStart names a container to create and start, with its restart count. */
export interface ContainerToStart {
  name: string;
  init: boolean;
  restartCount: number;
}

/** ContainerToKill is a running container to stop, with the reason for the Killing event. */
export interface ContainerToKill {
  id: string;
  name: string;
  message: string;
}

/** ContainerBackOff: a container that should restart but is still in back-off. */
export interface ContainerBackOff {
  name: string;
  init: boolean;
  remainingMs: number;
  delayMs: number;
}

/** PodActions is the plan for one sync. */
export interface PodActions {
  /** Stop every container and the sandbox (sandbox gone bad, or the pod is finished). */
  killPod: boolean;
  createSandbox: boolean;
  sandboxAttempt: number;
  /** The ready sandbox to use when none is created. */
  sandboxId?: string;
  start: ContainerToStart[];
  kill: ContainerToKill[];
  backOff: ContainerBackOff[];
  /** An init container failed and restartPolicy is Never: the pod has failed. */
  initFailed: boolean;
  /** Dead container instances to remove: all but the newest two of each container (container GC). */
  remove: string[];
}

/** PlanFacts are the non-runtime inputs: back-off lookups and probe results. */
export interface PlanFacts {
  now: number;
  /** Remaining back-off for a container key after a failure at finishedAt (0 = may start). */
  backoffRemaining(key: string, finishedAt: number, now: number): number;
  backoffDelay(key: string, now: number): number;
  /** True when the liveness (or startup) probe of that container id has failed. */
  probeFailed(containerId: string): 'liveness' | 'startup' | undefined;
}

/** containerKey identifies one container of one pod for back-off bookkeeping. */
export function containerKey(pod: Pod, name: string): string {
  return `${pod.metadata.uid}/${name}`;
}

/** containerHash is a stable hash of the container spec; a change restarts the container. */
export function containerHash(c: Container): string {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(c)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16);
}

/** shouldRestart applies restartPolicy to an exited container (ShouldContainerBeRestarted). */
export function shouldRestart(policy: string | undefined, exitCode: number): boolean {
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return exitCode !== 0;
  return true;
}

function emptyActions(): PodActions {
  return { killPod: false, createSandbox: false, sandboxAttempt: 0, start: [], kill: [], backOff: [], initFailed: false, remove: [] };
}

/** computePodActions decides what syncPod must do to make the runtime match the pod spec. */
export function computePodActions(pod: Pod, rs: RuntimePodStatus, facts: PlanFacts): PodActions {
  const actions = emptyActions();
  const sandbox = rs.sandboxes[0];
  if (!sandbox?.ready) return planNewSandbox(pod, rs, actions);
  actions.sandboxId = sandbox.id;
  actions.sandboxAttempt = sandbox.attempt;
  actions.remove = deadInstancesToRemove(rs);
  if (!planInitContainers(pod, rs, facts, actions)) return actions;
  planAppContainers(pod, rs, facts, actions);
  if (podFinished(pod, rs) && actions.start.length === 0 && actions.backOff.length === 0) actions.killPod = true;
  return actions;
}

/** A sandbox is missing or dead: kill what is left, and start over unless the pod must not restart. */
function planNewSandbox(pod: Pod, rs: RuntimePodStatus, actions: PodActions): PodActions {
  actions.killPod = rs.sandboxes.length > 0 || rs.containers.some((c) => c.state === 'running');
  if (pod.spec.restartPolicy === 'Never' && rs.containers.length > 0) return actions; // ran once: never again
  if (podFinished(pod, rs)) return actions;
  actions.createSandbox = true;
  actions.sandboxAttempt = rs.sandboxes.length > 0 ? rs.sandboxes[0].attempt + 1 : 0;
  const inits = pod.spec.initContainers ?? [];
  if (inits.length > 0) {
    actions.start.push({ name: inits[0].name, init: true, restartCount: nextRestartCount(rs, inits[0].name, true) });
    return actions;
  }
  for (const c of pod.spec.containers) {
    const last = latestContainer(rs, c.name, false);
    if (pod.spec.restartPolicy === 'OnFailure' && last?.state === 'exited' && last.exitCode === 0) continue;
    actions.start.push({ name: c.name, init: false, restartCount: nextRestartCount(rs, c.name, false) });
  }
  return actions;
}

/** planInitContainers runs init containers one at a time, in order; true when all have succeeded. */
function planInitContainers(pod: Pod, rs: RuntimePodStatus, facts: PlanFacts, actions: PodActions): boolean {
  const inits = pod.spec.initContainers ?? [];
  // Once an app container exists, initialization finished earlier (init records may be gone).
  if (pod.spec.containers.some((c) => latestContainer(rs, c.name, false))) return true;
  for (const c of inits) {
    const last = latestContainer(rs, c.name, true);
    if (last?.state === 'exited' && last.exitCode === 0) continue;
    if (last?.state === 'running') return false;
    if (last?.state === 'exited' && pod.spec.restartPolicy === 'Never') {
      actions.initFailed = true;
      actions.killPod = true;
      return false;
    }
    if (last?.state === 'created') actions.kill.push({ id: last.id, name: c.name, message: 'Container was created but never started' });
    planStart(pod, rs, facts, actions, c.name, true, failedInstance(last));
    return false;
  }
  return true;
}

function planAppContainers(pod: Pod, rs: RuntimePodStatus, facts: PlanFacts, actions: PodActions): void {
  for (const c of pod.spec.containers) {
    const last = latestContainer(rs, c.name, false);
    if (last?.state === 'running') {
      planRunning(pod, rs, facts, actions, c, last);
      continue;
    }
    if (last?.state === 'created') actions.kill.push({ id: last.id, name: c.name, message: 'Container was created but never started' });
    const exited = last?.state === 'exited' ? last : undefined;
    if (exited && !shouldRestart(pod.spec.restartPolicy, exited.exitCode)) continue;
    planStart(pod, rs, facts, actions, c.name, false, failedInstance(last));
  }
}

/** A running container is restarted when its liveness/startup probe failed or its spec changed. */
function planRunning(pod: Pod, rs: RuntimePodStatus, facts: PlanFacts, actions: PodActions, c: Container, last: RuntimeContainer): void {
  const failed = facts.probeFailed(last.id);
  let message = '';
  if (failed) message = `Container ${c.name} failed ${failed} probe, will be restarted`;
  else if (last.hash && last.hash !== containerHash(c)) message = `Container ${c.name} definition changed, will be restarted`;
  if (!message) return;
  actions.kill.push({ id: last.id, name: c.name, message });
  if (pod.spec.restartPolicy !== 'Never') actions.start.push({ name: c.name, init: false, restartCount: nextRestartCount(rs, c.name, false) });
}

/** planStart starts a container now, or records that it is still backing off since its last exit. */
function planStart(
  pod: Pod,
  rs: RuntimePodStatus,
  facts: PlanFacts,
  actions: PodActions,
  name: string,
  init: boolean,
  exited: RuntimeContainer | undefined,
): void {
  const key = containerKey(pod, name);
  const remainingMs = exited ? facts.backoffRemaining(key, exited.finishedAt, facts.now) : 0;
  if (remainingMs > 0) {
    actions.backOff.push({ name, init, remainingMs, delayMs: facts.backoffDelay(key, facts.now) });
    return;
  }
  actions.start.push({ name, init, restartCount: nextRestartCount(rs, name, init) });
}

/**
 * failedInstance is the last instance as a failure for back-off: an exited one, or one created
 * but never started (its start failed), which failed when it was created. Without this a start
 * that always fails would be retried, and a new container made, on every sync.
 */
function failedInstance(last: RuntimeContainer | undefined): RuntimeContainer | undefined {
  if (last?.state === 'exited') return last;
  if (last?.state === 'created') return { ...last, finishedAt: last.createdAt };
  return undefined;
}

/**
 * deadInstancesToRemove keeps the newest two instances of each container (the current one and
 * the previous, for lastState and `logs --previous`) and names the older dead ones.
 */
export function deadInstancesToRemove(rs: RuntimePodStatus): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const c of rs.containers) {
    const key = `${c.init ? 'init' : 'app'}/${c.name}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 2 && c.state !== 'running') out.push(c.id);
  }
  return out;
}

function nextRestartCount(rs: RuntimePodStatus, name: string, init: boolean): number {
  const last = containerInstances(rs, name, init)[0];
  return last ? last.restartCount + 1 : 0;
}

/** podFinished: every app container has exited and restartPolicy keeps all of them down. */
export function podFinished(pod: Pod, rs: RuntimePodStatus): boolean {
  return pod.spec.containers.every((c) => {
    const last = latestContainer(rs, c.name, false);
    return last?.state === 'exited' && !shouldRestart(pod.spec.restartPolicy, last.exitCode);
  });
}
