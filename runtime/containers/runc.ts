// runc invocations the runtime makes outside the shim: kill, exec, delete, state.
import { readFileSync } from 'node:fs';
import { run, type RunResult } from '../exec/run.js';

function readFileSyncSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Runc runs the runc binary against one state root. */
export class Runc {
  constructor(
    readonly root: string,
    readonly binary = 'runc',
  ) {}

  /** kill signals the container's init (or every process with all); errors are returned, not thrown. */
  kill(id: string, signal: string, all = false): Promise<RunResult> {
    return run(this.binary, ['--root', this.root, 'kill', ...(all ? ['--all'] : []), id, signal]);
  }

  /**
   * exec runs cmd in the container. On timeout the exec'd process itself is killed (its pid from
   * --pid-file): killing only `runc exec` would leave it running inside the container.
   */
  exec(id: string, cmd: string[], timeoutMs: number, pidFile: string): Promise<RunResult> {
    const onTimeout = () => {
      const pid = Number(readFileSyncSafe(pidFile));
      try {
        if (pid > 0) process.kill(pid, 'SIGKILL');
      } catch {
        // It exited meanwhile (ESRCH): thrown from a timer, this would crash the runtime.
      }
    };
    return run(this.binary, ['--root', this.root, 'exec', '--pid-file', pidFile, id, ...cmd], { timeoutMs, onTimeout });
  }

  delete(id: string): Promise<RunResult> {
    return run(this.binary, ['--root', this.root, 'delete', '--force', id]);
  }
}
