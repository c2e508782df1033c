// syncPod: the "act" half of a pod sync (upstream kuberuntime_manager.go SyncPod). It reads the
// runtime, asks computePodActions for a plan, carries it out (sandbox, kills, image pulls,
// container creation with env and mounts), then writes the status generateAPIPodStatus-style.

import type { ConfigMap, Secret, Service } from '../api/types/core.js';
import type { ResourceList } from '../api/types/common.js';
import type { Container, Pod, PodStatus } from '../api/types/pod.js';
import type { Clock } from '../client/clock.js';
import type { EventRecorder } from '../client/events.js';
import type { RestClient } from '../client/rest.js';
import { RuntimeError, type RuntimeService } from '../runtime/api.js';
import { Backoff } from './backoff.js';
import { containerConfig, pullPolicy, sandboxConfig } from './container-config.js';
import type { PodDnsSettings } from './dns/index.js';
import { ConfigError, makeEnvironment, referencedNames } from './env.js';
import { podRef } from './events.js';
import { runHandler } from './lifecycle.js';
import { computePodActions, containerKey, type ContainerToStart, type PodActions } from './pod-actions.js';
import { generatePodStatus, waitingKey, type WaitingReason } from './pod-status.js';
import type { ProbeManager } from './probe-manager.js';
import type { ReferencedObjects } from './referenced-objects.js';
import { readRuntimePodStatus, type RuntimePodStatus } from './runtime-state.js';
import type { StatusWriter } from './status-writer.js';
import { containerMounts, referencedVolumeObjects, setUpVolumes, VolumeError } from './volumes.js';

/** SyncDeps are the agent's parts a pod sync uses. */
export interface SyncDeps {
  client: RestClient;
  runtime: RuntimeService;
  clock: Clock;
  events: EventRecorder;
  probes: ProbeManager;
  statusWriter: StatusWriter;
  crashBackoff: Backoff;
  imageBackoff: Backoff;
  hostIP: string;
  runtimeName: string;
  rootDir: string;
  logDir: string;
  allocatable: ResourceList;
  /** The ConfigMaps and Secrets the node's pods use, each watched (the agent registers every pod before its sync). */
  objects: ReferencedObjects;
  /** The Services whose variables a pod in this namespace gets, from the Service informer. */
  services(namespace: string): Service[];
  /** What pods' resolv.conf is made from (kubelet/dns); absent → the runtime copies the host's. */
  dns?: PodDnsSettings;
}

/** PodSyncState is what the agent keeps per pod between syncs. */
export interface PodSyncState {
  waiting: Map<string, WaitingReason>;
  rs: RuntimePodStatus;
  status?: PodStatus;
}

/** SyncResult tells the worker when to look at the pod again (a back-off expiring). */
export interface SyncResult {
  requeueAfterMs?: number;
}

/** syncPod makes the runtime match a live (not deleted) pod and reports its status. */
export async function syncPod(deps: SyncDeps, pod: Pod, st: PodSyncState): Promise<SyncResult> {
  const rs = await readRuntimePodStatus(deps.runtime, pod.metadata.uid ?? '');
  const now = deps.clock.now();
  const actions = computePodActions(pod, rs, {
    now,
    backoffRemaining: (k, at, t) => deps.crashBackoff.remaining(k, at, t),
    backoffDelay: (k, t) => deps.crashBackoff.current(k, t),
    probeFailed: (id) => (deps.probes.result('liveness', id) === 'failure' ? 'liveness' : deps.probes.result('startup', id) === 'failure' ? 'startup' : undefined),
  });
  const requeue = await applyActions(deps, pod, rs, actions, st);
  deps.probes.addPod(pod);
  await reportStatus(deps, pod, st);
  return { requeueAfterMs: requeue };
}

/** reportStatus re-reads the runtime, generates the status and writes it if it changed. */
export async function reportStatus(deps: SyncDeps, pod: Pod, st: PodSyncState): Promise<void> {
  st.rs = await readRuntimePodStatus(deps.runtime, pod.metadata.uid ?? '');
  st.status = generatePodStatus(pod, st.rs, statusFacts(deps, pod, st));
  await deps.statusWriter.write(pod, st.status);
}

