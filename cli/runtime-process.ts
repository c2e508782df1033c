// The agent's runtime: connect to the runtime service's socket, starting `skiff runtime` as a
// detached process first when nothing answers there, so containers outlive agent restarts.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeService } from '../runtime/api.js';
import { connectRuntime } from '../runtime/service/client.js';

export function runtimeSocket(home: string): string {
  return join(home, 'runtime.sock');
}

async function answers(rt: RuntimeService): Promise<boolean> {
  try {
    await rt.version();
    return true;
  } catch {
    return false;
  }
}

export async function ensureRuntime(home: string, socket: string, extraArgs: string[] = [], timeoutMs = 30_000): Promise<RuntimeService> {
  const rt = connectRuntime(socket);
  if (await answers(rt)) return rt;
  mkdirSync(join(home, 'logs'), { recursive: true });
  const log = openSync(join(home, 'logs', 'runtime.log'), 'a');
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, main, 'runtime', '--home', home, '--socket', socket, ...extraArgs], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(rt)) return rt;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the runtime service did not answer on ${socket}; see ${join(home, 'logs', 'runtime.log')}`);
}
