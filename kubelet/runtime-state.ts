// What the runtime says about one pod, read through RuntimeService and shaped for the pure
// planning and status functions (upstream kubecontainer.PodStatus). Times are ms since epoch.

import type { ContainerStatus as CriContainerStatus, PodSandbox, RuntimeService } from '../runtime/api.js';
import { RuntimeError } from '../runtime/api.js';
import { ANNOTATION_HASH, ANNOTATION_RESTART_COUNT, LABEL_CONTAINER_NAME, LABEL_CONTAINER_TYPE, LABEL_POD_UID } from './labels.js';

/** RuntimeContainerState is CRI's container state in short form. */
export type RuntimeContainerState = 'created' | 'running' | 'exited' | 'unknown';

/** RuntimeContainer is one container instance (one attempt) of a pod. */
export interface RuntimeContainer {
  id: string;
  name: string;
  init: boolean;
  restartCount: number;
  state: RuntimeContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  hash: string;
  logPath: string;
}

/** RuntimeSandbox is one sandbox (one attempt) of a pod. */
export interface RuntimeSandbox {
  id: string;
  attempt: number;
  ready: boolean;
  createdAt: number;
  ip: string;
}

/** RuntimePodStatus: the pod's sandboxes and containers, newest first. */
export interface RuntimePodStatus {
  uid: string;
  sandboxes: RuntimeSandbox[];
  containers: RuntimeContainer[];
}

const STATE: Record<string, RuntimeContainerState> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
};

/** emptyRuntimePodStatus is a pod the runtime knows nothing about. */
export function emptyRuntimePodStatus(uid: string): RuntimePodStatus {
  return { uid, sandboxes: [], containers: [] };
}

/** readRuntimePodStatus asks the runtime for everything it has for the pod uid. */
export async function readRuntimePodStatus(runtime: RuntimeService, uid: string): Promise<RuntimePodStatus> {
  const selector = { [LABEL_POD_UID]: uid };
  const [sandboxes, containers] = await Promise.all([
    runtime.listPodSandbox({ labelSelector: selector }),
    runtime.listContainers({ labelSelector: selector }),
  ]);
  // The sandboxes' and the containers' statuses in one round of calls, not two.
  const [sbs, statuses] = await Promise.all([
    Promise.all(sandboxes.map((s) => readSandbox(runtime, s))),
    Promise.all(containers.map((c) => statusOrUndefined(runtime, c.id))),
  ]);
  const ctrs = statuses.filter((s): s is CriContainerStatus => s !== undefined).map(toRuntimeContainer);
  return {
    uid,
    sandboxes: sbs.sort((a, b) => b.createdAt - a.createdAt),
    containers: ctrs.sort((a, b) => b.createdAt - a.createdAt || b.restartCount - a.restartCount),
  };
}

async function readSandbox(runtime: RuntimeService, s: PodSandbox): Promise<RuntimeSandbox> {
  const base = { id: s.id, attempt: s.metadata.attempt, ready: s.state === 'SANDBOX_READY', createdAt: nsToMs(s.createdAt) };
  if (!base.ready) return { ...base, ip: '' };
  try {
    return { ...base, ip: (await runtime.podSandboxStatus(s.id)).network.ip };
  } catch (err) {
    if (err instanceof RuntimeError && err.code === 'NOT_FOUND') return { ...base, ready: false, ip: '' };
    throw err;
  }
}

async function statusOrUndefined(runtime: RuntimeService, id: string): Promise<CriContainerStatus | undefined> {
  try {
    return await runtime.containerStatus(id);
  } catch (err) {
    if (err instanceof RuntimeError && err.code === 'NOT_FOUND') return undefined; // removed meanwhile
    throw err;
  }
}

/** toRuntimeContainer converts a CRI status, reading the agent's labels and annotations. */
export function toRuntimeContainer(s: CriContainerStatus): RuntimeContainer {
  return {
    id: s.id,
    name: s.labels[LABEL_CONTAINER_NAME] ?? s.metadata.name,
    init: s.labels[LABEL_CONTAINER_TYPE] === 'init',
    restartCount: Number(s.annotations[ANNOTATION_RESTART_COUNT] ?? s.metadata.attempt) || 0,
    state: STATE[s.state] ?? 'unknown',
    createdAt: nsToMs(s.createdAt),
    startedAt: nsToMs(s.startedAt),
    finishedAt: nsToMs(s.finishedAt),
    exitCode: s.exitCode,
    reason: s.reason,
    message: s.message,
    image: s.image.image,
    imageRef: s.imageRef,
    hash: s.annotations[ANNOTATION_HASH] ?? '',
    logPath: s.logPath,
  };
}

/** latestContainer is the newest instance of the named container (init or app), if any. */
export function latestContainer(rs: RuntimePodStatus, name: string, init: boolean): RuntimeContainer | undefined {
  return rs.containers.find((c) => c.name === name && c.init === init);
}

/** containerInstances are all instances of the named container, newest first. */
export function containerInstances(rs: RuntimePodStatus, name: string, init: boolean): RuntimeContainer[] {
  return rs.containers.filter((c) => c.name === name && c.init === init);
}

function nsToMs(ns: number): number {
  return Math.floor(ns / 1_000_000);
}
