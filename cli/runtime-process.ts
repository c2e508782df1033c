// The agent's runtime: connect to the runtime service's socket, starting `skiff runtime` as a
// detached process first when nothing answers there, so containers outlive agent restarts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeService } from '../runtime/api.js';
import { waitForFile } from '../runtime/containers/wait-file.js';

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

/**
 * ensureRuntime connects to the runtime on socket; with start (the default) it first starts one
 * when nothing answers there. Without start it only waits: someone else (`skiff up`, a service
 * manager) starts the runtime, as a kubelet's --container-runtime-endpoint never starts one.
 */
export async function ensureRuntime(home: string, socket: string, extraArgs: string[] = [], timeoutMs = 30_000, start = true): Promise<RuntimeService> {
  const deadline = Date.now() + timeoutMs;
  const { connectRuntime } = await runtimeClient();
  const first = connectRuntime(socket);
  if (existsSync(socket) && (await answers(first))) return first;
  first.close();
  if (start && (!existsSync(socket) || !(await waitForRuntime(socket, 1_000)))) {
    spawnRuntime(home, socket, extraArgs);
  }
  const rt = await waitForRuntime(socket, deadline - Date.now());
  if (rt) return rt;
  throw new Error(`the runtime service did not answer on ${socket}; see ${join(home, 'logs', 'runtime.log')}`);
}

/** The gRPC client loads only where a runtime is reached: `skiff up` needs no more than the socket's path. */
const runtimeClient = () => import('../runtime/service/client.js');

function spawnRuntime(home: string, socket: string, extraArgs: string[]): void {
  mkdirSync(join(home, 'logs'), { recursive: true });
  const log = openSync(join(home, 'logs', 'runtime.log'), 'a');
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, main, 'runtime', '--home', home, '--socket', socket, ...extraArgs], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
}

// Waits for the socket to appear (inotify), then asks with a fresh channel each time: a gRPC channel
// that failed to connect backs off for up to minutes, far longer than the runtime takes to start.
async function waitForRuntime(socket: string, timeoutMs: number): Promise<RuntimeService | undefined> {
  const deadline = Date.now() + timeoutMs;
  if (!(await waitForFile(dirname(socket), basename(socket), timeoutMs))) return undefined;
  const { connectRuntime } = await runtimeClient();
  while (Date.now() < deadline) {
    const rt = connectRuntime(socket);
    if (await answers(rt)) return rt;
    rt.close();
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}
