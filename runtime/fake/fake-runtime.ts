// FakeRuntime: an in-memory RuntimeService for tests and hollow nodes. Containers "run" on the
// injected Clock: a script decides start latency, self-exit time and code, exec answers and log
// lines. Every call is idempotent as CRI requires (stopping a stopped container succeeds).

import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { delay, realClock, type Clock, type TimerHandle } from '../../client/clock.js';
import {
  RuntimeError,
  type Container,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerStatus,
  type ExecSyncResponse,
  type Image,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatus,
  type RuntimeConfig,
  type RuntimeService,
  type VersionInfo,
} from '../api.js';
import { exitReason, type ContainerScript, type ScriptFn } from './script.js';

/** FakeRuntimeOptions configure a FakeRuntime. */
export interface FakeRuntimeOptions {
  clock?: Clock;
  /** Picks each container's behaviour. */
  script?: ScriptFn;
  /** Images that fail to pull, with the error message. */
  pullFailures?: Map<string, string>;
  /** Images present before any pull. */
  images?: string[];
  /** First three octets of sandbox IPs (default 10.88.0); the last octet counts up. */
  ipPrefix?: string;
  /** Write scripted log lines to <logDirectory>/<logPath> in CRI format. */
  writeLogs?: boolean;
}

/** RuntimeCall records one call made to the fake, for assertions. */
export interface RuntimeCall {
  method: string;
  args: unknown[];
}

interface FakeSandbox {
  status: PodSandboxStatus;
  config: PodSandboxConfig;
}

interface FakeContainer {
  status: ContainerStatus;
  sandboxId: string;
  config: ContainerConfig;
  sandboxConfig: PodSandboxConfig;
  script: ContainerScript;
  exitTimer?: TimerHandle;
}

const NS_PER_MS = 1_000_000;

/** FakeRuntime implements RuntimeService in memory. */
export class FakeRuntime implements RuntimeService {
  readonly calls: RuntimeCall[] = [];
  /** Replaceable at any time; applies to containers created afterwards. */
  script: ScriptFn;
  readonly pullFailures: Map<string, string>;
  private readonly clock: Clock;
  private readonly sandboxes = new Map<string, FakeSandbox>();
  private readonly containers = new Map<string, FakeContainer>();
  private readonly images = new Map<string, Image>();
  private nextId = 0;
  private nextIp = 1;
  private readonly ipPrefix: string;
  private readonly writeLogs: boolean;
  /** The last UpdateRuntimeConfig, for assertions. */
  runtimeConfig?: RuntimeConfig;

  constructor(opts: FakeRuntimeOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.script = opts.script ?? (() => undefined);
    this.pullFailures = opts.pullFailures ?? new Map();
    this.ipPrefix = opts.ipPrefix ?? '10.88.0';
    this.writeLogs = opts.writeLogs ?? false;
    for (const img of opts.images ?? []) this.addImage(img);
  }

  async version(): Promise<VersionInfo> {
    return { version: '0.1.0', runtimeName: 'fake', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };
  }

  async updateRuntimeConfig(config: RuntimeConfig): Promise<void> {
    this.record('updateRuntimeConfig', config);
    this.runtimeConfig = { ...config };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    this.record('runPodSandbox', config);
    const id = this.newId('sb');
    const ip = config.hostNetwork ? '' : this.allocateIp();
    this.sandboxes.set(id, {
      config,
      status: {
        id,
        metadata: { ...config.metadata },
        state: 'SANDBOX_READY',
        createdAt: this.nowNs(),
        network: { ip, additionalIps: [] },
        labels: { ...config.labels },
        annotations: { ...config.annotations },
      },
    });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.record('stopPodSandbox', id);
    const sb = this.sandboxes.get(id);
    if (!sb) return;
    for (const c of this.containersOf(id)) this.exit(c, 137, 'Error');
    sb.status.state = 'SANDBOX_NOTREADY';
  }