function statusFacts(deps: SyncDeps, pod: Pod, st: PodSyncState): Parameters<typeof generatePodStatus>[2] {
  const byId = new Map(st.rs.containers.map((c) => [c.id, pod.spec.containers.find((x) => x.name === c.name && !c.init)]));
  return {
    now: deps.clock.now(),
    hostIP: deps.hostIP,
    runtimeName: deps.runtimeName,
    waiting: st.waiting,
    ready: (id) => (byId.get(id)?.readinessProbe ? deps.probes.result('readiness', id) === 'success' : undefined),
    started: (id) => (byId.get(id)?.startupProbe ? deps.probes.result('startup', id) === 'success' : undefined),
  };
}

async function applyActions(deps: SyncDeps, pod: Pod, rs: RuntimePodStatus, a: PodActions, st: PodSyncState): Promise<number | undefined> {
  if (a.killPod) await killPod(deps, pod, rs);
  let sandboxId = a.sandboxId;
  if (a.createSandbox) sandboxId = await deps.runtime.runPodSandbox(sandboxConfig(pod, a.sandboxAttempt, deps.logDir, deps.dns));
  for (const k of a.kill) {
    deps.events.event(podRef(pod, k.name), 'Normal', 'Killing', k.message);
    await deps.runtime.stopContainer(k.id, gracePeriod(pod));
  }
  for (const id of a.remove) await deps.runtime.removeContainer(id).catch(() => undefined); // best effort, retried next sync
  let requeue: number | undefined;
  for (const b of a.backOff) {
    const msg = `back-off ${Math.round(b.delayMs / 1000)}s restarting failed container=${b.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    st.waiting.set(waitingKey(b.init, b.name), { reason: 'CrashLoopBackOff', message: msg });
    deps.events.event(podRef(pod, b.name, b.init), 'Warning', 'BackOff', `Back-off restarting failed container ${b.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`);
    requeue = Math.min(requeue ?? Infinity, b.remainingMs);
  }
  if (!sandboxId) return requeue;
  // Volumes are rewritten (only files whose content differs) on every sync of a running pod: a
  // changed ConfigMap or Secret enqueues the pods using it (its watch), so its files change in
  // place at once; the resync remains the path for objects read with GET (upstream's remount).
  if (a.start.length === 0 && !pod.spec.volumes?.length) return requeue;
  const sandbox = { ip: rs.sandboxes.find((s) => s.id === sandboxId)?.ip || (await sandboxIp(deps, sandboxId)).ip };
  const volumes = await prepareVolumes(deps, pod, sandbox.ip);
  if (a.start.length === 0) return requeue;
  if (!volumes) return requeue ?? 2000;
  for (const s of a.start) {
    const r = await startContainer(deps, pod, rs, sandboxId, s, volumes, sandbox.ip, st);
    if (r !== undefined) requeue = Math.min(requeue ?? Infinity, r);
  }
  return requeue;
}

async function sandboxIp(deps: SyncDeps, id: string): Promise<{ ip: string }> {
  return { ip: (await deps.runtime.podSandboxStatus(id)).network.ip };
}

/** fetchObjects reads the named ConfigMaps and Secrets from their watches (missing ones are simply absent). */
async function fetchObjects(deps: SyncDeps, ns: string, names: { configMaps: string[]; secrets: string[] }): Promise<{ cms: Map<string, ConfigMap>; secrets: Map<string, Secret> }> {
  const cms = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  await Promise.all([
    ...[...new Set(names.configMaps)].map(async (n) => {
      const o = await deps.objects.configMap(ns, n);
      if (o) cms.set(n, o);
    }),
    ...[...new Set(names.secrets)].map(async (n) => {
      const o = await deps.objects.secret(ns, n);
      if (o) secrets.set(n, o);
    }),
  ]);
  return { cms, secrets };
}

/** prepareVolumes sets up volumes; a missing source is a FailedMount event and a retry. */
async function prepareVolumes(deps: SyncDeps, pod: Pod, podIP: string): Promise<Map<string, string> | undefined> {
  if (!pod.spec.volumes?.length) return new Map();
  const { cms, secrets } = await fetchObjects(deps, pod.metadata.namespace ?? 'default', referencedVolumeObjects(pod));
  try {
    return setUpVolumes(pod, deps.rootDir, { configMap: (n) => cms.get(n), secret: (n) => secrets.get(n), podIP, hostIP: deps.hostIP });
  } catch (err) {
    if (!(err instanceof VolumeError)) throw err;
    deps.events.event(podRef(pod), 'Warning', 'FailedMount', `MountVolume.SetUp failed: ${err.message}`);
    return undefined;
  }
}

/** startContainer pulls, configures, creates and starts one container; returns a retry delay on failure. */
async function startContainer(
  deps: SyncDeps,
  pod: Pod,
  rs: RuntimePodStatus,
  sandboxId: string,
  s: ContainerToStart,
  volumes: Map<string, string>,
  podIP: string,
  st: PodSyncState,
): Promise<number | undefined> {
  const c = findContainer(pod, s);
  if (!c) return undefined;
  const wkey = waitingKey(s.init, c.name);
  const ref = podRef(pod, c.name, s.init);
  const pulled = await ensureImage(deps, pod, c, s.init, st);
  if (pulled !== true) return pulled;
  let envs;
  try {
    envs = await environment(deps, pod, c, podIP);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    st.waiting.set(wkey, { reason: 'CreateContainerConfigError', message: err.message });
    deps.events.event(ref, 'Warning', 'Failed', `Error: ${err.message}`);
    return 2000;
  }
  const sbConfig = sandboxConfig(pod, rs.sandboxes[0]?.attempt ?? 0, deps.logDir, deps.dns);
  const now = deps.clock.now();
  const prev = rs.containers.find((x) => x.name === c.name && x.init === s.init);
  if (prev && (prev.state === 'exited' || prev.state === 'created')) deps.crashBackoff.next(containerKey(pod, c.name), now);
  try {
    const id = await deps.runtime.createContainer(sandboxId, containerConfig(pod, c, s.init, s.restartCount, envs, containerMounts(c, volumes)), sbConfig);
    deps.events.event(ref, 'Normal', 'Created', `Created container ${c.name}`);
    await deps.runtime.startContainer(id);
    deps.events.event(ref, 'Normal', 'Started', `Started container ${c.name}`);
    st.waiting.delete(wkey);
    if (c.lifecycle?.postStart) await postStart(deps, pod, c, id, podIP);
  } catch (err) {
    if (!(err instanceof RuntimeError)) throw err;
    st.waiting.set(wkey, { reason: 'CreateContainerError', message: err.message });
    deps.events.event(ref, 'Warning', 'Failed', `Error: ${err.message}`);
    return 2000;
  }
  return undefined;
}

function findContainer(pod: Pod, s: ContainerToStart): Container | undefined {
  return (s.init ? pod.spec.initContainers ?? [] : pod.spec.containers).find((c) => c.name === s.name);
}

async function postStart(deps: SyncDeps, pod: Pod, c: Container, id: string, podIP: string): Promise<void> {
  const handler = c.lifecycle?.postStart;
  if (!handler) return;
  const out = await runHandler(deps.runtime, handler, { container: c, containerId: id, podIP }, 30);
  if (out.ok) return;
  deps.events.event(podRef(pod, c.name), 'Warning', 'FailedPostStartHook', out.message);
  await deps.runtime.stopContainer(id, gracePeriod(pod));
}

/** environment gathers the objects the env refers to and builds the variables. */
async function environment(deps: SyncDeps, pod: Pod, c: Container, podIP: string): Promise<{ key: string; value: string }[]> {
  const ns = pod.metadata.namespace ?? 'default';
  const { cms, secrets } = await fetchObjects(deps, ns, referencedNames(c));
  const services = pod.spec.enableServiceLinks === false ? [] : deps.services(ns);
  return makeEnvironment(pod, c, { configMap: (n) => cms.get(n), secret: (n) => secrets.get(n), services, podIP, hostIP: deps.hostIP, allocatable: deps.allocatable });
}

/** ensureImage honours imagePullPolicy with back-off; true when the image is present. */
async function ensureImage(deps: SyncDeps, pod: Pod, c: Container, init: boolean, st: PodSyncState): Promise<true | number> {
  const image = c.image ?? '';
  const ref = podRef(pod, c.name, init);
  const wkey = waitingKey(init, c.name);
  const policy = pullPolicy(c);
  const present = policy !== 'Always' && (await deps.runtime.imageStatus(image)) !== undefined;
  if (present) {
    if (!st.waiting.has(wkey)) deps.events.event(ref, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    return true;
  }
  if (policy === 'Never') {
    st.waiting.set(wkey, { reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` });
    return 5000;
  }
  const now = deps.clock.now();
  const key = `${image}/${pod.metadata.uid}`;
  const wait = deps.imageBackoff.remainingSinceLast(key, now);
  if (wait > 0 && ['ErrImagePull', 'ImagePullBackOff'].includes(st.waiting.get(wkey)?.reason ?? '')) {
    st.waiting.set(wkey, { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` });
    deps.events.event(ref, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
    return wait;
  }
  deps.events.event(ref, 'Normal', 'Pulling', `Pulling image "${image}"`);
  try {
    await deps.runtime.pullImage(image);
  } catch (err) {
    if (!(err instanceof RuntimeError)) throw err;
    const delay = deps.imageBackoff.next(key, now);
    st.waiting.set(wkey, { reason: 'ErrImagePull', message: err.message });
    deps.events.event(ref, 'Warning', 'Failed', `Failed to pull image "${image}": ${err.message}`);
    return delay;
  }
  deps.imageBackoff.reset(key);
  const took = ((deps.clock.now() - now) / 1000).toFixed(3);
  deps.events.event(ref, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took}s`);
  return true;
}

/** gracePeriod is the pod's termination grace in seconds (deletion grace wins). */
export function gracePeriod(pod: Pod): number {
  return pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
}

/**
 * killPod stops every running container (preStop first, within the grace period) and the
 * sandboxes. Containers stay in the runtime so their final state can still be reported.
 */
export async function killPod(deps: SyncDeps, pod: Pod, rs: RuntimePodStatus): Promise<void> {
  const grace = gracePeriod(pod);
  const start = deps.clock.now();
  const running = rs.containers.filter((c) => c.state === 'running' || c.state === 'created');
  await Promise.all(
    running.map(async (rc) => {
      const spec = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === rc.name);
      deps.events.event(podRef(pod, rc.name, rc.init), 'Normal', 'Killing', `Stopping container ${rc.name}`);
      const preStop = spec?.lifecycle?.preStop;
      const podIP = rs.sandboxes.find((s) => s.ready)?.ip ?? '';
      if (preStop && spec && rc.state === 'running') {
        const out = await runHandler(deps.runtime, preStop, { container: spec, containerId: rc.id, podIP }, grace);
        if (!out.ok) deps.events.event(podRef(pod, rc.name), 'Warning', 'FailedPreStopHook', out.message);
      }
      const left = Math.max(2, grace - Math.floor((deps.clock.now() - start) / 1000));
      await deps.runtime.stopContainer(rc.id, grace === 0 ? 0 : left);
    }),
  );
  for (const sb of rs.sandboxes) if (sb.ready) await deps.runtime.stopPodSandbox(sb.id);
}

/** removePodFromRuntime removes every sandbox (and with it every container) of the pod. */
export async function removePodFromRuntime(deps: SyncDeps, rs: RuntimePodStatus): Promise<void> {
  for (const c of rs.containers) await deps.runtime.removeContainer(c.id);
  for (const sb of rs.sandboxes) await deps.runtime.removePodSandbox(sb.id);
}
