// generatePodStatus: the pure computation of a pod's API status from what the runtime reports,
// the probe results and the last sync's errors (upstream kubelet_pods.go generateAPIPodStatus,
// getPhase, convertToAPIContainerStatuses and status/generate.go).

import type { Condition } from '../api/types/common.js';
import type { Container, ContainerState, ContainerStatus, Pod, PodStatus } from '../api/types/pod.js';
import { qosClass } from './resources.js';
import type { RuntimeContainer, RuntimePodStatus } from './runtime-state.js';
import { containerInstances } from './runtime-state.js';
import { rfc3339 } from '../api/time.js';

/** WaitingReason is why a container is not running, from the last sync (CrashLoopBackOff, ...). */
export interface WaitingReason {
  reason: string;
  message: string;
}

/** StatusFacts are the inputs besides the pod and the runtime status. */
export interface StatusFacts {
  now: number;
  hostIP: string;
  /** Prefix of containerID, e.g. 'containerd' or 'fake'. */
  runtimeName: string;
  /** Readiness of a container id; undefined when it has no readiness probe. */
  ready(containerId: string): boolean | undefined;
  /** Startup probe passed for a container id; undefined when it has none. */
  started(containerId: string): boolean | undefined;
  /** Sync errors keyed `init/name` or `app/name`. */
  waiting: ReadonlyMap<string, WaitingReason>;
}

/** waitingKey keys StatusFacts.waiting. */
export function waitingKey(init: boolean, name: string): string {
  return `${init ? 'init' : 'app'}/${name}`;
}

/** generatePodStatus computes the full status the agent reports for pod. */
export function generatePodStatus(pod: Pod, rs: RuntimePodStatus, facts: StatusFacts): PodStatus {
  const old = pod.status ?? {};
  const initStatuses = (pod.spec.initContainers ?? []).map((c) => containerStatus(pod, rs, facts, c, true));
  const appStatuses = pod.spec.containers.map((c) => containerStatus(pod, rs, facts, c, false));
  const phase = podPhase(pod, initStatuses, appStatuses);
  const ip = rs.sandboxes.find((s) => s.ready)?.ip || old.podIP;
  const status: PodStatus = {
    phase,
    conditions: podConditions(pod, rs, phase, initStatuses, appStatuses, facts.now),
    hostIP: facts.hostIP,
    hostIPs: [{ ip: facts.hostIP }],
    startTime: old.startTime ?? rfc3339(facts.now),
    containerStatuses: appStatuses,
    qosClass: qosClass(pod),
  };
  if (ip) Object.assign(status, { podIP: ip, podIPs: [{ ip }] });
  if (initStatuses.length > 0) status.initContainerStatuses = initStatuses;
  return status;
}

function containerStatus(pod: Pod, rs: RuntimePodStatus, facts: StatusFacts, c: Container, init: boolean): ContainerStatus {
  const [latest, previous] = containerInstances(rs, c.name, init);
  const waiting = facts.waiting.get(waitingKey(init, c.name));
  if (!latest) {
    return {
      name: c.name,
      state: { waiting: waiting ?? { reason: defaultWaitingReason(pod, init) } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: c.image ?? '',
      imageID: '',
      started: false,
    };
  }
  const containerID = `${facts.runtimeName}://${latest.id}`;
  let state = apiState(latest, containerID);
  let lastState = previous ? apiState(previous, `${facts.runtimeName}://${previous.id}`) : {};
  if (waiting && latest.state !== 'running') {
    if (latest.state === 'exited') lastState = state;
    state = { waiting };
  }
  const running = latest.state === 'running';
  return {
    name: c.name,
    state,
    lastState,
    ready: running && (facts.ready(latest.id) ?? (init ? false : true)),
    restartCount: latest.restartCount,
    image: latest.image || (c.image ?? ''),
    imageID: latest.imageRef,
    containerID,
    started: running && (facts.started(latest.id) ?? true),
  };
}

function defaultWaitingReason(pod: Pod, init: boolean): string {
  if (init) return 'PodInitializing';
  return (pod.spec.initContainers ?? []).length > 0 ? 'PodInitializing' : 'ContainerCreating';
}

/** apiState converts one runtime container to the API's state union. */
export function apiState(c: RuntimeContainer, containerID: string): ContainerState {
  if (c.state === 'running') return { running: { startedAt: rfc3339(c.startedAt) } };
  if (c.state === 'exited') {
    const terminated = {
      exitCode: c.exitCode,
      reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'),
      startedAt: rfc3339(c.startedAt),
      finishedAt: rfc3339(c.finishedAt),
      containerID,
    };
    return { terminated: c.message ? { ...terminated, message: c.message } : terminated };
  }
  return { waiting: { reason: 'ContainerCreating' } };
}

/** podPhase is upstream getPhase; a pod being deleted is treated as restartPolicy Never. */
export function podPhase(pod: Pod, inits: ContainerStatus[], apps: ContainerStatus[]): string {
  const policy = pod.metadata.deletionTimestamp ? 'Never' : pod.spec.restartPolicy;
  let pendingInit = 0;
  for (const s of inits) {
    const t = s.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (t && policy === 'Never') return 'Failed';
    if (!t && policy === 'Never' && s.state?.waiting && s.lastState?.terminated) return 'Failed';
    pendingInit++;
  }
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const s of apps) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (pendingInit > 0 || waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (policy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  if (policy === 'Never') return 'Failed';
  return 'Running'; // OnFailure: the failed containers will be restarted
}

function podConditions(
  pod: Pod,
  rs: RuntimePodStatus,
  phase: string,
  inits: ContainerStatus[],
  apps: ContainerStatus[],
  now: number,
): Condition[] {
  const incompleteInit = inits.filter((s) => !(s.state?.terminated && s.state.terminated.exitCode === 0)).map((s) => s.name);
  const unready = apps.filter((s) => !s.ready).map((s) => s.name);
  const completed = phase === 'Succeeded';
  const sandboxReady = rs.sandboxes[0]?.ready ?? false;
  const initialized = incompleteInit.length === 0 || phase === 'Running' || completed;
  const containersReady = unready.length === 0 && !completed;
  const readyReason = completed ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = completed ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const conds: Condition[] = [
    cond('PodReadyToStartContainers', sandboxReady),
    cond('Initialized', initialized, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`),
    cond('Ready', containersReady, readyReason, readyMessage),
    cond('ContainersReady', containersReady, readyReason, readyMessage),
    cond('PodScheduled', true),
  ];
  return conds.map((c) => withTransitionTime(c, pod.status?.conditions ?? [], now));
}

function cond(type: string, ok: boolean, reason?: string, message?: string): Condition {
  const c: Condition = { type, status: ok ? 'True' : 'False' };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

/** withTransitionTime keeps the old lastTransitionTime while the condition's status is unchanged. */
function withTransitionTime(c: Condition, old: Condition[], now: number): Condition {
  const prev = old.find((o) => o.type === c.type);
  const lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now);
  return { ...c, lastTransitionTime };
}
