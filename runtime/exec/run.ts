// Running host binaries (tar, runc, ip, CNI plugins) and collecting their output.
import { spawn } from 'node:child_process';

/** RunResult is a finished command's output. */
export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
  /** true when the command was killed because it ran past timeoutMs. */
  timedOut: boolean;
}

/** RunOptions for run(). */
export interface RunOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called just before a timed-out command is killed. */
  onTimeout?: () => void;
}

/** run executes file with args and resolves with its output whatever the exit code. */
export function run(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          opts.onTimeout?.();
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? 128 + signalNumber(signal), stdout: Buffer.concat(out), stderr: Buffer.concat(err), timedOut });
    });
    child.stdin.on('error', () => undefined); // a child that exits without reading stdin
    child.stdin.end(opts.input ?? '');
  });
}

/** runOk is run() that rejects with the command's stderr when it exits non-zero. */
export async function runOk(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const res = await run(file, args, opts);
  if (res.code !== 0) {
    const msg = res.stderr.toString().trim() || res.stdout.toString().trim();
    throw new Error(`${file} ${args.join(' ')}: exit ${res.code}: ${msg}`);
  }
  return res;
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 0;
}
