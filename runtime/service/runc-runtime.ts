// RuncRuntime: the RuntimeService over runc, CNI and the image store. State lives on disk under
// root (images/, sandboxes/, containers/, runc/, cni/), so a new RuncRuntime on the same root
// (after a restart) sees every sandbox, container, log and exit code. Every call is idempotent as
// CRI requires: stopping a stopped container or removing a removed sandbox succeeds.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  RuntimeError,
  type AuthConfig, type Container, type ContainerConfig, type ContainerFilter, type ContainerStatus,
  type ExecSyncResponse, type Image, type PodSandbox, type PodSandboxConfig, type PodSandboxFilter,
  type PodSandboxStatus, type RuntimeConfig, type RuntimeService, type VersionInfo,
} from '../api.js';
import { prepareContainer } from '../containers/create.js';
import { nowNs } from '../containers/exit-record.js';
import { ContainerManager } from '../containers/manager.js';
import { run } from '../exec/run.js';
import { importArchive, type ImportedImage } from '../images/import.js';
import { pullImage as pullFromRegistry } from '../images/registry.js';
import { ImageStore } from '../images/store.js';
import { DEFAULT_CNI_BIN_DIR } from '../sandbox/cni.js';
import { SandboxManager } from '../sandbox/manager.js';
import { matchLabels } from './filters.js';
import { KeyedLock } from './keyed-lock.js';

/**
 * How long after a container has started the next spare sandbox is begun: after the agent's
 * status read and write for that start, which the spare's four spawns would otherwise hold up
 * (probed with pods 0.6 s apart: begun 5 ms after, that read took 130-150 ms instead of 25, and
 * create to Running p50 was 349-450 ms; begun 200-300 ms after, 248-258 ms; 320-365 ms with no spare).
 */
const SPARE_AFTER_START_MS = 200;

/** RuncRuntimeOptions configure the runtime; only root is required. */
export interface RuncRuntimeOptions {
  root: string;
  runcBinary?: string;
  cniBinDir?: string;
  /** Pod CIDR of this node (default 10.88.0.0/16). */
  podCidr?: string;
  /** Linux bridge for pods (default skiff0). */
  bridge?: string;
  /** Parent of the per-pod cgroups the runtime names (default /skiff). */
  cgroupRoot?: string;
  /** Log file size that triggers rotation (default 10 MiB). */
  maxLogBytes?: number;
  /** Registries reached over plain HTTP (localhost is always). */
  insecureRegistries?: string[];
  /** node arguments that run the shim; default the compiled shim-main.js, or tsx from source. */
  shimCommand?: string[];
}

/** RuncRuntime implements RuntimeService with real containers. Call open() first. */
export class RuncRuntime implements RuntimeService {
  readonly images: ImageStore;
  readonly containers: ContainerManager;
  readonly sandboxes: SandboxManager;
  private readonly lock = new KeyedLock();
  private versionInfo?: Promise<VersionInfo>;

  constructor(readonly opts: RuncRuntimeOptions) {
    this.images = new ImageStore(join(opts.root, 'images'));
    this.containers = new ContainerManager({
      root: opts.root, runcBinary: opts.runcBinary ?? 'runc', maxLogBytes: opts.maxLogBytes ?? 10 << 20, shimCommand: opts.shimCommand,
    });
    this.sandboxes = new SandboxManager({
      root: opts.root,
      cniBinDir: opts.cniBinDir ?? DEFAULT_CNI_BIN_DIR,
      network: { podCidr: opts.podCidr ?? '10.88.0.0/16', bridge: opts.bridge ?? 'skiff0', networkName: 'skiff' },
      cgroupRoot: opts.cgroupRoot ?? '/skiff',
    });
  }

  /** open loads the state on disk. */
  async open(): Promise<this> {
    await mkdir(this.opts.root, { recursive: true });
    await this.containers.open();
    await this.sandboxes.open();
    // The agent's last UpdateRuntimeConfig outlives a restart of the runtime.
    const saved = await readFile(this.configFile, 'utf8').then((t) => JSON.parse(t) as RuntimeConfig, () => undefined);
    if (saved?.podCidr) this.sandboxes.setNetwork({ podCidr: saved.podCidr, ipMasq: saved.ipMasq });
    this.version().catch(() => undefined); // ready before the agent's first call; a failure is asked again then
    return this;
  }

  private get configFile(): string {
    return join(this.opts.root, 'runtime-config.json');
  }

