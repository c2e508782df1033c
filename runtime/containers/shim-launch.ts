// Starts containers' shims as detached processes and waits for each one's one-line report.
// One spare shim is kept started and waiting for its config on stdin, so a container start does
// not wait for node to boot (the spare is made right after the previous one is used; an idle
// runtime that never started a container has none).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ShimConfig } from './shim.js';

/**
 * shimCommand is how to run the shim: the compiled shim-main.js next to this module (dist/), or
 * the TypeScript source through tsx when running from source (tests).
 */
export function shimCommand(): string[] {
  const js = fileURLToPath(new URL('./shim-main.js', import.meta.url));
  if (existsSync(js)) return [js];
  return ['--import', 'tsx', fileURLToPath(new URL('./shim-main.ts', import.meta.url))];
}

/** ShimLauncher starts shims, keeping one spare warm. */
export class ShimLauncher {
  private spare?: ChildProcess;

  constructor(private readonly command: string[] = shimCommand()) {}

  /** launch starts the container; resolves with its pid, rejects with runc's error. */
  async launch(cfg: ShimConfig): Promise<number> {
    const configPath = join(cfg.stateDir, 'shim.json');
    await writeFile(configPath, JSON.stringify(cfg));
    const child = this.takeSpare();
    const { stdin, stdout } = child;
    if (!stdin || !stdout) throw new Error('shim has no pipes');
    stdin.end(`${configPath}\n`);
    const line = await firstLine(stdout);
    child.unref();
    stdout.destroy();
    const m = /^started (\d+)$/.exec(line);
    if (m) return Number(m[1]);
    throw new Error(line.replace(/^failed /, '') || 'the shim exited without starting the container');
  }

  /** close ends the spare shim, if any. */
  close(): void {
    this.spare?.kill();
    this.spare = undefined;
  }

  private takeSpare(): ChildProcess {
    const child = this.spare && this.spare.exitCode === null ? this.spare : this.spawnShim();
    this.spare = this.spawnShim();
    return child;
  }

  private spawnShim(): ChildProcess {
    const child = spawn(process.execPath, [...this.command, '--wait'], { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
    child.unref();
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    return child;
  }
}

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (s: string) => {
      buf += s;
      if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
    });
    stream.on('end', () => resolve(buf.trim()));
    stream.on('error', () => resolve(buf.trim()));
  });
}
