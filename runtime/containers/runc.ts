// runc invocations the runtime makes outside the shim: kill, exec, delete, state.
import { run, type RunResult } from '../exec/run.js';

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

  exec(id: string, cmd: string[], timeoutMs: number): Promise<RunResult> {
    return run(this.binary, ['--root', this.root, 'exec', id, ...cmd], { timeoutMs });
  }

  delete(id: string): Promise<RunResult> {
    return run(this.binary, ['--root', this.root, 'delete', '--force', id]);
  }
}
