// The containers of this node: create (rootfs + bundle), start (shim), stop, remove, status,
// exec. Every fact lives on disk under <root>/containers/<id>, so a restarted runtime reads the
// same answers (records are cached in memory after open()). Calls are idempotent.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RuntimeError, type ContainerState, type ContainerStatus, type ExecSyncResponse } from '../api.js';
import { run } from '../exec/run.js';
import { EXIT_FILE, readRecord, STARTED_FILE, type ExitRecord, type StartRecord } from './exit-record.js';
import type { ContainerRecord } from './record.js';
import { Runc } from './runc.js';
import { ShimLauncher } from './shim-launch.js';
import { waitForFile } from './wait-file.js';

/** ContainerManagerOptions locate the containers' state. */
export interface ContainerManagerOptions {
  root: string;
  runcBinary: string;
  maxLogBytes: number;
  /** node arguments that run the shim (default: shimCommand()). */
  shimCommand?: string[];
}

/** NewContainer is what createContainer hands to add(): the bundle is written by the caller. */
export type NewContainer = Omit<ContainerRecord, 'id' | 'createdAt'>;

/** ContainerManager owns <root>/containers and <root>/runc. */
export class ContainerManager {
  readonly runc: Runc;
  private records = new Map<string, ContainerRecord>();
  private readonly shims: ShimLauncher;

  constructor(private readonly opts: ContainerManagerOptions) {
    this.runc = new Runc(join(opts.root, 'runc'), opts.runcBinary);
    this.shims = new ShimLauncher(opts.shimCommand);
  }

  /** warm resolves when a spare shim is booted, so the next start does not wait for one. */
  warm(): Promise<void> {
    return this.shims.warm();
  }

  /** close ends the spare shim; running containers and their shims are not touched. */
  close(): void {
    this.shims.close();
  }

  /** open loads every container record from disk. */
  async open(): Promise<void> {
    const dir = join(this.opts.root, 'containers');
    await mkdir(dir, { recursive: true });
    for (const id of await readdir(dir)) {
      const rec = await readRecord<ContainerRecord>(join(dir, id), 'container.json');
      if (rec) this.records.set(id, rec);
    }
  }

  dir(id: string): string {
    return join(this.opts.root, 'containers', id);
  }

  newId(): string {
    return randomBytes(32).toString('hex');
  }

  /** add records a created container whose directory and bundle already exist. */
  async add(id: string, rec: NewContainer, createdAt: number): Promise<ContainerRecord> {
    const full: ContainerRecord = { id, createdAt, ...rec };
    await writeFile(join(this.dir(id), 'container.json'), JSON.stringify(full));
    this.records.set(id, full);
    return full;
  }

  get(id: string): ContainerRecord {
    const rec = this.records.get(id);
    if (!rec) throw new RuntimeError('NOT_FOUND', `container ${id} not found`);
    return rec;
  }

  find(id: string): ContainerRecord | undefined {
    return this.records.get(id);
  }

  all(): ContainerRecord[] {
    return [...this.records.values()];
  }

  /** start runs the container through its shim; a running container is left alone. */
  async start(id: string): Promise<void> {
    const rec = this.get(id);
    const state = await this.state(id);
    if (state === 'CONTAINER_RUNNING') return;
    if (state !== 'CONTAINER_CREATED') throw new RuntimeError('FAILED_PRECONDITION', `container ${id} is ${state}`);
    try {
      await this.shims.launch({
        id, bundle: join(this.dir(id), 'bundle'), runcRoot: this.runc.root, stateDir: this.dir(id),
        logPath: rec.logPath, maxLogBytes: this.opts.maxLogBytes, cgroupsPath: rec.cgroupsPath, runc: this.runc.binary,
      });
    } catch (err) {
      throw new RuntimeError('INTERNAL', `starting container ${id}: ${(err as Error).message}`);
    }
  }