  async removePodSandbox(id: string): Promise<void> {
    this.record('removePodSandbox', id);
    for (const c of this.containersOf(id)) this.removeNow(c.status.id);
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    return structuredClone(this.mustSandbox(id).status);
  }

  async listPodSandbox(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    return [...this.sandboxes.values()]
      .map((s) => s.status)
      .filter((s) => (!filter.id || s.id === filter.id) && (!filter.state || s.state === filter.state))
      .filter((s) => labelsMatch(s.labels, filter.labelSelector))
      .map(({ id, metadata, state, createdAt, labels, annotations }) =>
        structuredClone({ id, metadata, state, createdAt, labels, annotations }),
      );
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    this.record('createContainer', podSandboxId, config);
    const sb = this.mustSandbox(podSandboxId);
    if (sb.status.state !== 'SANDBOX_READY') throw new RuntimeError('FAILED_PRECONDITION', `sandbox ${podSandboxId} is not ready`);
    const script = this.script(config, sandboxConfig) ?? {};
    if (script.createError) throw new RuntimeError('INTERNAL', script.createError);
    const id = this.newId('ctr');
    const image = this.images.get(config.image.image);
    this.containers.set(id, {
      sandboxId: podSandboxId,
      config,
      sandboxConfig,
      script,
      status: {
        id,
        metadata: { ...config.metadata },
        state: 'CONTAINER_CREATED',
        createdAt: this.nowNs(),
        startedAt: 0,
        finishedAt: 0,
        exitCode: 0,
        image: { image: config.image.image },
        imageRef: image?.id ?? config.image.image,
        reason: '',
        message: '',
        labels: { ...config.labels },
        annotations: { ...config.annotations },
        mounts: config.mounts.map((m) => ({ ...m })),
        logPath: sandboxConfig.logDirectory ? join(sandboxConfig.logDirectory, config.logPath) : config.logPath,
      },
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.record('startContainer', id);
    const c = this.mustContainer(id);
    if (c.status.state !== 'CONTAINER_CREATED') throw new RuntimeError('FAILED_PRECONDITION', `container ${id} is not in created state`);
    await delay(this.clock, c.script.startLatencyMs ?? 0);
    c.status.state = 'CONTAINER_RUNNING';
    c.status.startedAt = this.nowNs();
    this.writeLogLines(c);
    const after = c.script.exitAfterMs;
    if (after !== undefined) {
      const code = c.script.exitCode ?? 0;
      c.exitTimer = this.clock.setTimeout(() => this.exit(c, code, exitReason(code, c.script.exitReason)), after);
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    this.record('stopContainer', id, timeoutSeconds);
    const c = this.containers.get(id);
    if (!c || c.status.state === 'CONTAINER_EXITED') return;
    if (c.status.state === 'CONTAINER_CREATED') return this.exit(c, 0, '');
    if (!c.script.ignoreSigterm) return this.exit(c, 143, 'Error');
    await delay(this.clock, timeoutSeconds * 1000);
    this.exit(c, 137, 'Error');
  }

  async removeContainer(id: string): Promise<void> {
    this.record('removeContainer', id);
    this.removeNow(id);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    return [...this.containers.values()]
      .filter((c) => (!filter.id || c.status.id === filter.id) && (!filter.podSandboxId || c.sandboxId === filter.podSandboxId))
      .filter((c) => (!filter.state || c.status.state === filter.state) && labelsMatch(c.status.labels, filter.labelSelector))
      .map((c) => toContainer(c));
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return structuredClone(this.mustContainer(id).status);
  }

  async execSync(id: string, cmd: string[], _timeoutSeconds: number): Promise<ExecSyncResponse> {
    this.record('execSync', id, cmd);
    const c = this.mustContainer(id);
    if (c.status.state !== 'CONTAINER_RUNNING') throw new RuntimeError('FAILED_PRECONDITION', `container ${id} is not running`);
    const r = c.script.exec?.(cmd) ?? { exitCode: 0 };
    return { exitCode: r.exitCode, stdout: Buffer.from(r.stdout ?? ''), stderr: Buffer.from(r.stderr ?? '') };
  }

  async reopenContainerLog(id: string): Promise<void> {
    this.mustContainer(id);
  }

  async pullImage(image: string): Promise<string> {
    this.record('pullImage', image);
    const failure = this.pullFailures.get(image);
    if (failure !== undefined) throw new RuntimeError('UNAVAILABLE', failure);
    return this.addImage(image).id;
  }

  async listImages(): Promise<Image[]> {
    return [...this.images.values()].map((i) => structuredClone(i));
  }

  async imageStatus(image: string): Promise<Image | undefined> {
    const i = this.images.get(image);
    return i && structuredClone(i);
  }

  async removeImage(image: string): Promise<void> {
    this.images.delete(image);
  }

  /** exitContainer makes a running container exit now, as if its process ended (test hook). */
  exitContainer(id: string, exitCode: number, reason?: string): void {
    this.exit(this.mustContainer(id), exitCode, exitReason(exitCode, reason));
  }

  /** configOf returns the config a container was created with (test hook). */
  configOf(id: string): ContainerConfig {
    return this.mustContainer(id).config;
  }

  private exit(c: FakeContainer, exitCode: number, reason: string): void {
    if (c.status.state === 'CONTAINER_EXITED') return;
    if (c.exitTimer) this.clock.clearTimeout(c.exitTimer);
    c.status.state = 'CONTAINER_EXITED';
    c.status.exitCode = exitCode;
    c.status.reason = reason;
    c.status.finishedAt = this.nowNs();
  }

  private removeNow(id: string): void {
    const c = this.containers.get(id);
    if (!c) return;
    if (c.exitTimer) this.clock.clearTimeout(c.exitTimer);
    this.containers.delete(id);
  }

  private writeLogLines(c: FakeContainer): void {
    const path = c.status.logPath;
    if (!this.writeLogs || !c.script.logLines?.length || !isAbsolute(path)) return;
    mkdirSync(dirname(path), { recursive: true });
    const ts = new Date(this.clock.now()).toISOString();
    appendFileSync(path, c.script.logLines.map((l) => `${ts} stdout F ${l}\n`).join(''));
  }

  private addImage(image: string): Image {
    const existing = this.images.get(image);
    if (existing) return existing;
    const img: Image = { id: `sha256:${fakeDigest(image)}`, repoTags: [image], repoDigests: [], size: 1024 };
    this.images.set(image, img);
    return img;
  }

  private containersOf(sandboxId: string): FakeContainer[] {
    return [...this.containers.values()].filter((c) => c.sandboxId === sandboxId);
  }

  private mustSandbox(id: string): FakeSandbox {
    const sb = this.sandboxes.get(id);
    if (!sb) throw new RuntimeError('NOT_FOUND', `sandbox ${id} not found`);
    return sb;
  }

  private mustContainer(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NOT_FOUND', `container ${id} not found`);
    return c;
  }

  private allocateIp(): string {
    const n = this.nextIp++;
    return `${this.ipPrefix}.${(n % 254) + 1}`;
  }

  private newId(kind: string): string {
    return `${kind}-${(++this.nextId).toString(16).padStart(8, '0')}`;
  }

  private nowNs(): number {
    return this.clock.now() * NS_PER_MS;
  }

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }
}

function toContainer(c: FakeContainer): Container {
  const s = c.status;
  return structuredClone({
    id: s.id,
    podSandboxId: c.sandboxId,
    metadata: s.metadata,
    image: s.image,
    imageRef: s.imageRef,
    state: s.state,
    createdAt: s.createdAt,
    labels: s.labels,
    annotations: s.annotations,
  });
}

function labelsMatch(labels: Record<string, string>, sel?: Record<string, string>): boolean {
  return Object.entries(sel ?? {}).every(([k, v]) => labels[k] === v);
}

function fakeDigest(s: string): string {
  let h = 0x811c9dc5;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
}
