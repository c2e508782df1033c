// Starts a container's shim as a detached process and waits for its one-line report.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
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

/** launchShim starts the shim; resolves with the started pid, rejects with runc's error. */
export async function launchShim(cfg: ShimConfig, command: string[] = shimCommand()): Promise<number> {
  const configPath = join(cfg.stateDir, 'shim.json');
  await writeFile(configPath, JSON.stringify(cfg));
  const errFd = openSync(join(cfg.stateDir, 'shim.log'), 'a');
  const child = spawn(process.execPath, [...command, configPath], {
    detached: true,
    stdio: ['ignore', 'pipe', errFd],
  });
  closeSync(errFd);
  const stdout = child.stdout;
  if (!stdout) throw new Error('shim has no stdout pipe');
  const line = await firstLine(stdout);
  child.unref();
  stdout.destroy();
  const m = /^started (\d+)$/.exec(line);
  if (m) return Number(m[1]);
  throw new Error(line.replace(/^failed /, '') || 'the shim exited without starting the container');
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