  /** stop sends the stop signal, then SIGKILL after timeoutSeconds; stopped or never started is fine. */
  async stop(id: string, timeoutSeconds: number): Promise<void> {
    const rec = this.get(id);
    if ((await this.state(id)) !== 'CONTAINER_RUNNING') return;
    if (timeoutSeconds > 0) {
      await this.runc.kill(id, rec.stopSignal);
      if (await waitForFile(this.dir(id), EXIT_FILE, timeoutSeconds * 1000)) return;
    }
    await this.runc.kill(id, 'SIGKILL', true);
    if (!(await waitForFile(this.dir(id), EXIT_FILE, 10_000))) {
      throw new RuntimeError('DEADLINE_EXCEEDED', `container ${id} did not exit after SIGKILL`);
    }
  }

  /** remove kills and deletes the container and its state; absent is fine. */
  async remove(id: string): Promise<void> {
    if (!this.records.has(id)) return;
    await this.stop(id, 0);
    await this.runc.delete(id);
    const rootfs = join(this.dir(id), 'rootfs');
    // runc mounts the rootfs in the container's namespace; a host mount is left only by
    // containers created before that (an older runtime on the same root).
    if (await isMountPoint(rootfs)) await run('umount', [rootfs]);
    await rm(this.dir(id), { recursive: true, force: true });
    this.records.delete(id);
  }

  /** state derives the state from the files the shim writes. */
  async state(id: string): Promise<ContainerState> {
    const dir = this.dir(id);
    if (await readRecord<ExitRecord>(dir, EXIT_FILE)) return 'CONTAINER_EXITED';
    const started = await readRecord<StartRecord>(dir, STARTED_FILE);
    if (!started) return 'CONTAINER_CREATED';
    return isAlive(started.shimPid) ? 'CONTAINER_RUNNING' : 'CONTAINER_UNKNOWN';
  }

  async status(id: string): Promise<ContainerStatus> {
    const rec = this.get(id);
    const dir = this.dir(id);
    // The state first: read after the records, it could say exited while exit is still undefined.
    const state = await this.state(id);
    const exit = await readRecord<ExitRecord>(dir, EXIT_FILE);
    const started = await readRecord<StartRecord>(dir, STARTED_FILE);
    return {
      id, metadata: rec.config.metadata, state, createdAt: rec.createdAt,
      startedAt: started?.startedAt ?? 0, finishedAt: exit?.finishedAt ?? 0, exitCode: exit?.exitCode ?? 0,
      image: rec.config.image, imageRef: rec.imageRef, reason: exit?.reason ?? '', message: exit?.message ?? '',
      labels: rec.config.labels, annotations: rec.config.annotations, mounts: rec.mounts, logPath: rec.logPath,
    };
  }

  async exec(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    if ((await this.state(id)) !== 'CONTAINER_RUNNING') throw new RuntimeError('FAILED_PRECONDITION', `container ${id} is not running`);
    const pidFile = join(this.dir(id), `exec-${randomBytes(4).toString('hex')}.pid`);
    try {
      const res = await this.runc.exec(id, cmd, timeoutSeconds > 0 ? timeoutSeconds * 1000 : 0, pidFile);
      if (res.timedOut) throw new RuntimeError('DEADLINE_EXCEEDED', `exec in ${id} timed out after ${timeoutSeconds}s`);
      return { stdout: res.stdout, stderr: res.stderr, exitCode: res.code };
    } finally {
      await rm(pidFile, { force: true });
    }
  }

  /** reopenLog asks the shim to reopen the log file. */
  async reopenLog(id: string): Promise<void> {
    this.get(id);
    const started = await readRecord<StartRecord>(this.dir(id), STARTED_FILE);
    if (!started || (await this.state(id)) !== 'CONTAINER_RUNNING') {
      throw new RuntimeError('FAILED_PRECONDITION', `container ${id} is not running`);
    }
    process.kill(started.shimPid, 'SIGUSR1');
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** isMountPoint tells whether path is on another device than its parent (false if absent). */
async function isMountPoint(path: string): Promise<boolean> {
  const [self, parent] = await Promise.all([stat(path).catch(() => undefined), stat(dirname(path)).catch(() => undefined)]);
  return self !== undefined && parent !== undefined && self.dev !== parent.dev;
}
