// Starts containers' shims as detached processes and waits for each one's one-line report.
// One spare shim is kept booted and waiting for its config on stdin, so a container start does
// not wait for node to boot. The next spare is spawned shortly after the start it served has
// been answered: spawning forks this (large) process, which blocks its event loop for tens of ms,
// and booting node costs more CPU; neither should delay the start's reply (profiled: it did).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { launcherInput, type ShimConfig } from './shim.js';

/**
 * shimCommand is how to run the shim: the compiled shim-main.js next to this module (dist/), or
 * the TypeScript source through tsx when running from source (tests).
 */
export function shimCommand(): string[] {
  const js = fileURLToPath(new URL('./shim-main.js', import.meta.url));
  if (existsSync(js)) return [js];
  return ['--import', 'tsx', fileURLToPath(new URL('./shim-main.ts', import.meta.url))];
}

/** A shim process and the lines it has printed, in order. */
interface Shim {
  child: ChildProcess;
  lines: AsyncIterator<string>;
  /** Resolves when the shim has booted and waits for its config ("ready"); false if it died first. */
  ready: Promise<boolean>;
}

/** How long after a start was handed to its shim the next spare is spawned: runc has its arguments by then. */
const SPARE_DELAY_MS = 5;

/** ShimLauncher starts shims, keeping one spare warm. */
export class ShimLauncher {
  private spare?: Shim;
  private spareTimer?: NodeJS.Timeout;

  constructor(private readonly command: string[] = shimCommand()) {}

  /** launch starts the container; resolves with its pid, rejects with runc's error. */
  async launch(cfg: ShimConfig): Promise<number> {
    const record = writeFile(join(cfg.stateDir, 'shim.json'), JSON.stringify(cfg)); // for people, not read back
    const shim = this.takeSpare();
    try {
      // runc's arguments straight to the spare's pre-forked launcher first: runc starts while the
      // idle shim wakes up for its config.
      const input = (await shim.ready) ? launcherInput(cfg) : undefined;
      const launcher = shim.child.stdio[3] as Writable | null;
      if (input !== undefined && launcher) launcher.end(input);
      else launcher?.destroy();
      shim.child.stdin?.end(`${JSON.stringify({ ...cfg, prelaunched: input !== undefined && launcher !== null })}\n`);
      // The next spare boots while runc starts this container, not after: a pod started right
      // after this one (a Deployment's next replica) then finds it ready.
      this.spareLater();
      const line = await nextReport(shim);
      const m = /^started (\d+)$/.exec(line);
      if (m) return Number(m[1]);
      throw new Error(line.replace(/^failed /, '') || 'the shim exited without starting the container');
    } finally {
      shim.child.stdout?.destroy();
      shim.child.unref();
      await record;
      this.spareLater();
    }
  }

  /** warm resolves once a spare shim has booted (one is spawned if there is none). */
  async warm(): Promise<void> {
    this.spare ??= this.spawnShim();
    await this.spare.ready;
  }

  /** close ends the spare shim, if any. */
  close(): void {
    clearTimeout(this.spareTimer);
    this.spareTimer = undefined;
    if (this.spare) dropShim(this.spare);
    this.spare = undefined;
  }

  private spareLater(): void {
    if (this.spare || this.spareTimer) return;
    this.spareTimer = setTimeout(() => {
      this.spareTimer = undefined;
      this.spare ??= this.spawnShim();
    }, SPARE_DELAY_MS);
    this.spareTimer.unref();
  }

  private takeSpare(): Shim {
    const spare = this.spare;
    this.spare = undefined;
    if (spare && spare.child.exitCode === null) return spare;
    if (spare) dropShim(spare);
    return this.spawnShim();
  }

  private spawnShim(): Shim {
    // fd 3: runc's arguments for the shim's pre-forked launcher (see shim.ts).
    const child = spawn(process.execPath, [...this.command, '--wait'], { detached: true, env: shimEnv(process.env), stdio: ['pipe', 'pipe', 'ignore', 'pipe'] });
    child.unref();
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    (child.stdio[3] as Writable | null)?.on('error', () => undefined);
    child.stdout?.on('error', () => undefined);
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const ready = lines.next().then((r) => !r.done && r.value === 'ready', () => false);
    return { child, lines, ready };
  }
}

/**
 * shimEnv is the runtime's environment without NODE_EXTRA_CA_CERTS: the shim opens no TLS
 * connection, and node reads and parses every certificate in that file as it starts (measured
 * here with Debian's 144-certificate bundle: 73 ms of CPU for `node -e 0` without it, ~120 ms with).
 */
export function shimEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...rest } = env;
  return rest;
}

/**
 * dropShim kills an unused spare and closes our ends of its pipes: the launcher's fd 3 held open
 * here would keep both this process's event loop and the shim's forked launcher waiting.
 */
function dropShim(shim: Shim): void {
  shim.child.kill();
  shim.child.stdin?.destroy();
  shim.child.stdout?.destroy();
  (shim.child.stdio[3] as Writable | null)?.destroy();
}

/** nextReport is the shim's line after "ready": "started <pid>" or "failed <message>". */
async function nextReport(shim: Shim): Promise<string> {
  if (!(await shim.ready)) return '';
  const r = await shim.lines.next().catch(() => ({ done: true, value: '' }));
  return r.done ? '' : String(r.value).trim();
}