  /** updateRuntimeConfig takes the node's pod CIDR for the sandboxes made from now on, and keeps it on disk. */
  async updateRuntimeConfig(config: RuntimeConfig): Promise<void> {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(config.podCidr ?? '')) {
      throw new RuntimeError('INVALID_ARGUMENT', `pod CIDR ${JSON.stringify(config.podCidr)} is not an IPv4 CIDR`);
    }
    const next: RuntimeConfig = { podCidr: config.podCidr, ...(config.ipMasq === undefined ? {} : { ipMasq: config.ipMasq }) };
    this.sandboxes.setNetwork(next);
    await writeFile(this.configFile, `${JSON.stringify(next)}\n`);
  }

  /** close releases what the runtime holds in this process (spare shim, spare sandbox); pods keep running. */
  async close(): Promise<void> {
    this.containers.close();
    await this.sandboxes.close();
  }

  /**
   * version asks runc once: the agent calls this for every node status (every 10 s and at start,
   * when each spawn counts), and the binary does not change under a running runtime.
   */
  version(): Promise<VersionInfo> {
    this.versionInfo ??= run(this.containers.runc.binary, ['--version']).then(
      (res) => {
        const m = /runc version (\S+)/.exec(res.stdout.toString());
        return { version: '0.1.0', runtimeName: 'skiff-runc', runtimeVersion: m?.[1] ?? 'unknown', runtimeApiVersion: 'v1' };
      },
      (err: unknown) => {
        this.versionInfo = undefined; // asked again next time
        throw err;
      },
    );
    return this.versionInfo;
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.sandboxes.run(config);
  }

  /** stopPodSandbox kills the pod's containers and releases its network; repeatable. */
  stopPodSandbox(id: string): Promise<void> {
    return this.lock.run(id, async () => {
      if (!this.sandboxes.find(id)) return;
      for (const c of this.containersOf(id)) await this.stopContainer(c.id, 0);
      await this.sandboxes.stopNetwork(id);
    });
  }

  /** removePodSandbox removes the pod's containers and everything the sandbox made; repeatable. */
  removePodSandbox(id: string): Promise<void> {
    return this.lock.run(id, async () => {
      if (!this.sandboxes.find(id)) return;
      for (const c of this.containersOf(id)) await this.removeContainer(c.id);
      await this.sandboxes.remove(id);
    });
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const s = this.sandboxes.get(id);
    return {
      id, metadata: s.config.metadata, state: s.state, createdAt: s.createdAt,
      network: { ip: s.ip, additionalIps: [] }, labels: s.config.labels, annotations: s.config.annotations,
    };
  }

  async listPodSandbox(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    return this.sandboxes.all()
      .filter((s) => (!filter.id || s.id === filter.id) && (!filter.state || s.state === filter.state))
      .filter((s) => matchLabels(s.config.labels, filter.labelSelector))
      .map((s) => ({ id: s.id, metadata: s.config.metadata, state: s.state, createdAt: s.createdAt, labels: s.config.labels, annotations: s.config.annotations }));
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const sandbox = this.sandboxes.get(podSandboxId);
    if (sandbox.state !== 'SANDBOX_READY') throw new RuntimeError('FAILED_PRECONDITION', `pod sandbox ${podSandboxId} is not ready`);
    const id = this.containers.newId();
    const dir = this.containers.dir(id);
    await mkdir(dir, { recursive: true });
    try {
      const rec = await prepareContainer(dir, id, this.images, sandbox, this.sandboxes.dir(podSandboxId), config, sandboxConfig);
      await this.containers.add(id, rec, nowNs());
      return id;
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      if (err instanceof RuntimeError) throw err;
      throw new RuntimeError('INTERNAL', `creating container: ${(err as Error).message}`);
    }
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.lock.run(id, () => this.containers.start(id));
    } finally {
      // The next pod's sandbox is made now, between this pod's start and the next one's.
      this.sandboxes.prepareSpare(SPARE_AFTER_START_MS);
    }
  }

  stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    return this.lock.run(id, async () => {
      if (this.containers.find(id)) await this.containers.stop(id, timeoutSeconds);
    });
  }

  removeContainer(id: string): Promise<void> {
    return this.lock.run(id, () => this.containers.remove(id));
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    const out: Container[] = [];
    for (const c of this.containers.all()) {
      if ((filter.id && c.id !== filter.id) || (filter.podSandboxId && c.podSandboxId !== filter.podSandboxId)) continue;
      if (!matchLabels(c.config.labels, filter.labelSelector)) continue;
      const state = await this.containers.state(c.id);
      if (filter.state && state !== filter.state) continue;
      out.push({
        id: c.id, podSandboxId: c.podSandboxId, metadata: c.config.metadata, image: c.config.image, imageRef: c.imageRef,
        state, createdAt: c.createdAt, labels: c.config.labels, annotations: c.config.annotations,
      });
    }
    return out;
  }

  containerStatus(id: string): Promise<ContainerStatus> {
    return this.containers.status(id);
  }

  execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    return this.containers.exec(id, cmd, timeoutSeconds);
  }

  reopenContainerLog(id: string): Promise<void> {
    return this.containers.reopenLog(id);
  }

  /** pullImage fetches the image from its registry (a digest already in the store is not fetched). */
  async pullImage(image: string, auth?: AuthConfig): Promise<string> {
    const present = image.includes('@') ? await this.images.resolve(image) : undefined;
    if (present) return present.id;
    try {
      return await pullFromRegistry(this.images, image, { auth, insecureRegistries: this.opts.insecureRegistries });
    } catch (err) {
      throw new RuntimeError('UNAVAILABLE', `pulling ${image}: ${(err as Error).message}`);
    }
  }

  async listImages(): Promise<Image[]> {
    return Promise.all((await this.images.list()).map((i) => this.images.toApiImage(i)));
  }

  async imageStatus(image: string): Promise<Image | undefined> {
    const img = await this.images.resolve(image);
    return img ? this.images.toApiImage(img) : undefined;
  }

  /** removeImage refuses while a container uses the image: its snapshot is their lower layer. */
  async removeImage(image: string): Promise<void> {
    const img = await this.images.resolve(image);
    if (!img) return;
    const user = this.containers.all().find((c) => c.imageRef === img.id);
    if (user) throw new RuntimeError('FAILED_PRECONDITION', `image ${image} is used by container ${user.id}`);
    await this.images.remove(image);
  }

  /** importImage loads an OCI layout or docker save archive (`skiff images import FILE`). */
  importImage(file: string, name?: string): Promise<ImportedImage[]> {
    return importArchive(this.images, file, name);
  }

  private containersOf(sandboxId: string) {
    return this.containers.all().filter((c) => c.podSandboxId === sandboxId);
  }
}
